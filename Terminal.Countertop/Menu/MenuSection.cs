using Terminal.Core.Config;
using Terminal.Countertop.Pin;

namespace Terminal.Countertop.Menu
{
    /// <summary>
    /// The merchant menu's PIN as a salted, iterated hash (key menuPin, <see cref="PinHash"/>'s form,
    /// docs/countertop.md). Unset: the menu stays closed. Never shown in errors or listings.
    /// </summary>
    public sealed class MenuSection : ConfigSection
    {
        public MenuSection()
            : base("menu")
        {
        }

        /// <summary>pbkdf2-sha256$iterations$salt$hash, or null.</summary>
        public string PinHashText { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.PinHash("menuPin", 160, delegate(string v) { PinHashText = v; });
        }

        public override void Check()
        {
            if (PinHashText == null || PinHashText.Length == 0)
            {
                return;
            }

            string problem;
            if (PinHash.Parse(PinHashText, new byte[PinHash.SaltSize], new byte[PinHash.HashSize], out problem) < 0)
            {
                throw new ConfigException("menuPin", problem);
            }
        }
    }
}
