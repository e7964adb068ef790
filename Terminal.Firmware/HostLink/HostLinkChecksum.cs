namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// The per-line checksum: CRC-8 with polynomial 0x07, initial value 0, no reflection, no final XOR
    /// (the CRC-8/SMBUS parameter set; check value: "123456789" gives 0xF4), over every byte before the last
    /// '*', sent as two upper-case hex digits. Stronger than an XOR of the bytes: it also catches swapped and
    /// doubled bytes.
    /// </summary>
    public static class HostLinkChecksum
    {
        private const int Polynomial = 0x07;

        /// <summary>Returns the CRC-8 (0..255) of <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static int Compute(byte[] data, int offset, int count)
        {
            int crc = 0;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x80) != 0 ? ((crc << 1) ^ Polynomial) & 0xFF : (crc << 1) & 0xFF;
                }
            }

            return crc;
        }

        /// <summary>Returns the CRC-8 of the characters of <paramref name="text"/> (ASCII; allocates nothing).</summary>
        public static int Compute(string text)
        {
            int crc = 0;
            for (int i = 0; i < text.Length; i++)
            {
                crc ^= text[i] & 0xFF;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x80) != 0 ? ((crc << 1) ^ Polynomial) & 0xFF : (crc << 1) & 0xFF;
                }
            }

            return crc;
        }

        /// <summary>Upper-case hex digit of a nibble (0..15).</summary>
        public static byte HexDigit(int nibble)
        {
            return (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
        }

        /// <summary>Value of a hex digit (either case), or -1.</summary>
        public static int HexValue(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                return b - '0';
            }

            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return b - 'A' + 10;
            }

            if (b >= (byte)'a' && b <= (byte)'f')
            {
                return b - 'a' + 10;
            }

            return -1;
        }
    }
}
