using System;

namespace Terminal.Core.Text
{
    /// <summary>
    /// UTF-8 (RFC 3629) over byte arrays, for mscorlib without System.Text.Encoding.
    /// Decoding follows the Unicode "maximal subpart" practice (Unicode 15, section 3.9, U+FFFD substitution),
    /// the same as .NET's Encoding.UTF8: overlong forms, surrogates (ED A0..BF) and code points above
    /// U+10FFFF are invalid. Encoding replaces a lone UTF-16 surrogate with U+FFFD (EF BF BD).
    /// </summary>
    public static class Utf8
    {
        /// <summary>The replacement character U+FFFD.</summary>
        public const char Replacement = '\uFFFD';

        /// <summary>Number of bytes <see cref="Encode"/> writes for <paramref name="s"/>.</summary>
        public static int GetByteCount(string s)
        {
            int count = 0;
            int length = s.Length;
            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                if (c < 0x80)
                {
                    count += 1;
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (IsHighSurrogate(c) && i + 1 < length && IsLowSurrogate(s[i + 1]))
                {
                    count += 4;
                    i++;
                }
                else
                {
                    count += 3;
                }
            }

            return count;
        }

        /// <summary>
        /// Writes the UTF-8 bytes of <paramref name="s"/> at <paramref name="offset"/> and returns their number.
        /// Throws <see cref="ArgumentException"/> (nothing written) if the destination is too small.
        /// </summary>
        public static int Encode(string s, byte[] dst, int offset)
        {
            int needed = GetByteCount(s);
            if (offset < 0 || offset > dst.Length || dst.Length - offset < needed)
            {
                throw new ArgumentException("UTF-8 destination too small: needs " + needed + " bytes at offset " + offset + ", buffer is " + dst.Length);
            }

            int p = offset;
            int length = s.Length;
            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                if (c < 0x80)
                {
                    dst[p++] = (byte)c;
                    continue;
                }

                int codePoint = c;
                if (IsHighSurrogate(c) && i + 1 < length && IsLowSurrogate(s[i + 1]))
                {
                    codePoint = CombineSurrogates(c, s[i + 1]);
                    i++;
                }
                else if (IsHighSurrogate(c) || IsLowSurrogate(c))
                {
                    codePoint = Replacement;
                }

                p += WriteCodePoint(codePoint, dst, p);
            }

            return p - offset;
        }

        /// <summary>Decodes, replacing each maximal invalid subpart with U+FFFD. Allocates the string.</summary>
        public static string Decode(byte[] src, int offset, int count)
        {
            return DecodeCore(src, offset, count, false);
        }

        /// <summary>Decodes, throwing <see cref="Utf8Exception"/> at the first invalid sequence. Allocates the string.</summary>
        public static string DecodeStrict(byte[] src, int offset, int count)
        {
            return DecodeCore(src, offset, count, true);
        }

        /// <summary>True if the range is well-formed UTF-8.</summary>
        public static bool IsValid(byte[] src, int offset, int count)
        {
            return FindInvalid(src, offset, count) < 0;
        }

        /// <summary>Index (absolute) of the first invalid sequence in the range, or -1 if it is all valid.</summary>
        public static int FindInvalid(byte[] src, int offset, int count)
        {
            CheckRange(src, offset, count);
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                if (src[i] < 0x80)
                {
                    i++;
                    continue;
                }

                int codePoint;
                int length = DecodeOne(src, i, end, out codePoint);
                if (codePoint < 0)
                {
                    return i;
                }

                i += length;
            }

