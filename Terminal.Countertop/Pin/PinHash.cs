using Terminal.Core.Crypto;
using Terminal.Core.Ports;

namespace Terminal.Countertop.Pin
{
    /// <summary>
    /// The menu PIN as it is stored: PBKDF2 with HMAC-SHA256 (RFC 8018 section 5.2; one 32-byte block, so
    /// T1 = U1 ^ U2 ^ ... ^ Uc with U1 = HMAC(PIN, salt || 00 00 00 01) and Ui = HMAC(PIN, Ui-1)), a random salt
    /// per terminal and an iteration count kept with the hash. Written in the configuration as
    /// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt, 32 hex digits&gt;$&lt;hash, 64 hex digits&gt;</c>, which .NET's
    /// Rfc2898DeriveBytes.Pbkdf2 (and so PowerShell) reproduces (docs/countertop.md).
    /// </summary>
    public static class PinHash
    {
        public const string Scheme = "pbkdf2-sha256";
        public const int SaltSize = 16;
        public const int HashSize = HmacSha256.HashSize;
        public const int MinIterations = 1;
        public const int MaxIterations = 1000000;

        /// <summary>PINs are 4..8 digits.</summary>
        public const int MinDigits = 4;
        public const int MaxDigits = 8;

        /// <summary>
        /// Derives the 32-byte hash of <paramref name="pin"/>'s ASCII digits into <paramref name="hash"/> with the
        /// HMAC of <paramref name="mac"/> (<see cref="IMac.WithKey"/> keys it with the PIN: the device's native
        /// HMAC-SHA256, 2,000 iterations in a fraction of a second where the interpreter would take seconds).
        /// </summary>
        public static void Derive(IMac mac, string pin, byte[] salt, int iterations, byte[] hash)
        {
            byte[] key = new byte[pin.Length];
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = (byte)pin[i];
            }

            IMac keyed = mac.WithKey(key);
            System.Array.Clear(key, 0, key.Length);

            // U1 = HMAC(PIN, salt || INT(1)), then Ui = HMAC(PIN, Ui-1), two buffers in turn.
            byte[] first = new byte[salt.Length + 4];
            System.Array.Copy(salt, first, salt.Length);
            first[first.Length - 1] = 1;
            byte[] u = new byte[HashSize];
            byte[] next = new byte[HashSize];
            keyed.Compute(first, 0, first.Length, u, 0);
            System.Array.Copy(u, hash, HashSize);
            for (int n = 1; n < iterations; n++)
            {
                keyed.Compute(u, 0, HashSize, next, 0);
                for (int i = 0; i < HashSize; i++)
                {
                    hash[i] ^= next[i];
                }

                byte[] swap = u;
                u = next;
                next = swap;
            }
        }

        /// <summary>True for 4..8 ASCII digits.</summary>
        public static bool IsValidPin(string pin)
        {
            if (pin == null || pin.Length < MinDigits || pin.Length > MaxDigits)
            {
                return false;
            }

            for (int i = 0; i < pin.Length; i++)
            {
                if (pin[i] < '0' || pin[i] > '9')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The configuration text of a hash.</summary>
        public static string Format(int iterations, byte[] salt, byte[] hash)
        {
            return Scheme + "$" + iterations + "$" + Hex(salt) + "$" + Hex(hash);
        }

        /// <summary>
        /// Reads the configuration text into <paramref name="salt"/> (16 bytes) and <paramref name="hash"/> (32
        /// bytes); returns the iteration count, or -1 for text of another form (the error says which part).
        /// </summary>
        public static int Parse(string text, byte[] salt, byte[] hash, out string problem)
        {
            problem = null;
            string prefix = Scheme + "$";
            if (text == null || !text.StartsWith(prefix))
            {
                problem = "must start with " + prefix;
                return -1;
            }

            int first = prefix.Length;
            int second = text.IndexOf('$', first);
            int third = second < 0 ? -1 : text.IndexOf('$', second + 1);
            if (third < 0)
            {
                problem = "needs iterations, salt and hash separated by $";
                return -1;
            }

            long iterations = 0;
            if (second == first || second - first > 7)
            {
                problem = "iterations must be 1..1000000";
                return -1;
            }

            for (int i = first; i < second; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    problem = "iterations must be 1..1000000";
                    return -1;
                }

                iterations = (iterations * 10) + (c - '0');
            }

            if (iterations < MinIterations || iterations > MaxIterations)
            {
                problem = "iterations must be 1..1000000";
                return -1;
            }

            if (!ReadHex(text, second + 1, third - second - 1, salt, SaltSize))
            {
                problem = "the salt must be 32 hex digits";
                return -1;
            }

            if (!ReadHex(text, third + 1, text.Length - third - 1, hash, HashSize))
            {
                problem = "the hash must be 64 hex digits";
                return -1;
            }

            return (int)iterations;
        }

        private static string Hex(byte[] bytes)
        {
            const string Digits = "0123456789abcdef";
            char[] chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = Digits[bytes[i] & 15];
            }

            return new string(chars);
        }

        private static bool ReadHex(string text, int start, int count, byte[] dst, int size)
        {
            if (count != size * 2)
            {
                return false;
            }

            for (int i = 0; i < size; i++)
            {
                int high = Nibble(text[start + (2 * i)]);
                int low = Nibble(text[start + (2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return false;
                }

                dst[i] = (byte)((high << 4) | low);
            }

            return true;
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }
    }
}
