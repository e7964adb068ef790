namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>Set Memory Addressing Mode, 20h (datasheet 10.1.3): 00 horizontal, 01 vertical, 10 page.</summary>
    public static class SetMemoryAddressingMode
    {
        public const byte Opcode = 0x20;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, MemoryAddressingMode mode)
        {
            CommandBuffer.CheckRange((int)mode, 0, 2, "mode");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)mode;
            return offset + Length;
        }
    }
}
