using System;

namespace Terminal.Core.Encoding
{
    /// <summary>
    /// Base64 (RFC 4648 section 4: standard alphabet, '=' padding, no line breaks) between byte arrays, without
    /// the strings mscorlib's Convert would allocate. Decoding is strict: whole 4-character groups, padding only
    /// at the end, no whitespace, and the unused bits of the last group must be zero (RFC 4648 section 3.5),
    /// so each byte sequence has exactly one accepted text.
    /// </summary>
    public static class Base64
    {
        private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

        /// <summary>Characters the encoding of <paramref name="count"/> bytes takes.</summary>
        public static int GetEncodedLength(int count)
        {
            if (count < 0 || count > 1610612733)
            {
                throw new ArgumentOutOfRangeException("count", "base64 of this many bytes does not fit in an array");
            }

            return ((count + 2) / 3) * 4;
        }

        /// <summary>Most bytes <paramref name="count"/> base64 characters can decode to.</summary>
        public static int GetMaxDecodedLength(int count)
        {
            return (count / 4) * 3;
        }

        /// <summary>Writes the ASCII base64 of the source range at dstOffset and returns the characters written.</summary>
        public static int Encode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            CheckRange(src, offset, count, "offset");
            int length = GetEncodedLength(count);
            CheckRange(dst, dstOffset, length, "dstOffset");
            int p = dstOffset;
            int end = offset + count;
            int i = offset;
            for (; end - i >= 3; i += 3)
            {
                int group = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
                dst[p++] = (byte)Alphabet[group >> 18];
                dst[p++] = (byte)Alphabet[(group >> 12) & 0x3F];
                dst[p++] = (byte)Alphabet[(group >> 6) & 0x3F];
                dst[p++] = (byte)Alphabet[group & 0x3F];
            }

            if (end - i == 1)
            {
                int group = src[i] << 16;
                dst[p++] = (byte)Alphabet[group >> 18];
                dst[p++] = (byte)Alphabet[(group >> 12) & 0x3F];
                dst[p++] = (byte)'=';
                dst[p++] = (byte)'=';
            }
            else if (end - i == 2)
            {
                int group = (src[i] << 16) | (src[i + 1] << 8);
                dst[p++] = (byte)Alphabet[group >> 18];
                dst[p++] = (byte)Alphabet[(group >> 12) & 0x3F];
                dst[p++] = (byte)Alphabet[(group >> 6) & 0x3F];
                dst[p++] = (byte)'=';
            }

            return length;
        }

        /// <summary>
        /// Decodes ASCII base64 into dst at dstOffset and returns the byte count, or -1 if the text is not
        /// canonical base64. Throws <see cref="ArgumentException"/> if the decoded bytes would not fit.
        /// </summary>
        public static int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            CheckRange(src, offset, count, "offset");
            if (count % 4 != 0)
            {
                return -1;
            }

            if (count == 0)
            {
                return 0;
            }

            int end = offset + count;
            int padding = src[end - 1] == '=' ? (src[end - 2] == '=' ? 2 : 1) : 0;
            int length = ((count / 4) * 3) - padding;
            if (dst == null || dstOffset < 0 || dstOffset > dst.Length - length)
            {
                throw new ArgumentException("base64 decode needs " + length + " bytes at dstOffset");
            }

            int p = dstOffset;
            int lastGroup = end - 4;
            for (int i = offset; i < lastGroup; i += 4)
            {
                int v0 = Value(src[i]);
                int v1 = Value(src[i + 1]);
                int v2 = Value(src[i + 2]);
                int v3 = Value(src[i + 3]);
                if ((v0 | v1 | v2 | v3) < 0)
                {
                    return -1;
                }

                int group = (v0 << 18) | (v1 << 12) | (v2 << 6) | v3;
                dst[p++] = (byte)(group >> 16);
                dst[p++] = (byte)(group >> 8);
                dst[p++] = (byte)group;
            }

            int a = Value(src[lastGroup]);
            int b = Value(src[lastGroup + 1]);
            int c = padding == 2 ? 0 : Value(src[lastGroup + 2]);
            int d = padding >= 1 ? 0 : Value(src[lastGroup + 3]);
            if ((a | b | c | d) < 0)
            {
                return -1;
            }

            int last = (a << 18) | (b << 12) | (c << 6) | d;
            if ((padding == 2 && (last & 0xFFFF) != 0) || (padding == 1 && (last & 0xFF) != 0))
            {
                return -1; // non-zero unused bits: not the canonical encoding
            }

            dst[p++] = (byte)(last >> 16);
            if (padding < 2)
            {
                dst[p++] = (byte)(last >> 8);
            }

            if (padding < 1)
            {
                dst[p++] = (byte)last;
            }

            return length;
        }

        /// <summary>6-bit value of a base64 character; -1 for anything else ('=' included).</summary>
        private static int Value(int c)
        {
            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A';
            }

            if (c >= 'a' && c <= 'z')
            {
                return c - 'a' + 26;
            }

            if (c >= '0' && c <= '9')
            {
                return c - '0' + 52;
            }

            if (c == '+')
            {
                return 62;
            }

            if (c == '/')
            {
                return 63;
            }

            return -1;
        }

        private static void CheckRange(byte[] array, int offset, int count, string name)
        {
            if (array == null || offset < 0 || count < 0 || offset > array.Length - count)
            {
                throw new ArgumentOutOfRangeException(name, "byte range outside the array");
            }
        }
    }
}
