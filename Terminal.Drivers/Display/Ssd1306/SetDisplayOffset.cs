namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>Set Display Offset, D3h (datasheet 10.1.15): vertical shift by COM, 0..63.</summary>
    public static class SetDisplayOffset
    {
        public const byte Opcode = 0xD3;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int rows)
        {
            CommandBuffer.CheckRange(rows, 0, 63, "rows");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)rows;
            return offset + Length;
        }
    }
}
