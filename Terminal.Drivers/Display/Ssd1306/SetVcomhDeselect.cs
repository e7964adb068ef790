namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Set VCOMH Deselect Level, DBh (datasheet 10.1.19): level code in bits 6..4 (0 = 0.65 VCC,
    /// 2 = 0.77 VCC reset, 3 = 0.83 VCC). Common init sequences use code 4 (40h), beyond the documented
    /// table but accepted by the controller.
    /// </summary>
    public static class SetVcomhDeselect
    {
        public const byte Opcode = 0xDB;
        public const int Length = 2;

        public static int Write(byte[] buffer, int offset, int level)
        {
            CommandBuffer.CheckRange(level, 0, 7, "level");
            CommandBuffer.CheckSpace(buffer, offset, Length);
            buffer[offset] = Opcode;
            buffer[offset + 1] = (byte)(level << 4);
            return offset + Length;
        }
    }
}
