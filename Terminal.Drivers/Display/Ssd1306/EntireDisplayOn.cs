namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Entire Display ON, A4h/A5h (datasheet 10.1.9): A4h shows RAM content ("resume"), A5h lights every
    /// pixel regardless of RAM (a panel test).
    /// </summary>
    public static class EntireDisplayOn
    {
        public const byte Resume = 0xA4;
        public const byte AllOn = 0xA5;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset, bool ignoreRam)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = ignoreRam ? AllOn : Resume;
            return offset + Length;
        }
    }
}
