namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set COM Pins Hardware Configuration, DAh (datasheet 10.1.18): bit 4 = alternative COM pin
    /// configuration (128x64 panels), bit 5 = COM left/right remap, bit 1 always set. 128x64: 12h.
    /// </summary>
    public static class SetComPins
    {
        public const byte Opcode = 0xDA;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, bool alternative, bool leftRightRemap)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)(0x02 | (alternative ? 0x10 : 0) | (leftRightRemap ? 0x20 : 0));
            return offset + Length;
        }
    }
}
