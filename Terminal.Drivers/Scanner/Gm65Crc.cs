namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// The GM65 frame checksum: CRC-CCITT, polynomial 0x1021, initial value 0, MSB first, no final XOR
    /// (the CRC-16/XMODEM parameter set). Commands cover Types..Datas (not the 7E 00 head), replies cover
    /// Status..Datas (not the 02 00 head); both send it big-endian. Known answers from the GM65 manual:
    /// <c>07 01 00 0A 01</c> gives 0xEE8A, the write/save ACK body <c>00 01 00</c> gives 0x3331.
    /// </summary>
    public static class Gm65Crc
    {
        private const int Polynomial = 0x1021;

        /// <summary>Returns the CRC (0..0xFFFF) of <paramref name="count"/> bytes from <paramref name="offset"/>.</summary>
        public static int Compute(byte[] data, int offset, int count)
        {
            int crc = 0;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc ^= data[i] << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x8000) != 0 ? (crc << 1) ^ Polynomial : crc << 1;
                }

                crc &= 0xFFFF;
            }

            return crc;
        }
    }
}
