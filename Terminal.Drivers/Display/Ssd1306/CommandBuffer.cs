using System;

namespace Terminal.Drivers.Display.Ssd1306
{
    /// <summary>
    /// Argument checks shared by the command types. Every command writes its bytes into a caller buffer
    /// at an offset and returns the offset after them, so a sequence is built without allocation:
    /// <c>o = SetContrast.Write(buf, o, 0xCF);</c>.
    /// </summary>
    internal static class CommandBuffer
    {
        public static void CheckSpace(byte[] buffer, int offset, int length)
        {
            if (buffer == null)
            {
                throw new ArgumentNullException("buffer");
            }

            if (offset < 0 || offset > buffer.Length - length)
            {
                throw new ArgumentOutOfRangeException("offset", "no room for " + length + " command bytes at offset "
                    + offset + " in a buffer of " + buffer.Length);
            }
        }

        public static void CheckRange(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                throw new ArgumentOutOfRangeException(name, name + " must be " + min + ".." + max + ", was " + value);
            }
        }
    }
}
