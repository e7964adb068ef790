using Terminal.Core.Config;

namespace Terminal.Firmware.Config
{
    /// <summary>
    /// Reads the terminal's configuration file (docs/configuration.md) into a new <see cref="TerminalConfig"/>, every
    /// key by its section's rule (<see cref="ConfigReader"/>); throws <see cref="ConfigException"/> with the property
    /// name.
    /// </summary>
    public static class TerminalConfigParser
    {
        /// <summary>Parses the whole byte range.</summary>
        public static TerminalConfig Parse(byte[] json, int offset, int count)
        {
            TerminalConfig config = new TerminalConfig();
            ConfigReader.Read(json, offset, count, config.Sections);
            return config;
        }
    }
}
