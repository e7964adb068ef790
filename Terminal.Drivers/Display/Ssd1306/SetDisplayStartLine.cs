namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>Set Display Start Line, 40h-7Fh (datasheet 10.1.6): the RAM row shown on the top line, 0..63.</summary>
    public static class SetDisplayStartLine
    {
        public const byte Base = 0x40;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, int line)
        {
            CommandBuffer.CheckRange(line, 0, 63, "line");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = (byte)(Base | line);
            return offset + Length;
        }
    }
}
