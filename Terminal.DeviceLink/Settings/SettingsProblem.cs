namespace Terminal.DeviceLink.Settings
{
    /// <summary>Why a set of remote settings was refused: the first key at fault and the reason, as the rule says it.</summary>
    public sealed class SettingsProblem
    {
        public SettingsProblem(string field, string reason)
        {
            Field = field;
            Reason = reason;
        }

        /// <summary>The configuration key, e.g. "pollIntervalMs" ("(settings)" for the document as a whole).</summary>
        public string Field { get; private set; }

        /// <summary>What is wrong, e.g. "must be 1000..10000".</summary>
        public string Reason { get; private set; }
    }
}
