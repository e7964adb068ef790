using Terminal.Core.Checksums;
using Terminal.Drivers.Ports;

namespace Terminal.NanoRunner.Ports
{
    /// <summary>
    /// A colour display's SPI port that takes every transfer and keeps a CRC-32 of all of it (each transfer's D/CX
    /// level as one byte, then its bytes) and the byte count: two runtimes that send the same commands and pixels
    /// print the same figures. Allocates nothing.
    /// </summary>
    public sealed class CrcSpiBus : ISpiDisplayBus
    {
        private readonly byte[] _level = new byte[1];
        private uint _crc = Crc32.Start;

        public long Bytes { get; private set; }

        public uint Crc
        {
            get { return Crc32.Finish(_crc); }
        }

        /// <summary>When false, transfers are counted but not checksummed (for timing).</summary>
        public bool Checksum { get; set; }

        public bool Write(byte[] buffer, int offset, int count, bool data)
        {
            Bytes += count;
            if (Checksum)
            {
                _level[0] = data ? (byte)1 : (byte)0;
                _crc = Crc32.Update(_crc, _level, 0, 1);
                _crc = Crc32.Update(_crc, buffer, offset, count);
            }

            return true;
        }
    }
}
