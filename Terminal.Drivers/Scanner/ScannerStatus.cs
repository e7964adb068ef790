namespace Terminal.Drivers.Scanner
{
    /// <summary>The scanner as the screen and the host link report it; <see cref="Gm65Scanner.StatusMessage"/> says it in words.</summary>
    public enum ScannerStatus
    {
        /// <summary>Configure has not run yet.</summary>
        NotConfigured = 0,

        /// <summary>The module acknowledged every setting: codes end with CR, QR is on, the mode is set.</summary>
        Ready,

        /// <summary>
        /// No reply to anything: the module is missing, unpowered, miswired, at another baud rate, or not a
        /// GM65-family module. Codes it sends anyway are still framed (by idle gap).
        /// </summary>
        NotResponding,

        /// <summary>
        /// The module answered, but a setting was refused or never acknowledged. Codes are still framed,
        /// ending at a tail or an idle gap.
        /// </summary>
        ConfigurationFailed,
    }
}
