namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// Formats one outgoing line into a preallocated buffer: fields separated by single spaces, then
    /// <c>*</c>, the CRC-8 in two hex digits and CR LF. Tokens are cleaned so that a value can never break
    /// the framing: a byte outside 0x21..0x7E or a '*' becomes '_', an empty value becomes '-'. A final free
    /// text may hold spaces; it is cut to fit the 256-byte line. Allocates nothing.
    /// </summary>
    public sealed class HostLinkLineWriter
    {
        // Room for the text before "*CC\r\n".
        private const int TextCapacity = HostLinkProtocol.MaxLineLength - HostLinkProtocol.TrailerLength;

        private readonly byte[] _buffer = new byte[HostLinkProtocol.MaxLineLength];
        private readonly byte[] _digits = new byte[20];
        private int _length;

        /// <summary>The finished line, bytes [0, <see cref="Length"/>).</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Bytes in the line so far (after <see cref="Finish"/>: the whole line).</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Starts a reply line with the request id.</summary>
        public HostLinkLineWriter BeginReply(int id)
        {
            _length = 0;
            AppendNumber(id);
            return this;
        }

        /// <summary>Starts an event line: '!' and the sequence number.</summary>
        public HostLinkLineWriter BeginEvent(int sequence)
        {
            _length = 0;
            Put((byte)'!');
            AppendNumber(sequence);
            return this;
        }

        /// <summary>Adds a space and one token.</summary>
        public HostLinkLineWriter Word(string token)
        {
            if (_length + 2 > TextCapacity)
            {
                return this;
            }

            Put((byte)' ');
            if (token == null || token.Length == 0)
            {
                Put((byte)'-');
                return this;
            }

            for (int i = 0; i < token.Length && _length < TextCapacity; i++)
            {
                char c = token[i];
                Put(c > ' ' && c <= '~' && c != '*' ? (byte)c : (byte)'_');
            }

            return this;
        }

        /// <summary>Adds a space and a non-negative decimal number.</summary>
        public HostLinkLineWriter Number(long value)
        {
            if (_length + 21 > TextCapacity)
            {
                return this;
            }

            Put((byte)' ');
            AppendNumber(value);
            return this;
        }

        /// <summary>Adds a space and free text (spaces kept, other unprintables and '*' become '?'); nothing if empty.</summary>
        public HostLinkLineWriter Text(string text)
        {
            if (text == null || text.Length == 0 || _length + 2 > TextCapacity)
            {
                return this;
            }

            Put((byte)' ');
            for (int i = 0; i < text.Length && _length < TextCapacity; i++)
            {
                char c = text[i];
                Put(c >= ' ' && c <= '~' && c != '*' ? (byte)c : (byte)'?');
            }

            return this;
        }

        /// <summary>True when <paramref name="text"/> fits whole as a final token after what is written so far.</summary>
        public bool Fits(string text)
        {
            return text != null && _length + 1 + text.Length <= TextCapacity;
        }

        /// <summary>Appends the checksum and CR LF; returns the line length.</summary>
        public int Finish()
        {
            int crc = HostLinkChecksum.Compute(_buffer, 0, _length);
            _buffer[_length++] = HostLinkProtocol.ChecksumMark;
            _buffer[_length++] = HostLinkChecksum.HexDigit(crc >> 4);
            _buffer[_length++] = HostLinkChecksum.HexDigit(crc & 0x0F);
            _buffer[_length++] = 0x0D;
            _buffer[_length++] = 0x0A;
            return _length;
        }

        private void AppendNumber(long value)
        {
            if (value < 0)
            {
                value = 0;
            }

            int n = 0;
            do
            {
                _digits[n++] = (byte)('0' + (int)(value % 10));
                value /= 10;
            }
            while (value > 0);

            while (n > 0)
            {
                Put(_digits[--n]);
            }
        }

        private void Put(byte b)
        {
            _buffer[_length++] = b;
        }
    }
}
