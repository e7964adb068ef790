using Terminal.Core.Config;

namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// The host link UART (COM3) to the register or vending controller; unset pins mean the board's default. A
    /// vending machine on MDB has no register: the host link is then off and the MDB bridge takes COM3.
    /// </summary>
    public sealed class HostLinkSection : ConfigSection
    {
        public const string Uart = "uart";
        public const string Off = "off";

        /// <summary>The ESP32 board's host link pins when the file names none (hardware/README.md section 1).</summary>
        public const int DefaultTx = 4;
        public const int DefaultRx = 5;

        public HostLinkSection()
            : base("hostLink")
        {
            Mode = Uart;
            Tx = -1;
            Rx = -1;
        }

        /// <summary>"uart" (COM3) or "off" (key hostLink).</summary>
        public string Mode { get; set; }

        /// <summary>True unless the host link is off.</summary>
        public bool Enabled
        {
            get { return Mode != Off; }
        }

        /// <summary>ESP32 TX (key hostLinkTx); -1 = the board default, GPIO4.</summary>
        public int Tx { get; set; }

        /// <summary>ESP32 RX (key hostLinkRx); -1 = the board default, GPIO5.</summary>
        public int Rx { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Choice("hostLink", new string[] { Uart, Off }, Mode, delegate(string v) { Mode = v; });
            rules.Pin("hostLinkTx", true, Tx, delegate(long v) { Tx = (int)v; });
            rules.Pin("hostLinkRx", false, Rx, delegate(long v) { Rx = (int)v; });
        }

        public override void Check()
        {
            if ((Tx >= 0) != (Rx >= 0))
            {
                throw new ConfigException(Tx >= 0 ? "hostLinkRx" : "hostLinkTx", "hostLinkTx and hostLinkRx go together");
            }
        }

        public override void ClaimPins(PinClaims claims)
        {
            if (!Enabled)
            {
                return;
            }

            claims.Claim("hostLinkTx", Tx);
            claims.Claim("hostLinkRx", Rx);
            claims.ClaimUart("hostLink", 3);
        }
    }
}
