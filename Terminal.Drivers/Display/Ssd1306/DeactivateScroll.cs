namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Deactivate Scroll, 2Eh (datasheet 10.2.3): stops a scroll left running (e.g. by another firmware
    /// before a warm restart); RAM must be rewritten after it.
    /// </summary>
    public static class DeactivateScroll
    {
        public const byte Opcode = 0x2E;
        public const int Length = 1;

        public static int Write(byte[] buffer, int offset)
        {
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            return offset + Length;
        }
    }
}
