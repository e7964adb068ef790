using Terminal.Core.Config;

namespace Terminal.Firmware.Screens
{
    /// <summary>The OLED: its controller, its I2C pins and address, and the name on the idle screen.</summary>
    public sealed class DisplaySection : ConfigSection
    {
        public const string Ssd1306 = "ssd1306";
        public const string Sh1106 = "sh1106";

        /// <summary>The two addresses of SSD1306/SH1106 modules: SA0 (D/C#) low, or high (SSD1306 datasheet 8.1.5).</summary>
        public const int AddressLow = 0x3C;
        public const int AddressHigh = 0x3D;

        public DisplaySection()
            : base("display")
        {
            Controller = Ssd1306;
            Address = AddressLow;
            I2cSda = 21;
            I2cScl = 22;
        }

        /// <summary>Shown on the idle screen; null: the device id.</summary>
        public string DisplayName { get; set; }

        /// <summary>"ssd1306" (also SSD1309) or "sh1106" (key display).</summary>
        public string Controller { get; set; }

        /// <summary>7-bit I2C address (key displayAddress, "0x3C" or "0x3D").</summary>
        public int Address { get; set; }

        public int I2cSda { get; set; }

        public int I2cScl { get; set; }

        public override void Describe(ConfigRules rules)
        {
            rules.Text("displayName", 0, 32, DisplayName, delegate(string v) { DisplayName = v; });
            rules.Choice("display", new string[] { Ssd1306, Sh1106 }, Controller, delegate(string v) { Controller = v; });
            rules.Choice("displayAddress", new string[] { "0x3C", "0x3D" }, Address == AddressHigh ? "0x3D" : "0x3C",
                delegate(string v) { Address = v == "0x3D" ? AddressHigh : AddressLow; });
            rules.Pin("i2cSda", true, I2cSda, delegate(long v) { I2cSda = (int)v; });
            rules.Pin("i2cScl", true, I2cScl, delegate(long v) { I2cScl = (int)v; });
        }

        public override void ClaimPins(PinClaims claims)
        {
            claims.Claim("i2cSda", I2cSda);
            claims.Claim("i2cScl", I2cScl);
        }
    }
}
