using Terminal.Drivers.Display.Ssd1306;

namespace Terminal.Drivers.Display.Sh1106
{
    /// <summary>
    /// DC-DC Control Mode Set, ADh then 8Bh (on, reset) or 8Ah (off) (SH1106 datasheet, "Set DC-DC OFF/ON").
    /// The SH1106 counterpart of the SSD1306 charge pump; takes effect with the next display-on.
    /// </summary>
    public static class SetDcDc
    {
        public const byte Opcode = 0xAD;
        public const byte On = 0x8B;
        public const byte Off = 0x8A;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, bool on)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = on ? On : Off;
            return offset + Length;
        }
    }
}
