namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Charge Pump Setting, 8Dh (datasheet application note, "Charge Pump Regulator"): 14h enables the
    /// internal pump that most 3.3 V modules need, 10h disables it (external VCC). Takes effect with
    /// the next display-on.
    /// </summary>
    public static class SetChargePump
    {
        public const byte Opcode = 0x8D;
        public const byte Enable = 0x14;
        public const byte Disable = 0x10;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, bool enable)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = enable ? Enable : Disable;
            return offset + Length;
        }
    }
}
