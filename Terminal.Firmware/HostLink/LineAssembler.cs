namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// Pure assembler of LF-terminated lines into one preallocated buffer. A CR just before the LF is
    /// removed; any other byte is kept as it came (the parser rejects what is not printable). A line longer
    /// than <see cref="HostLinkProtocol.MaxLineLength"/> (with its CR LF) is dropped up to its LF and
    /// reported once. Empty lines are ignored. Allocates nothing after construction.
    /// </summary>
    public sealed class LineAssembler
    {
        private const byte Cr = 0x0D;
        private const byte Lf = 0x0A;

        // Room for the text and its CR; the LF is never stored.
        private readonly byte[] _buffer = new byte[HostLinkProtocol.MaxLineLength - 1];
        private int _count;
        private bool _overflow;

        /// <summary>The line just completed, bytes [0, <see cref="Length"/>); valid until the next Feed.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Length of the line just completed.</summary>
        public int Length { get; private set; }

        /// <summary>Drops a partial line.</summary>
        public void Reset()
        {
            _count = 0;
            _overflow = false;
        }

        /// <summary>Feeds one byte.</summary>
        public LineResult Feed(byte value)
        {
            if (value == Lf)
            {
                int length = _count;
                bool overflow = _overflow;
                Reset();
                if (overflow)
                {
                    return LineResult.TooLong;
                }

                if (length > 0 && _buffer[length - 1] == Cr)
                {
                    length--;
                }

                Length = length;
                return length == 0 ? LineResult.None : LineResult.Line;
            }

            if (_count < _buffer.Length)
            {
                _buffer[_count++] = value;
            }
            else
            {
                _overflow = true;
            }

            return LineResult.None;
        }
    }
}
