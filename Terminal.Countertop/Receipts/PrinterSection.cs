using Terminal.Core.Config;

namespace Terminal.Countertop.Receipts
{
    /// <summary>
    /// The ESC/POS receipt printer on a UART: fitted or not, the pins (unset: COM3's, the host link's; the ESP32 has
    /// three UARTs, hardware/README.md), its baud rate and how many copies a paid sale gets.
    /// </summary>
    public sealed class PrinterSection : ConfigSection
    {
        public const string None = "none";
        public const string EscPos = "escpos";

        public PrinterSection()
            : base("printer")
        {
            Printer = None;
            Tx = -1;
            Rx = -1;
            Baud = 9600;
            Copies = 2;
        }

        /// <summary>"none" or "escpos" (key printer).</summary>
        public string Printer { get; set; }

        /// <summary>ESP32 TX to the printer's RX (key printerTx).</summary>
        public int Tx { get; set; }

        /// <summary>ESP32 RX from the printer's TX (key printerRx), for the real-time status.</summary>
        public int Rx { get; set; }

        /// <summary>9600 (CSN-A2 default) or 19200 (key printerBaud; the printer's self-test slip shows its rate).</summary>
        public int Baud { get; set; }

        /// <summary>Copies of a paid sale's receipt: 1 (customer) or 2 (merchant and customer) (key receiptCopies).</summary>
        public int Copies { get; set; }

        public bool Fitted
        {
            get { return Printer != None; }
        }

        public override void Describe(ConfigRules rules)
        {
            rules.Choice("printer", new string[] { None, EscPos }, Printer, delegate(string v) { Printer = v; });
            rules.Pin("printerTx", true, Tx, delegate(long v) { Tx = (int)v; });
            rules.Pin("printerRx", false, Rx, delegate(long v) { Rx = (int)v; });
            rules.Choice("printerBaud", new string[] { "9600", "19200" }, Baud.ToString(), delegate(string v) { Baud = v == "19200" ? 19200 : 9600; });
            rules.Integer("receiptCopies", 1, 2, Copies, false, delegate(long v) { Copies = (int)v; });
        }

        public override void Check()
        {
            if ((Tx >= 0) != (Rx >= 0))
            {
                throw new ConfigException(Tx >= 0 ? "printerRx" : "printerTx", "printerTx and printerRx go together");
            }
        }

        public override void ClaimPins(PinClaims claims)
        {
            claims.Claim("printerTx", Tx);
            claims.Claim("printerRx", Rx);
        }
    }
}
