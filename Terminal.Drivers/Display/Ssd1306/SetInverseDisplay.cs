namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>Set Normal/Inverse Display, A6h/A7h (datasheet 10.1.10): A7h shows RAM bit 0 as lit.</summary>
    public static class SetInverseDisplay
    {
        public const byte Normal = 0xA6;
        public const byte Inverse = 0xA7;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, bool inverse)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = inverse ? Inverse : Normal;
            return offset + Length;
        }
    }
}
