namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Lower Column Start Address for page addressing mode, 00h-0Fh (SSD1306 datasheet 10.1.1, SH1106
    /// "Set Lower Column Address"): the low nibble of the column pointer.
    /// </summary>
    public static class SetLowerColumn
    {
        public const byte Base = 0x00;
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
