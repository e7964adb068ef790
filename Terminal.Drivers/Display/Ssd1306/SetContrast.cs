namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>Set Contrast Control, 81h (datasheet 10.1.7): segment current, 0..255 (reset 7Fh).</summary>
    public static class SetContrast
    {
        public const byte Opcode = 0x81;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int contrast)
        {
            CommandBuffer.CheckRange(contrast, 0, 255, "contrast");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)contrast;
            return offset + Length;
        }
    }
}
