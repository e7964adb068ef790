namespace Terminal.Core.Checksums
{
    /// <summary>
    /// CRC-32 as in IEEE 802.3 / zlib (reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF;
    /// check value of "123456789" is 0xCBF43926). A 16-entry table, one nibble at a time: records are
    /// a few kilobytes and written rarely, so the small table wins over speed.
    /// </summary>
    public static class Crc32
    {
        /// <summary>CRC of each 4-bit value, reflected polynomial 0xEDB88320.</summary>
        private static readonly uint[] NibbleTable =
        {
            0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
            0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C,
        };

        /// <summary>CRC-32 of <c>data[offset .. offset+count)</c>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Start, data, offset, count));
        }

        /// <summary>Initial register value for <see cref="Update"/>.</summary>
        public const uint Start = 0xFFFFFFFF;

        /// <summary>Feeds bytes into a running CRC register (begin with <see cref="Start"/>).</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i];
                crc = (crc >> 4) ^ NibbleTable[crc & 0x0F];
                crc = (crc >> 4) ^ NibbleTable[crc & 0x0F];
            }

            return crc;
        }

        /// <summary>Final XOR of a running register.</summary>
        public static uint Finish(uint crc)
        {
            return crc ^ 0xFFFFFFFF;
        }
    }
}
