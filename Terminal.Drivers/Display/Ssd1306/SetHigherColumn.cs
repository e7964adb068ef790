namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Higher Column Start Address for page addressing mode, 10h-1Fh (SSD1306 datasheet 10.1.2, SH1106
    /// "Set Higher Column Address"): the high nibble of the column pointer (SSD1306 uses 0..7, SH1106 0..8).
    /// </summary>
    public static class SetHigherColumn
    {
        public const byte Base = 0x10;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, int nibble)
        {
            CommandBuffer.CheckRange(nibble, 0, 15, "nibble");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = (byte)(Base | nibble);
            return offset + Length;
        }
    }
}
