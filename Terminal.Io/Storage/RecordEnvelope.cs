using Terminal.Core.Checksums;

namespace Terminal.Io.Storage
{
    /// <summary>
    /// The frame around every record file, which makes it self-verifying:
    /// <code>
    ///   0   magic "REC"
    ///   3   format version, 1
    ///   4   generation, uint32 little-endian (the newer of two copies has the larger one)
    ///   8   payload length n, int32 little-endian
    ///  12   payload
    ///  12+n CRC-32 (IEEE, <see cref="Crc32"/>) of bytes [0, 12+n), little-endian
    /// </code>
    /// A file is a valid record only when it is exactly 16+n bytes long, starts with this magic and version and
    /// its CRC matches: a file cut at any byte, or completed with zeros or stale bytes, fails one of the checks.
    /// A reader that finds another version refuses the file rather than guessing (a newer firmware's format).
    /// </summary>
    public static class RecordEnvelope
    {
        /// <summary>Bytes before the payload.</summary>
        public const int HeaderLength = 12;

        /// <summary>Bytes after the payload (the CRC).</summary>
        public const int TrailerLength = 4;

        /// <summary>Bytes the frame adds to a payload.</summary>
        public const int Overhead = HeaderLength + TrailerLength;

        /// <summary>The format this code writes and reads.</summary>
        public const byte Version = 1;

        /// <summary>Writes the header of a payload of <paramref name="payloadLength"/> bytes at <c>header[offset]</c>.</summary>
        public static void WriteHeader(byte[] header, int offset, uint generation, int payloadLength)
        {
            header[offset] = (byte)'R';
            header[offset + 1] = (byte)'E';
            header[offset + 2] = (byte)'C';
            header[offset + 3] = Version;
            WriteUInt32(header, offset + 4, generation);
            WriteUInt32(header, offset + 8, (uint)payloadLength);
        }

        /// <summary>
        /// The payload length a header at <c>header[offset]</c> declares, or -1 when the bytes are not a header of
        /// this format (wrong magic or version, negative length).
        /// </summary>
        public static int ReadHeader(byte[] header, int offset, out uint generation)
        {
            generation = 0;
            if (header[offset] != 'R' || header[offset + 1] != 'E' || header[offset + 2] != 'C' || header[offset + 3] != Version)
            {
                return -1;
            }

            int length = (int)ReadUInt32(header, offset + 8);
            if (length < 0)
            {
                return -1;
            }

            generation = ReadUInt32(header, offset + 4);
            return length;
        }

        /// <summary>Writes the CRC register's final value as the trailer at <c>trailer[offset]</c>.</summary>
        public static void WriteTrailer(byte[] trailer, int offset, uint crcRegister)
        {
            WriteUInt32(trailer, offset, Crc32.Finish(crcRegister));
        }

        /// <summary>True when the trailer at <c>trailer[offset]</c> matches the CRC register fed with header and payload.</summary>
        public static bool TrailerMatches(byte[] trailer, int offset, uint crcRegister)
        {
            return ReadUInt32(trailer, offset) == Crc32.Finish(crcRegister);
        }

        private static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        private static uint ReadUInt32(byte[] buffer, int offset)
        {
            return (uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));
        }
    }
}
