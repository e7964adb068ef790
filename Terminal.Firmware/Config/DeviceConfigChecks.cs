using Terminal.Core.Config;
using Terminal.Firmware.HostLink;

namespace Terminal.Firmware.Config
{
    /// <summary>
    /// What the ESP32 requires beyond the parser (the simulator does not): a Wi-Fi network, an https gateway, and host
    /// link pins that the OLED and the scanner leave free. The device runs these after <see cref="TerminalConfigParser"/>
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

            if (config.HostLink.Tx < 0 && (Uses(config, HostLinkSection.DefaultTx) || Uses(config, HostLinkSection.DefaultRx)))
            {
                throw new ConfigException("hostLinkTx", "absent, so the host link takes GPIO" + HostLinkSection.DefaultTx + "/GPIO"
                    + HostLinkSection.DefaultRx + ", which the OLED or the scanner use: set hostLinkTx and hostLinkRx");
            }
        }

        private static bool Uses(TerminalConfig c, int pin)
        {
            return c.Display.I2cSda == pin || c.Display.I2cScl == pin || c.Scanner.Tx == pin || c.Scanner.Rx == pin;
        }
    }
}
