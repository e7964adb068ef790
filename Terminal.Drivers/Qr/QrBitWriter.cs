using System.Diagnostics;

namespace Terminal.Drivers.Qr
{
    /// <summary>Appends bit fields, most significant bit first, to a caller-owned byte buffer.</summary>
    internal sealed class QrBitWriter
    {
        private byte[] _buffer;
        private int _bitLength;
        private int _capacityBits;

        internal int BitLength
        {
            get { return _bitLength; }
        }

        /// <summary>Starts writing at bit 0 of buffer; clears the first capacityBits/8 bytes.</summary>
        internal void Reset(byte[] buffer, int capacityBits)
        {
            Debug.Assert(capacityBits % 8 == 0 && capacityBits / 8 <= buffer.Length);
            _buffer = buffer;
            _bitLength = 0;
            _capacityBits = capacityBits;
            for (int i = 0; i < capacityBits / 8; i++)
            {
                buffer[i] = 0;
            }
        }

        /// <summary>Writes the low <paramref name="length"/> bits (0..31) of value, up to a byte per step.</summary>
        internal void Write(int value, int length)
        {
            Debug.Assert(length >= 0 && length <= 31 && (value >> length) == 0);
            Debug.Assert(_bitLength + length <= _capacityBits);
            int bit = _bitLength;
            while (length > 0)
            {
                int free = 8 - (bit & 7); // bits left in the current byte
                int take = length < free ? length : free;
                length -= take;
                int chunk = (value >> length) & ((1 << take) - 1);
                _buffer[bit >> 3] |= (byte)(chunk << (free - take));
                bit += take;
            }

            _bitLength = bit;
        }
    }
}
