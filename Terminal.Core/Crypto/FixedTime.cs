using System;

namespace Terminal.Core.Crypto
{
    /// <summary>Comparisons whose duration does not depend on where the inputs differ (for MACs and signatures).</summary>
    public static class FixedTime
    {
        /// <summary>True if the two ranges hold the same bytes; always reads all <paramref name="count"/> bytes.</summary>
        public static bool Equals(byte[] a, int aOffset, byte[] b, int bOffset, int count)
        {
            if (a == null || b == null || count < 0 || aOffset < 0 || bOffset < 0
                || aOffset > a.Length - count || bOffset > b.Length - count)
            {
                throw new ArgumentOutOfRangeException("count", "byte range outside the array");
            }

            int difference = 0;
            for (int i = 0; i < count; i++)
            {
                difference |= a[aOffset + i] ^ b[bOffset + i];
            }

            return difference == 0;
        }
    }
}
