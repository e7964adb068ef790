using System;

namespace Terminal.Core.Text
{
    /// <summary>Culture-free decimal integers as ASCII bytes, without allocation (no long.ToString on hot paths).</summary>
    public static class AsciiNumber
    {
        /// <summary>Longest output: "-9223372036854775808".</summary>
        public const int MaxLength = 20;

        /// <summary>Number of bytes <see cref="Write"/> produces for <paramref name="value"/>.</summary>
        public static int GetLength(long value)
        {
            ulong magnitude = Magnitude(value);
            int digits = 1;
            while (magnitude >= 10)
            {
                magnitude /= 10;
                digits++;
            }

            return value < 0 ? digits + 1 : digits;
        }

        /// <summary>
        /// Writes <paramref name="value"/> in decimal ('-' for negatives) at <paramref name="offset"/> and returns
        /// the number of bytes. Throws <see cref="ArgumentException"/> (nothing written) if it does not fit.
        /// </summary>
        public static int Write(long value, byte[] dst, int offset)
        {
            int length = GetLength(value);
            if (offset < 0 || offset > dst.Length || dst.Length - offset < length)
            {
                throw new ArgumentException("number needs " + length + " bytes at offset " + offset + ", buffer is " + dst.Length);
            }

            ulong magnitude = Magnitude(value);
            int p = offset + length;
            do
            {
                ulong next = magnitude / 10;
                dst[--p] = (byte)('0' + (int)(magnitude - (next * 10)));
                magnitude = next;
            }
            while (magnitude != 0);

            if (value < 0)
            {
                dst[offset] = (byte)'-';
            }

            return length;
        }

        /// <summary>
        /// Parses an optional leading '-' and one or more ASCII digits filling the whole range. False on any
        /// other byte, an empty range or a value outside the long range.
        /// </summary>
        public static bool TryParse(byte[] src, int offset, int count, out long value)
        {
            value = 0;
            if (src == null || offset < 0 || count <= 0 || offset > src.Length - count)
            {
                return false;
            }

            int i = offset;
            int end = offset + count;
            bool negative = src[i] == '-';
            if (negative)
            {
                i++;
                if (i == end)
                {
                    return false;
                }
            }

            // Accumulate as a negative number so that long.MinValue fits.
            long accumulator = 0;
            const long Limit = long.MinValue / 10; // -922337203685477580
            for (; i < end; i++)
            {
                int digit = src[i] - '0';
                if (digit < 0 || digit > 9)
                {
                    return false;
                }

                if (accumulator < Limit)
                {
                    return false;
                }

                accumulator *= 10;
                if (accumulator < long.MinValue + digit)
                {
                    return false;
                }

                accumulator -= digit;
            }

            if (!negative)
            {
                if (accumulator == long.MinValue)
                {
                    return false;
                }

                accumulator = -accumulator;
            }

            value = accumulator;
            return true;
        }

        private static ulong Magnitude(long value)
        {
            return value < 0 ? (ulong)(-(value + 1)) + 1UL : (ulong)value;
        }
    }
}
