namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set COM Output Scan Direction, C0h/C8h (datasheet 10.1.14): C8h scans COM[N-1] to COM0,
    /// flipping the image vertically.
    /// </summary>
    public static class SetComScanDirection
    {
        public const byte Normal = 0xC0;
        public const byte Remapped = 0xC8;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, bool remapped)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = remapped ? Remapped : Normal;
            return offset + Length;
        }
    }
}
