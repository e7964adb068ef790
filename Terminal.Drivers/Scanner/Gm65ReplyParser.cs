namespace Terminal.Drivers.Scanner
{
    /// <summary>
    /// Pure, resumable parser of module-to-host replies <c>02 00 Status Lens Datas CrcH CrcL</c>, fed one
    /// byte at a time, so a reply split anywhere across reads parses the same. Bytes outside a frame are
    /// skipped until the next <c>02</c>. Holds one reply in a buffer it owns; allocates nothing after
    /// construction. <see cref="Status"/>, <see cref="DataLength"/> and <see cref="DataAt"/> describe the
    /// reply just completed and are valid until the next <see cref="Feed"/>.
    /// </summary>
    public sealed class Gm65ReplyParser
    {
        private const int StateHead0 = 0;
        private const int StateHead1 = 1;
        private const int StateStatus = 2;
        private const int StateLength = 3;
        private const int StateData = 4;
        private const int StateCrcHigh = 5;
        private const int StateCrcLow = 6;

        // Status, Lens and Datas, the bytes the CRC covers.
        private readonly byte[] _body;
        private int _state;
        private int _bodyLength;
        private int _expectedData;
        private int _crcHigh;

        /// <summary>Creates a parser that accepts replies with up to <paramref name="maxData"/> data bytes (1..255).</summary>
        public Gm65ReplyParser(int maxData)
        {
            if (maxData < 1 || maxData > 255)
            {
                throw new System.ArgumentOutOfRangeException("maxData", "1..255, got " + maxData);
            }

            _body = new byte[maxData + 2];
        }

        /// <summary>True while between frames (no partial reply pending).</summary>
        public bool IsIdle
        {
            get { return _state == StateHead0; }
        }

        /// <summary>Status byte of the last good reply (0 = OK).</summary>
        public int Status
        {
            get { return _body[0]; }
        }

        /// <summary>Number of data bytes in the last good reply.</summary>
        public int DataLength { get; private set; }

        /// <summary>Data byte <paramref name="index"/> of the last good reply.</summary>
        public byte DataAt(int index)
        {
            if (index < 0 || index >= DataLength)
            {
                throw new System.ArgumentOutOfRangeException("index", "the reply has " + DataLength + " data bytes");
            }

            return _body[2 + index];
        }

        /// <summary>True when the last good reply is the write/save ACK (status OK, one data byte 00).</summary>
        public bool IsAck
        {
            get { return Status == Gm65Protocol.StatusOk && DataLength == 1 && _body[2] == 0x00; }
        }

        /// <summary>Drops any partial reply.</summary>
        public void Reset()
        {
            _state = StateHead0;
        }

        /// <summary>Feeds one byte; see <see cref="Gm65ReplyResult"/>.</summary>
        public Gm65ReplyResult Feed(byte value)
        {
            switch (_state)
            {
                case StateHead0:
                    if (value == Gm65Protocol.ReplyHead0)
                    {
                        _state = StateHead1;
                    }

                    return Gm65ReplyResult.None;

                case StateHead1:
                    if (value == Gm65Protocol.ReplyHead1)
                    {
                        _state = StateStatus;
                        return Gm65ReplyResult.None;
                    }

                    _state = value == Gm65Protocol.ReplyHead0 ? StateHead1 : StateHead0;
                    return Gm65ReplyResult.NotAReply;

                case StateStatus:
                    _body[0] = value;
                    _state = StateLength;
                    return Gm65ReplyResult.None;

                case StateLength:
                    if (value > _body.Length - 2)
                    {
                        _state = StateHead0;
                        return Gm65ReplyResult.TooLong;
                    }

                    _body[1] = value;
                    _bodyLength = 2;
                    _expectedData = value;
                    _state = value == 0 ? StateCrcHigh : StateData;
                    return Gm65ReplyResult.None;

                case StateData:
                    _body[_bodyLength++] = value;
                    if (--_expectedData == 0)
                    {
                        _state = StateCrcHigh;
                    }

                    return Gm65ReplyResult.None;

                case StateCrcHigh:
                    _crcHigh = value;
                    _state = StateCrcLow;
                    return Gm65ReplyResult.None;

                default:
                    _state = StateHead0;
                    int crc = (_crcHigh << 8) | value;
                    if (crc != Gm65Crc.Compute(_body, 0, _bodyLength))
                    {
                        return Gm65ReplyResult.BadCrc;
                    }

                    DataLength = _bodyLength - 2;
                    return Gm65ReplyResult.Reply;
            }
        }
    }
}
