namespace Terminal.Drivers.Display.Tft
{
    /// <summary>
    /// The commands ST7789 and ILI9341 share (the MIPI Display Command Set both implement; ST7789V datasheet
    /// section 9.1 "System function command", ILI9341 datasheet section 8.2 "Level 1 command"). Each is one byte
    /// sent with D/CX low; its parameters follow with D/CX high.
    /// </summary>
    internal static class Dcs
    {
        /// <summary>Software reset: registers to their reset values, sleep in, display off; wait 5 ms (120 ms before SLPOUT).</summary>
        public const byte SoftwareReset = 0x01;

        /// <summary>Sleep in: wait 5 ms before the next command, 120 ms after a sleep out.</summary>
        public const byte SleepIn = 0x10;

        /// <summary>Sleep out: wait 5 ms before the next command and 120 ms before a sleep in.</summary>
        public const byte SleepOut = 0x11;

        /// <summary>Normal display mode (partial mode off).</summary>
        public const byte NormalMode = 0x13;

        public const byte InversionOff = 0x20;

        public const byte InversionOn = 0x21;

        public const byte DisplayOff = 0x28;

        public const byte DisplayOn = 0x29;

        /// <summary>Column address set: start high, start low, end high, end low.</summary>
        public const byte ColumnAddressSet = 0x2A;

        /// <summary>Row (page) address set: start high, start low, end high, end low.</summary>
        public const byte RowAddressSet = 0x2B;

        /// <summary>Memory write: pixel data follows, from the window's first column and row.</summary>
        public const byte MemoryWrite = 0x2C;

        /// <summary>Memory access control: MY (bit 7), MX (6), MV (5), ML (4), RGB/BGR order (3), MH (2).</summary>
        public const byte MemoryAccessControl = 0x36;

        /// <summary>Interface pixel format: 55h = 16 bits per pixel on both the RGB and the MCU interface.</summary>
        public const byte PixelFormat = 0x3A;

        public const int RowAddressOrder = 0x80;
        public const int ColumnAddressOrder = 0x40;
        public const int RowColumnExchange = 0x20;
        public const int BgrOrder = 0x08;

        /// <summary>65K colours, 16 bits per pixel, on both interfaces.</summary>
        public const byte Rgb565Format = 0x55;
    }
}
