namespace Terminal.Core.Config
{
    /// <summary>
    /// One capability's part of the configuration (display, scanner, host link, network, engine...): its values as
    /// named properties with the documented defaults, the rules of its keys, the checks that span its own keys,
    /// and the GPIO pins it claims. A section lives with its capability (in that capability's folder or assembly);
    /// the terminal's configuration (Terminal.Firmware's <c>TerminalConfig</c>) lists every section, and
    /// <see cref="ConfigReader"/> reads the file into them. A new capability adds its section without touching the
    /// others; the file stays one flat JSON object.
    /// </summary>
    public abstract class ConfigSection
    {
        protected ConfigSection(string name)
        {
            Name = name;
        }

        /// <summary>The section's name in the rules, e.g. "scanner".</summary>
        public string Name { get; private set; }

        /// <summary>Adds one rule per key, with the current value as its default and where a read value goes.</summary>
        public abstract void Describe(ConfigRules rules);

        /// <summary>After the whole file was read: checks that span this section's keys; throws <see cref="ConfigException"/>.</summary>
        public virtual void Check()
        {
        }

        /// <summary>Claims the GPIO pins this section's part is wired to (none by default).</summary>
        public virtual void ClaimPins(PinClaims claims)
        {
        }
    }
}
