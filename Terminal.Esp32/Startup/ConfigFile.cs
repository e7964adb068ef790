using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using Terminal.Core.Config;
using Terminal.Firmware.Config;
using Terminal.Firmware.HostLink;
using Terminal.Io.Http;

namespace Terminal.Esp32.Startup
{
    /// <summary>
    /// The device configuration file I:\terminal.json (docs/configuration.md), written by flash.ps1 with
    /// nanoff: the portable parser, the device's own checks (<see cref="DeviceConfigChecks"/>, which flash.ps1 also
    /// runs before it flashes), and the gateway URL as the device's HTTP client reads it.
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
            DeviceConfigChecks.Check(config);
            try
            {
                GatewayAddress.Parse(config.Network.GatewayUrl);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException("gatewayUrl", e.Message);
            }

            return config;
        }

        /// <summary>The host link's pins: the configured ones, else the board's (<see cref="HostLinkSection.DefaultTx"/>).</summary>
        public static int HostLinkTx(TerminalConfig config)
        {
            return config.HostLink.Tx >= 0 ? config.HostLink.Tx : HostLinkSection.DefaultTx;
        }

        public static int HostLinkRx(TerminalConfig config)
        {
            return config.HostLink.Rx >= 0 ? config.HostLink.Rx : HostLinkSection.DefaultRx;
        }

        /// <summary>The MDB bridge's pins (COM3 when the host link is off): the configured ones, else COM3's defaults.</summary>
        public static int MdbTx(TerminalConfig config)
        {
            return config.Vending.MdbTx >= 0 ? config.Vending.MdbTx : HostLinkSection.DefaultTx;
        }

        public static int MdbRx(TerminalConfig config)
        {
            return config.Vending.MdbRx >= 0 ? config.Vending.MdbRx : HostLinkSection.DefaultRx;
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
    }
}

