namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Page Start Address for page addressing mode, B0h-B7h (SSD1306 datasheet 10.1.13; the SH1106
    /// "Set Page Address" command has the same bytes).
    /// </summary>
    public static class SetPageStart
    {
        public const byte Base = 0xB0;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, int page)
        {
            CommandBuffer.CheckRange(page, 0, 7, "page");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = (byte)(Base | page);
            return offset + Length;
        }
    }
}
