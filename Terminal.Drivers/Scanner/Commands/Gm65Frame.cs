namespace Terminal.Drivers.Scanner.Commands
{
    /// <summary>Lays out one command frame: <c>7E 00 Types Lens AddrH AddrL Datas CrcH CrcL</c>.</summary>
    internal static class Gm65Frame
    {
        /// <summary>Frame length for <paramref name="dataCount"/> data bytes.</summary>
        public static int LengthFor(int dataCount)
        {
            return Gm65Protocol.CommandOverhead + dataCount;
        }

        /// <summary>
        /// Writes the frame at <paramref name="offset"/>; the caller guarantees room for
        /// <see cref="LengthFor"/> bytes. Returns the frame length.
        /// </summary>
        public static int Write(byte[] buffer, int offset, byte type, int address, byte[] data, int dataOffset, int dataCount)
        {
            int length = LengthFor(dataCount);
            if (buffer == null)
            {
                throw new System.ArgumentNullException("buffer");
            }

            if (offset < 0 || buffer.Length - offset < length)
            {
                throw new System.ArgumentOutOfRangeException("offset", "the buffer has no room for a " + length + "-byte frame at " + offset);
            }

            buffer[offset] = Gm65Protocol.CommandHead0;
            buffer[offset + 1] = Gm65Protocol.CommandHead1;
            buffer[offset + 2] = type;
            buffer[offset + 3] = (byte)dataCount;
            buffer[offset + 4] = (byte)(address >> 8);
            buffer[offset + 5] = (byte)address;
            for (int i = 0; i < dataCount; i++)
            {
                buffer[offset + 6 + i] = data[dataOffset + i];
            }

            // The CRC covers Types..Datas: everything after the two head bytes.
            int crc = Gm65Crc.Compute(buffer, offset + 2, 4 + dataCount);
            buffer[offset + 6 + dataCount] = (byte)(crc >> 8);
            buffer[offset + 7 + dataCount] = (byte)crc;
            return length;
        }

        /// <summary>Checks a zone address for the two-byte address field.</summary>
        public static void CheckAddress(int address)
        {
            if (address < 0 || address > 0xFFFF)
            {
                throw new System.ArgumentOutOfRangeException("address", "a zone address is 0x0000..0xFFFF, got " + address);
            }
        }
    }
}
