namespace Terminal.Drivers.Scanner.Commands
{
    /// <summary>
    /// Types 0x08: writes values into consecutive zones starting at <see cref="Address"/> (RAM only until a
    /// <see cref="SaveZoneBits"/>). The module answers with the ACK <c>02 00 00 01 00 33 31</c>.
    /// Example from the manual: zone 0x0002 = 0x01 is <c>7E 00 08 01 00 02 01 02 DA</c>.
    /// </summary>
    public sealed class WriteZoneBits : IGm65Command
    {
        /// <summary>Most values one frame carries: Lens is a single byte.</summary>
        public const int MaxValues = 255;

        private readonly byte[] _values;

        /// <summary>Writes one zone.</summary>
        public WriteZoneBits(int address, byte value)
            : this(address, new byte[] { value })
        {
        }

        /// <summary>Writes <paramref name="values"/> into zones <paramref name="address"/>, address+1, ...</summary>
        public WriteZoneBits(int address, byte[] values)
        {
            Gm65Frame.CheckAddress(address);
            if (values == null)
            {
                throw new System.ArgumentNullException("values");
            }

            if (values.Length < 1 || values.Length > MaxValues)
            {
                throw new System.ArgumentOutOfRangeException("values", "a write carries 1.." + MaxValues + " values, got " + values.Length);
            }

            Address = address;
            _values = (byte[])values.Clone();
        }

        /// <inheritdoc />
        public byte Type
        {
            get { return Gm65Protocol.TypeWriteZones; }
        }

        /// <inheritdoc />
        public int Address { get; private set; }

        /// <summary>Number of zones written.</summary>
        public int Count
        {
            get { return _values.Length; }
        }

        /// <summary>The value written into zone <see cref="Address"/> + <paramref name="index"/>.</summary>
        public byte ValueAt(int index)
        {
            return _values[index];
        }

        /// <inheritdoc />
        public int Length
        {
            get { return Gm65Frame.LengthFor(_values.Length); }
        }

        /// <inheritdoc />
        public int WriteTo(byte[] buffer, int offset)
        {
            return Gm65Frame.Write(buffer, offset, Type, Address, _values, 0, _values.Length);
        }
    }
}
