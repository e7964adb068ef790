namespace Terminal.Drivers.Scanner.Commands
{
    /// <summary>
    /// Types 0x07: reads <see cref="Count"/> consecutive zones from <see cref="Address"/>. The reply is
    /// <c>02 00 00 Lens values... CRC</c>. Example from the manual: zone 0x000A, one zone, is
    /// <c>7E 00 07 01 00 0A 01 EE 8A</c>, answered <c>02 00 00 01 3E E4 AC</c>.
    /// </summary>
    public sealed class ReadZoneBits : IGm65Command
    {
        /// <summary>Most zones one read returns (the count byte 0 means 256).</summary>
        public const int MaxCount = 256;

        private readonly byte[] _countByte;

        /// <summary>Reads <paramref name="count"/> zones (1..256) from <paramref name="address"/>.</summary>
        public ReadZoneBits(int address, int count)
        {
            Gm65Frame.CheckAddress(address);
            if (count < 1 || count > MaxCount)
            {
                throw new System.ArgumentOutOfRangeException("count", "a read returns 1.." + MaxCount + " zones, got " + count);
            }

            Address = address;
            Count = count;
            _countByte = new byte[] { (byte)(count == MaxCount ? 0 : count) };
        }

        /// <inheritdoc />
        public byte Type
        {
            get { return Gm65Protocol.TypeReadZones; }
        }

        /// <inheritdoc />
        public int Address { get; private set; }

        /// <summary>Number of zones read.</summary>
        public int Count { get; private set; }

        /// <inheritdoc />
        public int Length
        {
            get { return Gm65Frame.LengthFor(1); }
        }

        /// <inheritdoc />
        public int WriteTo(byte[] buffer, int offset)
        {
            return Gm65Frame.Write(buffer, offset, Type, Address, _countByte, 0, 1);
        }
    }
}
