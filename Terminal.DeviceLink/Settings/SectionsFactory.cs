using Terminal.Core.Config;

namespace Terminal.DeviceLink.Settings
{
    /// <summary>
    /// A fresh set of the terminal's configuration sections with their defaults (Terminal.Firmware passes
    /// <c>new TerminalConfig().Sections</c>): the candidate a set of remote settings is checked on before it is applied.
    /// </summary>
    public delegate ConfigSection[] SectionsFactory();
}
