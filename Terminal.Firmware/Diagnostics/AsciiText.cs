namespace Terminal.Firmware.Diagnostics
{
    /// <summary>ASCII text as bytes and back, for checks whose known answers are written as strings (the self-test's
    /// and the interpreter scenarios').</summary>
    public static class AsciiText
    {
        /// <summary>One byte per character (the checks' texts are ASCII).</summary>
        public static byte[] Bytes(string text)
        {
            byte[] bytes = new byte[text.Length];
            Write(text, bytes, 0);
            return bytes;
        }

        /// <summary>Writes <paramref name="text"/> at <paramref name="offset"/> and answers its length.</summary>
        public static int Write(string text, byte[] buffer, int offset)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[offset + i] = (byte)text[i];
            }

            return text.Length;
        }

        /// <summary>Whether the first <paramref name="count"/> bytes are exactly <paramref name="text"/>.</summary>
        public static bool Matches(byte[] bytes, int count, string text)
        {
            if (count != text.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (bytes[i] != (byte)text[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
