using Terminal.Core.Config;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// The display: its controller, the name on the idle screen, and its wiring: the OLED's I2C pins and address, or
    /// a colour TFT's panel size, SPI pins, backlight and reset. Only the pins of the fitted kind are claimed.
    /// </summary>
    public sealed class DisplaySection : ConfigSection
    {
        public const string Ssd1306 = "ssd1306";
        public const string Sh1106 = "sh1106";
        public const string St7789 = "st7789";
        public const string Ili9341 = "ili9341";

        public const string Size240x240 = "240x240";
        public const string Size240x320 = "240x320";
        public const string Size320x240 = "320x240";

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
            SpiClock = 18;
            SpiMosi = 23;
            TftCs = 14;
            TftDc = 13;
            TftReset = 32;
            TftBacklight = 33;
            SpiClockMHz = 40;
        }

        /// <summary>Shown on the idle screen; null: the device id.</summary>
        public string DisplayName { get; set; }

        /// <summary>"ssd1306" (also SSD1309), "sh1106", "st7789" or "ili9341" (key display).</summary>
        public string Controller { get; set; }

        /// <summary>7-bit I2C address (key displayAddress, "0x3C" or "0x3D").</summary>
        public int Address { get; set; }

        public int I2cSda { get; set; }

        public int I2cScl { get; set; }

        /// <summary>"240x240", "240x320" or "320x240" (key displaySize); null: the controller's usual panel.</summary>
        public string Size { get; set; }

        /// <summary>SPI clock (SCL) and data (SDA/MOSI) pins of a TFT (keys spiSck, spiMosi).</summary>
        public int SpiClock { get; set; }

        public int SpiMosi { get; set; }

        /// <summary>The TFT's chip select (CSX) and data/command (D/CX) pins.</summary>
        public int TftCs { get; set; }

        public int TftDc { get; set; }

        /// <summary>The TFT's reset (RESX), pulsed low at start-up before the software reset.</summary>
        public int TftReset { get; set; }

        /// <summary>The TFT's backlight (LED/BL), driven by PWM (through a transistor for modules without one).</summary>
        public int TftBacklight { get; set; }

        /// <summary>SPI clock in MHz; 40 suits short wires, lower it for long ones.</summary>
        public int SpiClockMHz { get; set; }

        /// <summary>True for the colour TFT controllers.</summary>
        public bool IsTft
        {
            get { return Controller == St7789 || Controller == Ili9341; }
        }

        /// <summary>Pixels across as the screens are laid out.</summary>
        public int Width
        {
            get { return IsTft ? (EffectiveSize == Size320x240 ? 320 : 240) : 128; }
        }

        public int Height
        {
            get { return IsTft ? (EffectiveSize == Size240x320 ? 320 : 240) : 64; }
        }

        /// <summary>The panel size in use: the configured one, else the controller's usual module.</summary>
        public string EffectiveSize
        {
            get
            {
                if (Size != null)
                {
                    return Size;
                }

                return Controller == Ili9341 ? Size320x240 : Controller == St7789 ? Size240x320 : null;
            }
        }

        public override void Describe(ConfigRules rules)
        {
            rules.Text("displayName", 0, 32, DisplayName, delegate(string v) { DisplayName = v; });
            rules.Choice("display", new string[] { Ssd1306, Sh1106, St7789, Ili9341 }, Controller, delegate(string v) { Controller = v; });
            rules.Choice("displayAddress", new string[] { "0x3C", "0x3D" }, Address == AddressHigh ? "0x3D" : "0x3C",
                delegate(string v) { Address = v == "0x3D" ? AddressHigh : AddressLow; });
            rules.Pin("i2cSda", true, I2cSda, delegate(long v) { I2cSda = (int)v; });
            rules.Pin("i2cScl", true, I2cScl, delegate(long v) { I2cScl = (int)v; });
            rules.Choice("displaySize", new string[] { Size240x240, Size240x320, Size320x240 }, Size, delegate(string v) { Size = v; });
            rules.Pin("spiSck", true, SpiClock, delegate(long v) { SpiClock = (int)v; });
            rules.Pin("spiMosi", true, SpiMosi, delegate(long v) { SpiMosi = (int)v; });
            rules.Pin("tftCs", true, TftCs, delegate(long v) { TftCs = (int)v; });
            rules.Pin("tftDc", true, TftDc, delegate(long v) { TftDc = (int)v; });
            rules.Pin("tftReset", true, TftReset, delegate(long v) { TftReset = (int)v; });
            rules.Pin("tftBacklight", true, TftBacklight, delegate(long v) { TftBacklight = (int)v; });
            rules.Integer("spiClockMHz", 1, 80, SpiClockMHz, false, delegate(long v) { SpiClockMHz = (int)v; });
            rules.Remote("displayName");
        }

        public override void Check()
        {
            if (Size != null && !IsTft)
            {
                throw new ConfigException("displaySize", "a panel size is for the st7789 and ili9341 displays, not " + Controller);
            }

            if (Controller == Ili9341 && Size == Size240x240)
            {
                throw new ConfigException("displaySize", "ILI9341 panels are 320x240 or 240x320");
            }
        }

        public override void ClaimPins(PinClaims claims)
        {
            if (!IsTft)
            {
                claims.Claim("i2cSda", I2cSda);
                claims.Claim("i2cScl", I2cScl);
                return;
            }

            claims.Claim("spiSck", SpiClock);
            claims.Claim("spiMosi", SpiMosi);
            claims.Claim("tftCs", TftCs);
            claims.Claim("tftDc", TftDc);
            claims.Claim("tftReset", TftReset);
            claims.Claim("tftBacklight", TftBacklight);
        }
    }
}
