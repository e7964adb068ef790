using System;
using Terminal.Drivers.Display.Tft;
using Terminal.Drivers.Ports;

namespace Terminal.Drivers.Display.St7789
{
    /// <summary>
    /// ST7789 240x240 or 240x320 IPS module over 4-line SPI (Sitronix ST7789V datasheet), RGB565. The controller's
    /// RAM is 240x320; a 240x240 module shows rows 0..239 in this orientation. Portrait and square panels use the
    /// RAM as it is (MADCTL 00h); a 240x320 module mounted landscape (320x240) exchanges rows and columns and
    /// mirrors the columns (MV | MX = 60h), which turns the picture by a quarter (section 8.12, "Address control").
    /// These modules' IPS glass shows the colours right with inversion on (INVON), so the driver sends it.
    /// </summary>
    public sealed class St7789Driver : TftDriver
    {
        public St7789Driver(ISpiDisplayBus bus, IBacklight backlight, TftPause pause, int width, int height)
            : this(bus, backlight, pause, width, height, DefaultAttempts)
        {
        }

        public St7789Driver(ISpiDisplayBus bus, IBacklight backlight, TftPause pause, int width, int height, int attempts)
            : base(bus, backlight, pause, Checked(width, height), height, attempts)
        {
        }

        internal override byte[] InitTable
        {
            get { return St7789InitSequence.Table; }
        }

        internal override int MemoryAccess
        {
            get { return Width > Height ? Dcs.RowColumnExchange | Dcs.ColumnAddressOrder : 0; }
        }

        internal override bool InvertColours
        {
            get { return true; }
        }

        private static int Checked(int width, int height)
        {
            if (!((width == 240 && height == 240) || (width == 240 && height == 320) || (width == 320 && height == 240)))
            {
                throw new ArgumentOutOfRangeException("width", "ST7789 panels are 240x240, 240x320 or 320x240, not " + width + "x" + height);
            }

            return width;
        }
    }
}
