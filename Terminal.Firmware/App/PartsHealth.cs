using Terminal.DeviceLink.Heartbeat;
using Terminal.Drivers.Display;
using Terminal.Drivers.Scanner;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.App
{
    /// <summary>The scanner's and the display's state in the heartbeat's words (docs/fleet-link.md); constants only.</summary>
    internal sealed class PartsHealth : IPartsHealth
    {
        private readonly Gm65Scanner _scanner;
        private readonly TerminalScreens _screens;

        /// <param name="scanner">Null when no scanner is fitted.</param>
        public PartsHealth(Gm65Scanner scanner, TerminalScreens screens)
        {
            _scanner = scanner;
            _screens = screens;
        }

        public string Scanner()
        {
            if (_scanner == null)
            {
                return "absent";
            }

            ScannerStatus status = _scanner.Status;
            return status == ScannerStatus.Ready ? "ok" : status == ScannerStatus.NotResponding ? "not_responding"
                : status == ScannerStatus.ConfigurationFailed ? "configuration_failed" : "not_configured";
        }

        public string Display()
        {
            DisplayStatus status = _screens.Rendering.Status;
            return status == DisplayStatus.Ok ? "ok" : status == DisplayStatus.WriteFailed ? "write_failed" : "not_initialised";
        }
    }
}
