using System;
using Terminal.Drivers.Display.Tft;
using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display.Ili9341
{
    /// <summary>
    /// ILI9341 240x320 TFT module over 4-line SPI (Ilitek ILI9341 datasheet V1.11), RGB565, usually mounted
    /// landscape (320x240). The modules' glass has a BGR colour filter, so MADCTL sets the BGR bit (section 8.2.29).
    /// Portrait mirrors the columns (MX | BGR = 48h), which is how these modules show an upright picture;
    /// landscape exchanges rows and columns (MV | BGR = 28h), a quarter turn of it.
    /// </summary>
    public sealed class Ili9341Driver : TftDriver
    {
        public Ili9341Driver(ISpiDisplayBus bus, IBacklight backlight, TftPause pause, int width, int height)
            : this(bus, backlight, pause, width, height, DefaultAttempts)
        {
        }

        public Ili9341Driver(ISpiDisplayBus bus, IBacklight backlight, TftPause pause, int width, int height, int attempts)
            : base(bus, backlight, pause, Checked(width, height), height, attempts)
        {
        }

        internal override byte[] InitTable
        {
            get { return Ili9341InitSequence.Table; }
        }

        internal override int MemoryAccess
        {
            get { return Width > Height ? Dcs.RowColumnExchange | Dcs.BgrOrder : Dcs.ColumnAddressOrder | Dcs.BgrOrder; }
        }

        internal override bool InvertColours
        {
            get { return false; }
        }

        private static int Checked(int width, int height)
        {
            if (!((width == 320 && height == 240) || (width == 240 && height == 320)))
            {
                throw new ArgumentOutOfRangeException("width", "ILI9341 panels are 320x240 or 240x320, not " + width + "x" + height);
            }

            return width;
        }
    }
}
