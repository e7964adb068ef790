namespace Terminal.Loader.Boot
{
    /// <summary>
    /// Keeps the <see cref="BootState"/> in two files of the loader's folder, <c>boot.0</c> and <c>boot.1</c>, so a
    /// power cut at any byte of a write leaves the previous state readable. Each file:
    /// <code>generation uint32 LE | format 1 | attempts | active, candidate, rolled back, reason (each a length byte and ASCII) | CRC-32 (IEEE) LE of all before</code>
    /// A write goes into the file that does not hold the newest valid state, with the next generation; the newest
    /// file that passes its check is the state. Nothing is renamed or deleted, so no step can lose both copies.
    /// </summary>
    public sealed class BootRecordFile
    {
        public const string File0 = "boot.0";
        public const string File1 = "boot.1";

        private const byte Format = 1;
        private const int MaxLength = 4 + 2 + (4 * (1 + BootState.MaxReasonLength)) + 4;

        private readonly ILoaderFolder _folder;
        private readonly byte[] _buffer = new byte[MaxLength];

        public BootRecordFile(ILoaderFolder folder)
        {
            if (folder == null)
            {
                throw new System.ArgumentNullException("folder");
            }

            _folder = folder;
        }

        /// <summary>The newest state that passes its check, or <see cref="BootState.Installed"/> when there is none.</summary>
        public BootState Read()
        {
            uint generation;
            int newest = Newest(out generation);
            return newest < 0 ? BootState.Installed() : Load(newest == 0 ? File0 : File1, out generation);
        }

        /// <summary>Replaces the state; when this returns the new state is on the medium. An IOException (or a power
        /// cut) part-way leaves the previous state the one read.</summary>
        public void Write(BootState state)
        {
            uint generation;
            int newest = Newest(out generation);
            string file = newest == 0 ? File1 : File0;
            byte[] b = _buffer;
            Put32(b, 0, newest < 0 ? 1u : generation + 1);
            b[4] = Format;
            b[5] = (byte)state.Attempts;
            int at = 6;
            at = PutText(b, at, state.Active);
            at = PutText(b, at, state.Candidate);
            at = PutText(b, at, state.RolledBack);
            at = PutText(b, at, state.Reason);
            Put32(b, at, Crc32(b, at));
            at += 4;
            _folder.Create(file);
            _folder.Write(b, 0, at);
            _folder.CloseWrite();
        }

        private int Newest(out uint generation)
        {
            uint g0;
            uint g1;
            bool ok0 = Load(File0, out g0) != null;
            bool ok1 = Load(File1, out g1) != null;
            generation = 0;
            if (!ok0 && !ok1)
            {
                return -1;
            }

            // Generations only grow by one per write, so the newer of two valid copies is the one ahead.
            int newest = !ok1 || (ok0 && (int)(g0 - g1) > 0) ? 0 : 1;
            generation = newest == 0 ? g0 : g1;
            return newest;
        }

        private BootState Load(string file, out uint generation)
        {
            generation = 0;
            byte[] b = _buffer;
            int length;
            try
            {
                length = _folder.OpenRead(file);
                if (length < 4 + 2 + 4 + 4 || length > MaxLength)
                {
                    return null;
                }

                int read = 0;
                while (read < length)
                {
                    int n = _folder.Read(b, read, length - read);
                    if (n <= 0)
                    {
                        return null;
                    }

                    read += n;
                }
            }
            finally
            {
                _folder.CloseRead();
            }

            if (Get32(b, length - 4) != Crc32(b, length - 4) || b[4] != Format)
            {
                return null;
            }

            int at = 6;
            string active = GetText(b, ref at, length - 4);
            string candidate = GetText(b, ref at, length - 4);
            string rolledBack = GetText(b, ref at, length - 4);
            string reason = GetText(b, ref at, length - 4);
            if (reason == null || at != length - 4)
            {
                return null;
            }

            generation = Get32(b, 0);
            return new BootState(active, candidate, b[5], rolledBack, reason);
        }

        private static int PutText(byte[] b, int at, string text)
        {
            b[at++] = (byte)text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                b[at++] = (byte)text[i];
            }

            return at;
        }

        /// <summary>The text at <paramref name="at"/>, or null when it runs past <paramref name="end"/> or is not printable.
        /// Once null, every later call is null too (at is past the end).</summary>
        private static string GetText(byte[] b, ref int at, int end)
        {
            if (at >= end || at + 1 + b[at] > end)
            {
                at = end + 1;
                return null;
            }

            int length = b[at++];
            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                byte c = b[at + i];
                if (c < 0x20 || c > 0x7E)
                {
                    at = end + 1;
                    return null;
                }

                chars[i] = (char)c;
            }

            at += length;
            return new string(chars);
        }

        private static void Put32(byte[] b, int at, uint value)
        {
            b[at] = (byte)value;
            b[at + 1] = (byte)(value >> 8);
            b[at + 2] = (byte)(value >> 16);
            b[at + 3] = (byte)(value >> 24);
        }

        private static uint Get32(byte[] b, int at)
        {
            return b[at] | ((uint)b[at + 1] << 8) | ((uint)b[at + 2] << 16) | ((uint)b[at + 3] << 24);
        }

        /// <summary>CRC-32 (IEEE 802.3, reflected, as zlib), bit by bit: the loader references no assembly an update
        /// replaces, so it cannot use Terminal.Core's table-driven one, and a boot record is ~100 bytes.</summary>
        private static uint Crc32(byte[] b, int count)
        {
            uint crc = 0xFFFFFFFF;
            for (int i = 0; i < count; i++)
            {
                crc ^= b[i];
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }

            return ~crc;
        }
    }
}
