using Terminal.Core.Config;

namespace Terminal.Countertop.Keys
{
    /// <summary>
    /// The keypad: none, or a membrane on a PCF8574 expander on the OLED's I2C bus (hardware/README.md), its
    /// layout and the expander's address; and the largest amount the keypad takes.
    /// </summary>
    public sealed class KeypadSection : ConfigSection
    {
        public const string None = "none";
        public const string Pcf8574 = "pcf8574";
        public const string Layout4x4 = "4x4";
        public const string Layout3x4 = "3x4";

        public KeypadSection()
            : base("keypad")
        {
            Keypad = None;
            Layout = Layout4x4;
            Address = 0x20;
            MaxAmountMinor = 1000000;
        }

        /// <summary>"none" or "pcf8574" (key keypad).</summary>
        public string Keypad { get; set; }

        /// <summary>"4x4" or "3x4" (key keypadLayout).</summary>
        public string Layout { get; set; }

        /// <summary>The expander's 7-bit I2C address: 0x20..0x27 (PCF8574) or 0x38..0x3F (PCF8574A) (key keypadAddress).</summary>
        public int Address { get; set; }

        /// <summary>The largest amount typed at the keypad, in minor units (key maxAmount; 1000000 is 10,000.00 USD).</summary>
        public long MaxAmountMinor { get; set; }

        public bool Fitted
        {
            get { return Keypad != None; }
        }

        public override void Describe(ConfigRules rules)
        {
            rules.Choice("keypad", new string[] { None, Pcf8574 }, Keypad, delegate(string v) { Keypad = v; });
            rules.Choice("keypadLayout", new string[] { Layout4x4, Layout3x4 }, Layout, delegate(string v) { Layout = v; });
            rules.Integer("keypadAddress", 0x20, 0x3F, Address, false, delegate(long v) { Address = (int)v; });
            rules.Integer("maxAmount", 1, 99999999999L, MaxAmountMinor, false, delegate(long v) { MaxAmountMinor = v; });
        }

        public override void Check()
        {
            if (Address > 0x27 && Address < 0x38)
            {
                throw new ConfigException("keypadAddress", "a PCF8574 answers at 32..39 (0x20..0x27), a PCF8574A at 56..63 (0x38..0x3F)");
            }
        }
    }
}
