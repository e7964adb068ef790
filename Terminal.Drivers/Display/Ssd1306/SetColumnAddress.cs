namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Column Address, 21h (datasheet 10.1.4): the column window for horizontal/vertical addressing,
    /// start..end in 0..127, start not after end; also moves the column pointer to start.
    /// </summary>
    public static class SetColumnAddress
    {
        public const byte Opcode = 0x21;
        public const int Length = 3;

        public static int Write(byte[] buffer, int offset, int start, int end)
        {
            CommandBuffer.CheckRange(start, 0, 127, "start");
            CommandBuffer.CheckRange(end, start, 127, "end");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)start;
            buffer[offset + 2] = (byte)end;
            return offset + Length;
        }
    }
}
