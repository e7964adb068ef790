using Terminal.Core.Config;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.Config
{
    /// <summary>
    /// What the ESP32 requires beyond the parser (the simulator does not): a Wi-Fi network, an https gateway, and host
    /// link (or MDB bridge) pins that the display, the scanner and the pulse output leave free. The device runs these after <see cref="TerminalConfigParser"/>
    /// at boot, and so does the configuration check that flash.ps1 runs before it flashes anything
    /// (docs/flashing.md); throws <see cref="ConfigException"/> naming the property.
    /// </summary>
    public static class DeviceConfigChecks
    {
        public static void Check(TerminalConfig config)
        {
            if (config.Network.WifiSsid == null || config.Network.WifiSsid.Length == 0)
            {
                throw new ConfigException("wifiSsid", "required on the device");
            }

            if (!config.Network.GatewayUrl.StartsWith("https://"))
            {
                throw new ConfigException("gatewayUrl", "the device talks to the gateway over https only");
            }

            if (config.HostLink.Enabled && config.HostLink.Tx < 0 && (Uses(config, HostLinkSection.DefaultTx) || Uses(config, HostLinkSection.DefaultRx)))
            {
                throw new ConfigException("hostLinkTx", "absent, so the host link takes GPIO" + HostLinkSection.DefaultTx + "/GPIO"
                    + HostLinkSection.DefaultRx + ", which the display, the scanner or the pulse output use: set hostLinkTx and hostLinkRx");
            }

            if (config.Vending.IsMdb && config.Vending.MdbTx < 0 && (Uses(config, HostLinkSection.DefaultTx) || Uses(config, HostLinkSection.DefaultRx)))
            {
                throw new ConfigException("mdbTx", "absent, so the MDB bridge takes COM3's GPIO" + HostLinkSection.DefaultTx + "/GPIO"
                    + HostLinkSection.DefaultRx + ", which the display or the scanner use: set mdbTx and mdbRx");
            }
        }

        private static bool Uses(TerminalConfig c, int pin)
        {
            DisplaySection d = c.Display;
            bool display = d.IsTft
                ? d.SpiClock == pin || d.SpiMosi == pin || d.TftCs == pin || d.TftDc == pin || d.TftReset == pin || d.TftBacklight == pin
                : d.I2cSda == pin || d.I2cScl == pin;
            return display || c.Scanner.Tx == pin || c.Scanner.Rx == pin
                || (c.Vending.IsPulse && c.Vending.PulsePin == pin);
        }
    }
}
