namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Multiplex Ratio, A8h (datasheet 10.1.11): the number of COM lines driven, 16..64, sent as
    /// ratio - 1. 64 for a 128x64 panel.
    /// </summary>
    public static class SetMultiplexRatio
    {
        public const byte Opcode = 0xA8;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int ratio)
        {
            CommandBuffer.CheckRange(ratio, 16, 64, "ratio");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)(ratio - 1);
            return offset + Length;
        }
    }
}
