using Terminal.Drivers.Display.Ssd1306;

namespace Terminal.Drivers.Display.Sh1106
{
    /// <summary>
    /// Set Pump Voltage Value, 30h-33h (SH1106 datasheet, "Set Pump voltage value"): 0 = 6.4 V, 1 = 7.4 V, 2 = 8.0 V
    /// (reset), 3 = 9.0 V.
    /// </summary>
    public static class SetPumpVoltage
    {
        public const byte Base = 0x30;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, int level)
        {
            CommandBuffer.CheckRange(level, 0, 3, "level");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = (byte)(Base | level);
            return offset + Length;
        }
    }
}
