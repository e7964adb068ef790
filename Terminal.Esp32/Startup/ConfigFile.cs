using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using Terminal.Core.Config;
using Terminal.Esp32.Board;
using Terminal.Firmware.Config;
using Terminal.Firmware.Screens;
using Terminal.Io.Http;

namespace Terminal.Esp32.Startup
{
    /// <summary>
    /// The device configuration file I:\terminal.json (docs/configuration.md), written by flash.ps1 with
    /// nanoff. Adds the checks that hold only on the device to the portable parser's.
    /// </summary>
    public static class ConfigFile
    {
        public const string Path = "I:\\terminal.json";

        /// <summary>Reads and checks the file; throws <see cref="ConfigException"/> naming the property.</summary>
        public static TerminalConfig Load()
        {
            if (!File.Exists(Path))
            {
                throw new ConfigException("(file)", Path + " is missing: provision the terminal with flash.ps1");
            }

            byte[] json = File.ReadAllBytes(Path);
            TerminalConfig config = TerminalConfigParser.Parse(json, 0, json.Length);
            if (config.Network.WifiSsid == null || config.Network.WifiSsid.Length == 0)
            {
                throw new ConfigException("wifiSsid", "required on the device");
            }

            GatewayAddress gateway;
            try
            {
                gateway = GatewayAddress.Parse(config.Network.GatewayUrl);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException("gatewayUrl", e.Message);
            }

            if (!gateway.Https)
            {
                throw new ConfigException("gatewayUrl", "the device talks to the gateway over https only");
            }

            if (config.HostLink.Tx < 0 && (Uses(config, BoardDefaults.HostLinkTx) || Uses(config, BoardDefaults.HostLinkRx)))
            {
                throw new ConfigException("hostLinkTx", "absent, so the host link takes GPIO" + BoardDefaults.HostLinkTx + "/GPIO"
                    + BoardDefaults.HostLinkRx + ", which the display or the scanner use: set hostLinkTx and hostLinkRx");
            }

            return config;
        }

        /// <summary>The host link's pins: the configured ones, else the board's (<see cref="BoardDefaults"/>).</summary>
        public static int HostLinkTx(TerminalConfig config)
        {
            return config.HostLink.Tx >= 0 ? config.HostLink.Tx : BoardDefaults.HostLinkTx;
        }

        public static int HostLinkRx(TerminalConfig config)
        {
            return config.HostLink.Rx >= 0 ? config.HostLink.Rx : BoardDefaults.HostLinkRx;
        }

        /// <summary>
        /// The CA certificate the configuration names (PEM or DER file on I:), or null when it names none.
        /// </summary>
        public static X509Certificate LoadCaCertificate(TerminalConfig config)
        {
            string path = config.Network.CaCertificate;
            if (path == null || path.Length == 0)
            {
                return null;
            }

            if (!File.Exists(path))
            {
                throw new ConfigException("caCertificate", path + " is missing");
            }

            byte[] raw = File.ReadAllBytes(path);
            bool pem = raw.Length > 5 && raw[0] == (byte)'-' && raw[1] == (byte)'-';
            byte[] certificate = raw;
            if (pem)
            {
                // mbedTLS parses PEM only with its terminating NUL included (as X509Certificate(string) adds).
                certificate = new byte[raw.Length + 1];
                Array.Copy(raw, certificate, raw.Length);
            }

            try
            {
                return new X509Certificate(certificate);
            }
            catch (Exception e)
            {
                throw new ConfigException("caCertificate", path + " is not a readable certificate (" + e.Message + ")");
            }
        }

        private static bool Uses(TerminalConfig c, int pin)
        {
            DisplaySection d = c.Display;
            bool display = d.IsTft
                ? d.SpiClock == pin || d.SpiMosi == pin || d.TftCs == pin || d.TftDc == pin || d.TftReset == pin || d.TftBacklight == pin
                : d.I2cSda == pin || d.I2cScl == pin;
            return display || c.Scanner.Tx == pin || c.Scanner.Rx == pin;
        }
    }
}

