using Terminal.Core.Config;

namespace Terminal.Updates.Config
{
    /// <summary>
    /// Over-the-air updates (docs/ota.md, "The switch"): when a version on trial becomes the one known to work. Its
    /// self-test must pass, then it must run <see cref="HealthyAfterMinutes"/> without a restart or finish
    /// <see cref="HealthyAfterTransactions"/> transactions, whichever comes first; three boots without that mark roll
    /// it back.
    /// </summary>
    public sealed class UpdatesSection : ConfigSection
    {
        public UpdatesSection()
            : base("updates")
        {
            HealthyAfterMinutes = 10;
            HealthyAfterTransactions = 3;
        }

        public int HealthyAfterMinutes { get; set; }

        public int HealthyAfterTransactions { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Integer("updateHealthyAfterMinutes", 1, 1440, HealthyAfterMinutes, false, delegate(long v) { HealthyAfterMinutes = (int)v; });
            rules.Integer("updateHealthyAfterTransactions", 1, 1000, HealthyAfterTransactions, false, delegate(long v) { HealthyAfterTransactions = (int)v; });
        }
    }
}
