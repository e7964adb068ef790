using Terminal.Drivers.Display.Ssd1306;

namespace Terminal.Drivers.Display.Sh1106
{
    /// <summary>
    /// Set VCOM Deselect Level, DBh (SH1106 datasheet, "Set VCOM Deselect Level"): unlike the SSD1306 the whole second
    /// byte is the level, VCOM = 0.430 + level x 0.006415 x VREF; reset 35h.
    /// </summary>
    public static class SetVcomDeselectLevel
    {
        public const byte Opcode = 0xDB;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int level)
        {
            CommandBuffer.CheckRange(level, 0, 255, "level");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)level;
            return offset + Length;
        }
    }
}