            return -1;
        }

        /// <summary>
        /// Decodes one scalar value at <paramref name="index"/> (which must be below <paramref name="end"/>) and
        /// returns the number of bytes it spans. On an invalid sequence <paramref name="codePoint"/> is -1 and
        /// the return value is the length of the maximal invalid subpart (at least 1) to replace with one U+FFFD.
        /// </summary>
        public static int DecodeOne(byte[] src, int index, int end, out int codePoint)
        {
            int b0 = src[index];
            if (b0 < 0x80)
            {
                codePoint = b0;
                return 1;
            }

            int needed;
            int lower = 0x80;
            int upper = 0xBF;
            int value;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                needed = 1;
                value = b0 & 0x1F;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                needed = 2;
                value = b0 & 0x0F;
                if (b0 == 0xE0)
                {
                    lower = 0xA0; // below: overlong
                }
                else if (b0 == 0xED)
                {
                    upper = 0x9F; // above: UTF-16 surrogates
                }
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                needed = 3;
                value = b0 & 0x07;
                if (b0 == 0xF0)
                {
                    lower = 0x90; // below: overlong
                }
                else if (b0 == 0xF4)
                {
                    upper = 0x8F; // above: beyond U+10FFFF
                }
            }
            else
            {
                codePoint = -1; // 80..C1 (continuation or overlong lead) and F5..FF never start a sequence
                return 1;
            }

            int i = index + 1;
            for (int k = 0; k < needed; k++, i++)
            {
                if (i >= end)
                {
                    codePoint = -1;
                    return i - index;
                }

                int b = src[i];
                if (b < lower || b > upper)
                {
                    codePoint = -1;
                    return i - index;
                }

                lower = 0x80;
                upper = 0xBF;
                value = (value << 6) | (b & 0x3F);
            }

            codePoint = value;
            return needed + 1;
        }

        /// <summary>Writes one scalar value (not a surrogate) as UTF-8; returns 1 to 4.</summary>
        public static int WriteCodePoint(int codePoint, byte[] dst, int p)
        {
            if (codePoint < 0x80)
            {
                dst[p] = (byte)codePoint;
                return 1;
            }

            if (codePoint < 0x800)
            {
                dst[p] = (byte)(0xC0 | (codePoint >> 6));
                dst[p + 1] = (byte)(0x80 | (codePoint & 0x3F));
                return 2;
            }

            if (codePoint < 0x10000)
            {
                dst[p] = (byte)(0xE0 | (codePoint >> 12));
                dst[p + 1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
                dst[p + 2] = (byte)(0x80 | (codePoint & 0x3F));
                return 3;
            }

            dst[p] = (byte)(0xF0 | (codePoint >> 18));
            dst[p + 1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
            dst[p + 2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            dst[p + 3] = (byte)(0x80 | (codePoint & 0x3F));
            return 4;
        }

        /// <summary>UTF-8 length of one scalar value.</summary>
        public static int CodePointLength(int codePoint)
        {
            return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
        }

        internal static bool IsHighSurrogate(int c)
        {
            return c >= 0xD800 && c <= 0xDBFF;
        }

        internal static bool IsLowSurrogate(int c)
        {
            return c >= 0xDC00 && c <= 0xDFFF;
        }

        internal static int CombineSurrogates(int high, int low)
        {
            return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        }

        private static string DecodeCore(byte[] src, int offset, int count, bool strict)
        {
            CheckRange(src, offset, count);
            if (count == 0)
            {
                return string.Empty;
            }

            // Every byte yields at most one UTF-16 unit (a 4-byte sequence yields 2), so count chars suffice.
            char[] chars = new char[count];
            int n = 0;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int b = src[i];
                if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    i++;
                    continue;
                }

                int codePoint;
                int length = DecodeOne(src, i, end, out codePoint);
                if (codePoint < 0)
                {
                    if (strict)
                    {
                        throw new Utf8Exception("invalid UTF-8 sequence at byte " + (i - offset) + ", found 0x" + Hex(b), i - offset);
                    }

                    chars[n++] = Replacement;
                }
                else if (codePoint >= 0x10000)
                {
                    codePoint -= 0x10000;
                    chars[n++] = (char)(0xD800 + (codePoint >> 10));
                    chars[n++] = (char)(0xDC00 + (codePoint & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)codePoint;
                }

                i += length;
            }

            return new string(chars, 0, n);
        }

        private static void CheckRange(byte[] src, int offset, int count)
        {
            if (src == null || offset < 0 || count < 0 || offset > src.Length - count)
            {
                throw new ArgumentOutOfRangeException("offset", "byte range outside the array");
            }
        }

        private static string Hex(int b)
        {
            const string Digits = "0123456789ABCDEF";
            return new string(new char[] { Digits[b >> 4], Digits[b & 15] });
        }
    }
}
