using System;

namespace Terminal.Core.Encoding
{
    /// <summary>
    /// Percent-encoding of the base64 signature in Antom's Signature header (docs/antom-protocol.md section 2: '+' '/' '=' become
    /// %2B %2F %3D, uppercase hex, as Java's URLEncoder and .NET's Uri.EscapeDataString write them).
    /// Encode keeps the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~) and writes every other byte as
    /// %XX, so for ASCII input it equals Uri.EscapeDataString. Decode accepts %XX in either case (the Antom
    /// .NET SDK sends lowercase) and the unreserved characters; anything else is invalid (-1).
    /// </summary>
    public static class SignatureUrlEncoding
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Bytes <see cref="Encode"/> writes for the source range.</summary>
        public static int GetEncodedLength(byte[] src, int offset, int count)
        {
            CheckRange(src, offset, count, "offset");
            int length = 0;
            for (int i = offset; i < offset + count; i++)
            {
                length += IsUnreserved(src[i]) ? 1 : 3;
            }

            return length;
        }

        /// <summary>Writes the percent-encoded form at dstOffset and returns its length; ArgumentException if it does not fit.</summary>
        public static int Encode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            int length = GetEncodedLength(src, offset, count);
            CheckRange(dst, dstOffset, length, "dstOffset");
            int p = dstOffset;
            for (int i = offset; i < offset + count; i++)
            {
                int b = src[i];
                if (IsUnreserved(b))
                {
                    dst[p++] = (byte)b;
                }
                else
                {
                    dst[p++] = (byte)'%';
                    dst[p++] = (byte)HexDigits[b >> 4];
                    dst[p++] = (byte)HexDigits[b & 0xF];
                }
            }

            return length;
        }

        /// <summary>
        /// Decodes at dstOffset and returns the byte count, or -1 on a malformed escape or a character that
        /// should have been escaped. The output is never longer than the input, so count bytes of room suffice.
        /// </summary>
        public static int Decode(byte[] src, int offset, int count, byte[] dst, int dstOffset)
        {
            CheckRange(src, offset, count, "offset");
            if (dst == null || dstOffset < 0 || dstOffset > dst.Length)
            {
                throw new ArgumentOutOfRangeException("dstOffset", "outside the destination");
            }

            int p = dstOffset;
            int end = offset + count;
            int i = offset;
            while (i < end)
            {
                int b = src[i];
                int value;
                if (b == '%')
                {
                    if (end - i < 3)
                    {
                        return -1;
                    }

                    int high = HexValue(src[i + 1]);
                    int low = HexValue(src[i + 2]);
                    if ((high | low) < 0)
                    {
                        return -1;
                    }

                    value = (high << 4) | low;
                    i += 3;
                }
                else if (IsUnreserved(b))
                {
                    value = b;
                    i++;
                }
                else
                {
                    return -1;
                }

                if (p >= dst.Length)
                {
                    throw new ArgumentException("URL decode: destination too small");
                }

                dst[p++] = (byte)value;
            }

            return p - dstOffset;
        }

        /// <summary>RFC 3986 section 2.3.</summary>
        private static bool IsUnreserved(int b)
        {
            return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
        }

        private static int HexValue(int b)
        {
            if (b >= '0' && b <= '9')
            {
                return b - '0';
            }

            if (b >= 'a' && b <= 'f')
            {
                return b - 'a' + 10;
            }

            if (b >= 'A' && b <= 'F')
            {
                return b - 'A' + 10;
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
