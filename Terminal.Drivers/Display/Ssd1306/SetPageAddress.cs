namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Page Address, 22h (datasheet 10.1.5): the page window for horizontal/vertical addressing,
    /// start..end in 0..7, start not after end; also moves the page pointer to start.
    /// </summary>
    public static class SetPageAddress
    {
        public const byte Opcode = 0x22;
        public const int Length = 3;

        public static int Write(byte[] buffer, int offset, int start, int end)
        {
            CommandBuffer.CheckRange(start, 0, 7, "start");
            CommandBuffer.CheckRange(end, start, 7, "end");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)start;
            buffer[offset + 2] = (byte)end;
            return offset + Length;
        }
    }
}
