using Terminal.Core.Checksums;
using Terminal.Core.Ports;

namespace Terminal.Payments.Journal
{
    /// <summary>
    /// Keeps one payload (the whole journal state) power-loss safe in two storage records used in turn
    /// ("ping-pong"). Each record is
    /// <code>
    ///   0  magic "TJR1"
    ///   4  sequence number, int64 little-endian (odd numbers go to slot B, even ones to slot A)
    ///  12  payload length, int32 little-endian
    ///  16  payload
    ///  16+n CRC-32 of bytes [0, 16+n), little-endian
    /// </code>
    /// A write only ever touches the slot that does NOT hold the newest valid state, so a write torn at any byte
    /// (truncated, or new bytes followed by stale ones) leaves the other slot intact; at load time the torn one
    /// fails its length or CRC check and the newest valid slot wins. Loading therefore returns either the state
    /// of the last completed commit or, when the cut hit that commit, the state just before it.
    /// </summary>
    public sealed class JournalStore
    {
        /// <summary>Bytes a record adds around its payload.</summary>
        public const int Overhead = 20;

        private const int HeaderLength = 16;
        private const string SlotA = "journal.a";
        private const string SlotB = "journal.b";

        private readonly IDurableStorage _storage;
        private long _sequence;

        public JournalStore(IDurableStorage storage)
        {
            _storage = storage;
        }

        /// <summary>Sequence number of the newest valid record, 0 when none exists.</summary>
        public long Sequence
        {
            get { return _sequence; }
        }

        /// <summary>
        /// Reads both slots into <paramref name="buffer"/> and leaves the newest valid payload at offset
        /// <see cref="PayloadOffset"/>. Returns the payload length, or -1 when neither slot is valid (a new
        /// device, or only a first write that was cut).
        /// </summary>
        public int Load(byte[] buffer)
        {
            long seqA = ReadSlot(SlotA, buffer);
            long seqB = ReadSlot(SlotB, buffer);
            _sequence = 0;
            if (seqA < 0 && seqB < 0)
            {
                return -1;
            }

            // The buffer holds slot B's bytes now; re-read A only when A is the newer one.
            if (seqA > seqB && ReadSlot(SlotA, buffer) != seqA)
            {
                return -1;
            }

            _sequence = seqA > seqB ? seqA : seqB;
            return ReadInt32(buffer, 12);
        }

        /// <summary>Length of the longer of the two stored records (0 when none), to size a load buffer.</summary>
        public int StoredLength()
        {
            byte[] none = new byte[0];
            int a = _storage.Read(SlotA, none, 0, 0);
            int b = _storage.Read(SlotB, none, 0, 0);
            int longer = a > b ? a : b;
            return longer > 0 ? longer : 0;
        }

        /// <summary>Where <see cref="Load"/> leaves the payload and where <see cref="Commit"/> expects it.</summary>
        public const int PayloadOffset = HeaderLength;

        /// <summary>
        /// Writes the payload found at <c>buffer[PayloadOffset .. +length)</c> as the next record; the caller
        /// leaves <see cref="Overhead"/> bytes around it (header before, CRC after). Throws what the storage
        /// throws; the previous state stays loadable in that case.
        /// </summary>
        public void Commit(byte[] buffer, int length)
        {
            long next = _sequence + 1;
            buffer[0] = (byte)'T';
            buffer[1] = (byte)'J';
            buffer[2] = (byte)'R';
            buffer[3] = (byte)'1';
            WriteInt64(buffer, 4, next);
            WriteInt32(buffer, 12, length);
            uint crc = Crc32.Compute(buffer, 0, HeaderLength + length);
            WriteInt32(buffer, HeaderLength + length, (int)crc);
            _storage.Write((next & 1) == 0 ? SlotA : SlotB, buffer, 0, length + Overhead);
            _sequence = next;
        }

        /// <summary>Returns the slot's sequence number when it holds a valid record of its parity, else -1.</summary>
        private long ReadSlot(string name, byte[] buffer)
        {
            int total = _storage.Read(name, buffer, 0, buffer.Length);
            if (total < Overhead || total > buffer.Length)
            {
                return -1;
            }

            if (buffer[0] != 'T' || buffer[1] != 'J' || buffer[2] != 'R' || buffer[3] != '1')
            {
                return -1;
            }

            int length = ReadInt32(buffer, 12);
            if (length != total - Overhead)
            {
                return -1;
            }

            uint crc = Crc32.Compute(buffer, 0, HeaderLength + length);
            if ((uint)ReadInt32(buffer, HeaderLength + length) != crc)
            {
                return -1;
            }

            long sequence = ReadInt64(buffer, 4);
            bool parityMatches = ((sequence & 1) == 0) == (name == SlotA);
            return sequence > 0 && parityMatches ? sequence : -1;
        }

        internal static void WriteInt32(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        internal static int ReadInt32(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24);
        }

        internal static void WriteInt64(byte[] buffer, int offset, long value)
        {
            WriteInt32(buffer, offset, (int)value);
            WriteInt32(buffer, offset + 4, (int)(value >> 32));
        }

        internal static long ReadInt64(byte[] buffer, int offset)
        {
            long low = (uint)ReadInt32(buffer, offset);
            long high = ReadInt32(buffer, offset + 4);
            return (high << 32) | low;
        }
    }
}
