using Terminal.Core.Config;

namespace Terminal.Firmware.Config
{
    /// <summary>The GM65 scanner's UART (COM2): the ESP32 pins wired to the scanner's RX and TX.</summary>
    public sealed class ScannerSection : ConfigSection
    {
        public ScannerSection()
            : base("scanner")
        {
            Tx = 17;
            Rx = 16;
        }

        /// <summary>ESP32 TX, to the scanner's RX (key scannerTx).</summary>
        public int Tx { get; set; }

        /// <summary>ESP32 RX, from the scanner's TX (key scannerRx).</summary>
        public int Rx { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Pin("scannerTx", true, Tx, delegate(long v) { Tx = (int)v; });
            rules.Pin("scannerRx", false, Rx, delegate(long v) { Rx = (int)v; });
        }

        public override void ClaimPins(PinClaims claims)
        {
            claims.Claim("scannerTx", Tx);
            claims.Claim("scannerRx", Rx);
            claims.ClaimUart("scannerTx", 2);
        }
    }
}
