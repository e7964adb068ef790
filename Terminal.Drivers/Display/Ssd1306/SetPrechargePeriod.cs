namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Pre-charge Period, D9h (datasheet 10.1.17): low nibble = phase 1, high nibble = phase 2, each
    /// 1..15 DCLKs (0 is invalid). Reset 22h; F1h suits the internal charge pump.
    /// </summary>
    public static class SetPrechargePeriod
    {
        public const byte Opcode = 0xD9;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int phase1, int phase2)
        {
            CommandBuffer.CheckRange(phase1, 1, 15, "phase1");
            CommandBuffer.CheckRange(phase2, 1, 15, "phase2");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)((phase2 << 4) | phase1);
            return offset + Length;
        }
    }
}
