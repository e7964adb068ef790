using Terminal.Core.Config;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.Config
{
    /// <summary>
    /// What the ESP32 requires beyond the parser (the simulator does not): a Wi-Fi network, an https gateway, host link
    /// (or MDB bridge) pins that the display, the scanner and the pulse output leave free, one owner for COM3, and a keypad
    /// expander the OLED leaves room for. The device runs these after <see cref="TerminalConfigParser"/>
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

            CheckKeypad(config);
            if (config.HostLink.Enabled && config.HostLink.Tx < 0 && (Uses(config, HostLinkSection.DefaultTx) || Uses(config, HostLinkSection.DefaultRx)))
            {
                throw new ConfigException("hostLinkTx", "absent, so the host link takes GPIO" + HostLinkSection.DefaultTx + "/GPIO"
                    + HostLinkSection.DefaultRx + ", which the display, the scanner or the pulse output use: set hostLinkTx and hostLinkRx");
            }

            if (config.Vending.IsMdb && config.Printer.Fitted)
            {
                throw new ConfigException("printer", "the MDB bridge and the receipt printer both need COM3, the one UART left after the debug port and the scanner: fit one of them");
            }

            if (config.Vending.IsMdb && config.Vending.MdbTx < 0 && (Uses(config, HostLinkSection.DefaultTx) || Uses(config, HostLinkSection.DefaultRx)))
            {
                throw new ConfigException("mdbTx", "absent, so the MDB bridge takes COM3's GPIO" + HostLinkSection.DefaultTx + "/GPIO"
                    + HostLinkSection.DefaultRx + ", which the display or the scanner use: set mdbTx and mdbRx");
            }
        }

        /// <summary>
        /// The keypad's expander shares I2C1 with an OLED, which answers at 0x3C or 0x3D (the device probes both); beside a
        /// colour TFT the keypad has I2C1 to itself, on pins the parser did not claim for an OLED (hardware/README.md section 7).
        /// </summary>
        private static void CheckKeypad(TerminalConfig config)
        {
            if (!config.Keypad.Fitted)
            {
                return;
            }

            DisplaySection d = config.Display;
            int address = config.Keypad.Address;
            if (!d.IsTft && (address == DisplaySection.AddressLow || address == DisplaySection.AddressHigh))
            {
                throw new ConfigException("keypadAddress", "0x3C and 0x3D are the OLED's addresses: set the expander's A0-A2 to another (hardware/README.md section 7)");
            }

            if (d.IsTft && (UsedBesideKeypad(config, d.I2cSda) || UsedBesideKeypad(config, d.I2cScl)))
            {
                throw new ConfigException("i2cSda", "the keypad's I2C pins GPIO" + d.I2cSda + "/GPIO" + d.I2cScl + " are set for another part: every pin serves one part");
            }
        }

        private static bool UsedBesideKeypad(TerminalConfig c, int pin)
        {
            return Uses(c, pin) || c.HostLink.Tx == pin || c.HostLink.Rx == pin || c.Buzzer.Pin == pin || c.Printer.Tx == pin || c.Printer.Rx == pin;
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
