using System;
using Terminal.Core.Text;

namespace Terminal.Core.Json
{
    /// <summary>
    /// String escaping for the writer (RFC 8259 section 7): '"' and '\' as \" and \\; U+0000..U+001F as
    /// \b \t \n \f \r or \u00XX (uppercase hex); DEL (U+007F) as \u007F (not required by the RFC, but
    /// System.Text.Json does it, so ASCII output is byte-identical); everything else, non-ASCII and
    /// '&lt;' '&gt;' '&amp;' '\'' '+' included, is written as plain UTF-8. System.Text.Json's default encoder escapes more (it writes '"' as
    /// \u0022, HTML-sensitive and non-ASCII characters as \uXXXX); its UnsafeRelaxedJsonEscaping encoder
    /// agrees with ours on ASCII. The output is what gets signed, so it must never depend on an encoder setting.
    /// </summary>
    internal static class JsonEscaping
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Bytes the escaped form of one ASCII byte or UTF-16 unit below 0x80 takes.</summary>
        internal static int AsciiLength(int c)
        {
            if (c < 0x20)
            {
                return c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
            }

            if (c == 0x7F)
            {
                return 6;
            }

            return c == '"' || c == '\\' ? 2 : 1;
        }

        /// <summary>Writes one ASCII byte, escaped if needed; returns the bytes written.</summary>
        internal static int WriteAscii(int c, byte[] dst, int p)
        {
            if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
            {
                dst[p] = (byte)c;
                return 1;
            }

            dst[p] = (byte)'\\';
            int shortForm = ShortEscape(c);
            if (shortForm != 0)
            {
                dst[p + 1] = (byte)shortForm;
                return 2;
            }

            dst[p + 1] = (byte)'u';
            dst[p + 2] = (byte)'0';
            dst[p + 3] = (byte)'0';
            dst[p + 4] = (byte)HexDigits[c >> 4];
            dst[p + 5] = (byte)HexDigits[c & 0xF];
            return 6;
        }

        /// <summary>Escaped UTF-8 length of a C# string (a lone surrogate counts as U+FFFD).</summary>
        internal static int StringLength(string s)
        {
            int count = 0;
            int length = s.Length;
            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                if (c < 0x80)
                {
                    count += AsciiLength(c);
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (Utf8.IsHighSurrogate(c) && i + 1 < length && Utf8.IsLowSurrogate(s[i + 1]))
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

        /// <summary>Writes the escaped UTF-8 of a C# string; returns the bytes written. The caller checked the room.</summary>
        internal static int WriteString(string s, byte[] dst, int p)
        {
            int start = p;
            int length = s.Length;
            for (int i = 0; i < length; i++)
            {
                char c = s[i];
                if (c < 0x80)
                {
                    p += WriteAscii(c, dst, p);
                    continue;
                }

                int codePoint = c;
                if (Utf8.IsHighSurrogate(c) && i + 1 < length && Utf8.IsLowSurrogate(s[i + 1]))
                {
                    codePoint = Utf8.CombineSurrogates(c, s[i + 1]);
                    i++;
                }
                else if (Utf8.IsHighSurrogate(c) || Utf8.IsLowSurrogate(c))
                {
                    codePoint = Utf8.Replacement;
                }

                p += Utf8.WriteCodePoint(codePoint, dst, p);
            }

            return p - start;
        }

        /// <summary>
        /// Escaped length of a UTF-8 byte range. Throws <see cref="ArgumentException"/> on invalid UTF-8: these
        /// bytes are signed and sent, so they are never silently altered.
        /// </summary>
        internal static int Utf8Length(byte[] src, int offset, int count)
        {
            int end = offset + count;
            int total = 0;
            int i = offset;
            while (i < end)
            {
                int b = src[i];
                if (b < 0x80)
                {
                    total += AsciiLength(b);
                    i++;
                    continue;
                }

                int codePoint;
                int n = Utf8.DecodeOne(src, i, end, out codePoint);
                if (codePoint < 0)
                {
                    throw new ArgumentException("invalid UTF-8 in JSON string value at byte " + (i - offset));
                }

                total += n;
                i += n;
            }

            return total;
        }

        /// <summary>Writes an already validated UTF-8 range, escaped; returns the bytes written.</summary>
        internal static int WriteUtf8(byte[] src, int offset, int count, byte[] dst, int p)
        {
            int start = p;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                int b = src[i];
                if (b < 0x80)
                {
                    p += WriteAscii(b, dst, p);
                }
                else
                {
                    dst[p++] = (byte)b;
                }
            }

            return p - start;
        }

        private static int ShortEscape(int c)
        {
            switch (c)
            {
                case '"': return '"';
                case '\\': return '\\';
                case '\b': return 'b';
                case '\t': return 't';
                case '\n': return 'n';
                case '\f': return 'f';
                case '\r': return 'r';
                default: return 0;
            }
        }
    }
}
