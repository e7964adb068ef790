namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Display Clock Divide Ratio/Oscillator Frequency, D5h (datasheet 10.1.16): low nibble = divide
    /// ratio - 1 (ratio 1..16), high nibble = oscillator frequency setting 0..15. Reset: 80h.
    /// </summary>
    public static class SetDisplayClockDivide
    {
        public const byte Opcode = 0xD5;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int divideRatio, int oscillatorFrequency)
        {
            CommandBuffer.CheckRange(divideRatio, 1, 16, "divideRatio");
            CommandBuffer.CheckRange(oscillatorFrequency, 0, 15, "oscillatorFrequency");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)((oscillatorFrequency << 4) | (divideRatio - 1));
            return offset + Length;
        }
    }
}
