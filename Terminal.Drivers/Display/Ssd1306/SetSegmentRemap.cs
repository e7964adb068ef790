namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Segment Re-map, A0h/A1h (datasheet 10.1.8): A1h maps column 127 to SEG0, which turns the
    /// image the right way round on the usual modules (together with COM scan C8h).
    /// </summary>
    public static class SetSegmentRemap
    {
        public const byte Normal = 0xA0;
        public const byte Remapped = 0xA1;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, bool remapped)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = remapped ? Remapped : Normal;
            return offset + Length;
        }
    }
}
