namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set Display ON/OFF, AEh/AFh (SSD1306 datasheet 10.1.12): off = sleep mode, RAM and settings kept.
    /// </summary>
    public static class SetDisplayOnOff
    {
        public const byte Off = 0xAE;
        public const byte On = 0xAF;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, bool on)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = on ? On : Off;
            return offset + Length;
        }
    }
}
