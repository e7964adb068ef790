using Terminal.Firmware.Ports;

namespace Terminal.Io.Http
{
    /// <summary>
    /// Reads an HTTP/1.1 response (RFC 9112) from bytes fed in pieces of any size, straight into an
    /// <see cref="HttpExchange"/>: the status code, the Response-Time, Signature and Client-Id headers, and the body
    /// into the exchange's buffer. Nothing is allocated and nothing but those values is kept, so a hostile server
    /// can cost time (which the caller's deadline bounds) but no memory.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The body is framed by Transfer-Encoding: chunked (section 7.1; extensions and trailer fields skipped), by
    /// Content-Length (section 6.3), or by the end of the connection; 204 and 304 have none; 1xx interim responses are
    /// skipped. A body longer than the exchange's buffer is <see cref="TooLarge"/> as soon as that is known.
    /// </para>
    /// <para>
    /// Refused as <see cref="Malformed"/>: a status line that is not <c>HTTP/1.x NNN</c>, a header line without a
    /// colon or folded onto the next line, a bare CR, header sections over 16 KB, a Content-Length that is not a
    /// number or appears twice with different values, a Content-Length beside chunked (RFC 9112 6.1 allows that
    /// only as an attack), a transfer coding other than chunked (none was asked for), a bad chunk size, 101.
    /// Lines may end with LF alone (section 2.2).
    /// </para>
    /// <para>
    /// A header value longer than its buffer, not printable ASCII, or given twice is reported absent (length 0):
    /// an exchange with an absent Signature is not trusted.
    /// </para>
    /// </remarks>
    public sealed class ResponseReader
    {
        /// <summary><see cref="Feed"/>: the response is not complete yet.</summary>
        public const int NeedMore = 0;

        /// <summary>The response is complete; the exchange holds it.</summary>
        public const int Complete = 1;

        /// <summary>The body does not fit the exchange's buffer.</summary>
        public const int TooLarge = 2;

        /// <summary>The bytes are not a response this reader accepts.</summary>
        public const int Malformed = 3;

        private const int MaxHeaderBytes = 16384;
        private const int NameCapacity = 24;
        private const int TokenCapacity = 16;

        // States.
        private const int StatusLine = 0;
        private const int LineStart = 1;
        private const int Name = 2;
        private const int ValueStart = 3;
        private const int Value = 4;
        private const int LineFeed = 5;
        private const int ChunkSize = 6;
        private const int ChunkExtension = 7;
        private const int ChunkData = 8;
        private const int ChunkDataEnd = 9;
        private const int TrailerStart = 10;
        private const int TrailerLine = 11;
        private const int LengthBody = 12;
        private const int CloseBody = 13;
        private const int Done = 14;

        // Headers this reader looks at.
        private const int OtherHeader = 0;
        private const int ContentLengthHeader = 1;
        private const int TransferEncodingHeader = 2;
        private const int ConnectionHeader = 3;
        private const int ResponseTimeHeader = 4;
        private const int SignatureHeader = 5;
        private const int ClientIdHeader = 6;

        private readonly byte[] _status = new byte[13];
        private readonly byte[] _name = new byte[NameCapacity];
        private readonly byte[] _token = new byte[TokenCapacity];

        private HttpExchange _exchange;
        private int _state;
        private int _afterLineFeed;
        private int _result;
        private int _consumed;

        private int _statusLength;
        private int _version;
        private int _code;
        private int _headerBytes;
        private int _nameLength;
        private bool _nameOverflow;
        private int _header;
        private int _valueLength;
        private int _valueEnd;
        private bool _valueBad;
        private int _tokenLength;
        private bool _tokenOverflow;

        private long _contentLength;
        private bool _sawContentLength;
        private bool _chunked;
        private bool _sawTransferEncoding;
        private bool _close;
        private bool _keepAliveToken;
        private bool _sawResponseTime;
        private bool _sawSignature;
        private bool _sawClientId;

        private long _remaining;
        private int _chunkDigits;
        private int _bodyLength;

        /// <summary>Bytes of the last <see cref="Feed"/> that belonged to the response (the rest came after it).</summary>
        public int Consumed
        {
            get { return _consumed; }
        }

        /// <summary>
        /// After <see cref="Complete"/>: the connection may carry the next request (HTTP/1.1 without "close", or
        /// HTTP/1.0 with "keep-alive", and a body framed by its length, not by the end of the connection).
        /// </summary>
        public bool KeepAlive
        {
            get
            {
                bool persistent = _version == 1 ? !_close : _keepAliveToken && !_close;
                return _result == Complete && persistent && (_chunked || _sawContentLength || !HasBody());
            }
        }

        /// <summary>Starts a response for <paramref name="exchange"/>, whose response fields it fills.</summary>
        public void Begin(HttpExchange exchange)
        {
            _exchange = exchange;
            exchange.ClearResponse();
            _result = NeedMore;
            StartResponse();
        }

        /// <summary>
        /// Takes the next bytes received. Returns <see cref="NeedMore"/>, or the outcome once known (then
        /// <see cref="Consumed"/> says how many of these bytes were part of the response); later calls return the
        /// same outcome and consume nothing.
        /// </summary>
        public int Feed(byte[] data, int offset, int count)
        {
            _consumed = 0;
            if (_result != NeedMore)
            {
                return _result;
            }

            int end = offset + count;
            int i = offset;
            while (i < end && _result == NeedMore)
            {
                if (_state == ChunkData || _state == LengthBody || _state == CloseBody)
                {
                    i += Body(data, i, end - i);
                }
                else
                {
                    Step(data[i]);
                    i++;
                }
            }

            _consumed = i - offset;
            return _result;
        }

        /// <summary>The peer closed the connection: completes a body framed by the close, else the response is cut.</summary>
        public int End()
        {
            if (_result == NeedMore)
            {
                if (_state == CloseBody)
                {
                    Finish();
                }
                else
                {
                    _result = Malformed;
                }
            }

            return _result;
        }

        private void StartResponse()
        {
            _state = StatusLine;
            _statusLength = 0;
            _headerBytes = 0;
            _contentLength = -1;
            _sawContentLength = false;
            _chunked = false;
            _sawTransferEncoding = false;
            _close = false;
            _keepAliveToken = false;
            _sawResponseTime = false;
            _sawSignature = false;
            _sawClientId = false;
            _bodyLength = 0;
            _exchange.ClearResponse();
        }

        private void Step(byte b)
        {
            if (++_headerBytes > MaxHeaderBytes && _state != ChunkSize && _state != ChunkExtension && _state != ChunkDataEnd)
            {
                _result = Malformed;
                return;
            }

            if (_state == LineFeed)
            {
                if (b != '\n')
                {
                    _result = Malformed;
                    return;
                }

                _state = _afterLineFeed;
                EndOfLine();
                return;
            }

            if (b == '\r')
            {
                _afterLineFeed = _state;
                _state = LineFeed;
                return;
            }

            if (b == '\n')
            {
                EndOfLine();
                return;
            }

            switch (_state)
            {
                case StatusLine:
                    if (_statusLength < _status.Length)
                    {
                        _status[_statusLength++] = b;
                    }

                    break;
                case LineStart:
                    if (b == ' ' || b == '\t')
                    {
                        // Obsolete line folding (RFC 9112 5.2): refused.
                        _result = Malformed;
                        return;
                    }

                    _nameLength = 0;
                    _nameOverflow = false;
                    _state = Name;
                    NameByte(b);
                    break;
                case Name:
                    NameByte(b);
                    break;
                case ValueStart:
                    if (b != ' ' && b != '\t')
                    {
                        _state = Value;
                        ValueByte(b);
                    }

                    break;
                case Value:
                    ValueByte(b);
                    break;
                case ChunkSize:
                    ChunkSizeByte(b);
                    break;
                case ChunkDataEnd:
                    _result = Malformed; // chunk data longer than its size
                    break;
                case TrailerStart:
                    _state = TrailerLine;
                    break;
            }
        }

        private void EndOfLine()
        {
            // _state is the state the line ended in.
            switch (_state)
            {
                case StatusLine:
                    StatusLineDone();
                    break;
                case LineStart:
                    HeadersDone();
                    break;
                case Name:
                    _result = Malformed; // a header line without a colon
                    break;
                case ValueStart:
                case Value:
                    ValueDone();
                    _state = LineStart;
                    break;
                case ChunkSize:
                case ChunkExtension:
                    ChunkSizeDone();
                    break;
                case ChunkDataEnd:
                    _state = ChunkSize;
                    _remaining = 0;
                    _chunkDigits = 0;
                    break;
                case TrailerStart:
                    Finish();
                    break;
                case TrailerLine:
                    _state = TrailerStart;
                    break;
                default:
                    _result = Malformed;
                    break;
            }
        }

        private void StatusLineDone()
        {
            // "HTTP/1.1 200", then a space and a reason phrase or nothing; the reader kept the first 13 bytes.
            byte[] s = _status;
            bool ok = (_statusLength == 12 || (_statusLength == 13 && s[12] == ' ')) && s[0] == 'H' && s[1] == 'T' && s[2] == 'T' && s[3] == 'P' && s[4] == '/'
                && s[5] == '1' && s[6] == '.' && (s[7] == '0' || s[7] == '1') && s[8] == ' '
                && IsDigit(s[9]) && IsDigit(s[10]) && IsDigit(s[11]) && s[9] != '0';
            if (!ok)
            {
                _result = Malformed;
                return;
            }

            _version = s[7] - '0';
            _code = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
            _state = LineStart;
        }

        private void NameByte(byte b)
        {
            if (b == ':')
            {
                _header = KnownHeader();
                _valueLength = 0;
                _valueEnd = 0;
                _valueBad = false;
                _tokenLength = 0;
                _tokenOverflow = false;
                if (_header == ContentLengthHeader)
                {
                    if (_sawContentLength)
                    {
                        _header = -ContentLengthHeader; // a second one: must say the same
                        _remaining = -1;
                    }

                    _sawContentLength = true;
                }

                _state = ValueStart;
                return;
            }

            if (_nameLength < NameCapacity)
            {
                _name[_nameLength++] = b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;
            }
            else
            {
                _nameOverflow = true;
            }
        }

        private int KnownHeader()
        {
            if (_nameOverflow)
            {
                return OtherHeader;
            }

            if (NameIs("content-length"))
            {
                return ContentLengthHeader;
            }

            if (NameIs("transfer-encoding"))
            {
                return TransferEncodingHeader;
            }

            if (NameIs("connection"))
            {
                return ConnectionHeader;
            }

            if (NameIs("response-time"))
            {
                return ResponseTimeHeader;
            }

            if (NameIs("signature"))
            {
                return SignatureHeader;
            }

            return NameIs("client-id") ? ClientIdHeader : OtherHeader;
        }

        private bool NameIs(string name)
        {
            if (name.Length != _nameLength)
            {
                return false;
            }

            for (int i = 0; i < _nameLength; i++)
            {
                if (_name[i] != name[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void ValueByte(byte b)
        {
            switch (_header)
            {
                case ContentLengthHeader:
                case -ContentLengthHeader:
                    DigitOfLength(b);
                    break;
                case TransferEncodingHeader:
                case ConnectionHeader:
                    TokenByte(b);
                    break;
                case ResponseTimeHeader:
                    Capture(b, _exchange.ResponseTime);
                    break;
                case SignatureHeader:
                    Capture(b, _exchange.ResponseSignature);
                    break;
                case ClientIdHeader:
                    Capture(b, _exchange.ResponseClientId);
                    break;
            }
        }

        private void DigitOfLength(byte b)
        {
            if (b == ' ' || b == '\t')
            {
                _valueEnd = 1; // trailing whitespace; a digit after it is refused below
                return;
            }

            if (!IsDigit(b) || _valueEnd != 0)
            {
                _result = Malformed;
                return;
            }

            _valueLength++;
            long value = _header == ContentLengthHeader ? _contentLength : _remaining;
            value = (value < 0 ? 0 : value * 10) + (b - '0');
            if (value > 0x7FFFFFFFL)
            {
                value = 0x80000000L; // larger than any buffer; the exact number does not matter
            }

            if (_header == ContentLengthHeader)
            {
                _contentLength = value;
            }
            else
            {
                _remaining = value;
            }
        }

        private void TokenByte(byte b)
        {
            if (b == ',' || b == ' ' || b == '\t')
            {
                TokenDone();
                return;
            }

            if (_tokenLength < TokenCapacity)
            {
                _token[_tokenLength++] = b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;
            }
            else
            {
                _tokenOverflow = true;
            }
        }

        private void TokenDone()
        {
            if (_tokenLength == 0 && !_tokenOverflow)
            {
                return;
            }

            if (_header == ConnectionHeader)
            {
                _close |= TokenIs("close");
                _keepAliveToken |= TokenIs("keep-alive");
            }
            else if (_sawTransferEncoding || !TokenIs("chunked"))
            {
                // Only "chunked", once: any other coding (none was asked for) or a second one is refused.
                _result = Malformed;
            }
            else
            {
                _sawTransferEncoding = true;
                _chunked = true;
            }

            _tokenLength = 0;
            _tokenOverflow = false;
        }

        private bool TokenIs(string token)
        {
            if (_tokenOverflow || token.Length != _tokenLength)
            {
                return false;
            }

            for (int i = 0; i < _tokenLength; i++)
            {
                if (_token[i] != token[i])
                {
                    return false;
                }
            }

            return true;
        }

        private void Capture(byte b, byte[] target)
        {
            if (b < ' ' && b != '\t' || b > '~')
            {
                _valueBad = true;
                return;
            }

            if (_valueLength < target.Length)
            {
                target[_valueLength] = b;
            }
            else
            {
                _valueBad = true;
            }

            _valueLength++;
            if (b != ' ' && b != '\t')
            {
                _valueEnd = _valueLength;
            }
        }

        private void ValueDone()
        {
            switch (_header)
            {
                case ContentLengthHeader:
                    if (_valueLength == 0)
                    {
                        _result = Malformed;
                    }

                    break;
                case -ContentLengthHeader:
                    if (_valueLength == 0 || _remaining != _contentLength)
                    {
                        _result = Malformed;
                    }

                    _remaining = 0;
                    break;
                case TransferEncodingHeader:
                case ConnectionHeader:
                    TokenDone();
                    if (_header == TransferEncodingHeader && !_sawTransferEncoding && _result == NeedMore)
                    {
                        _result = Malformed; // an empty Transfer-Encoding
                    }

                    break;
                case ResponseTimeHeader:
                    _exchange.ResponseTimeLength = CapturedLength(_sawResponseTime);
                    _sawResponseTime = true;
                    break;
                case SignatureHeader:
                    _exchange.ResponseSignatureLength = CapturedLength(_sawSignature);
                    _sawSignature = true;
                    break;
                case ClientIdHeader:
                    _exchange.ResponseClientIdLength = CapturedLength(_sawClientId);
                    _sawClientId = true;
                    break;
            }
        }

        /// <summary>The captured value's length without trailing whitespace; 0 when bad, too long or a repeat.</summary>
        private int CapturedLength(bool repeated)
        {
            return _valueBad || repeated ? 0 : _valueEnd;
        }

        private void HeadersDone()
        {
            if (_code >= 100 && _code < 200)
            {
                if (_code == 101)
                {
                    _result = Malformed; // nothing asked to switch protocols
                    return;
                }

                StartResponse(); // an interim response: the final one follows
                return;
            }

            if (_chunked && _sawContentLength)
            {
                _result = Malformed;
                return;
            }

            _exchange.StatusCode = _code;
            if (!HasBody())
            {
                Finish();
            }
            else if (_chunked)
            {
                _state = ChunkSize;
                _remaining = 0;
                _chunkDigits = 0;
            }
            else if (_sawContentLength)
            {
                if (_contentLength > _exchange.ResponseBodyCapacity)
                {
                    _result = TooLarge;
                    return;
                }

                _remaining = _contentLength;
                _state = LengthBody;
                if (_remaining == 0)
                {
                    Finish();
                }
            }
            else
            {
                _state = CloseBody;
            }
        }

        private bool HasBody()
        {
            return _code != 204 && _code != 304;
        }

        private void ChunkSizeByte(byte b)
        {
            int digit = HexValue(b);
            if (digit >= 0 && _state == ChunkSize)
            {
                if (_remaining > _exchange.ResponseBodyCapacity)
                {
                    _result = TooLarge;
                    return;
                }

                _remaining = _remaining * 16 + digit;
                _chunkDigits++;
                return;
            }

            if (_chunkDigits > 0 && (b == ';' || b == ' ' || b == '\t'))
            {
                _state = ChunkExtension; // chunk extensions (RFC 9112 7.1.1) are ignored
                return;
            }

            _result = Malformed;
        }

        private void ChunkSizeDone()
        {
            if (_chunkDigits == 0)
            {
                _result = Malformed;
                return;
            }

            if (_remaining == 0)
            {
                _state = TrailerStart;
                return;
            }

            if (_bodyLength + _remaining > _exchange.ResponseBodyCapacity)
            {
                _result = TooLarge;
                return;
            }

            _state = ChunkData;
        }

        /// <summary>Copies body bytes; returns how many of <paramref name="count"/> it used.</summary>
        private int Body(byte[] data, int offset, int count)
        {
            int take = count;
            if (_state != CloseBody && take > _remaining)
            {
                take = (int)_remaining;
            }

            if (_bodyLength + take > _exchange.ResponseBodyCapacity)
            {
                _result = TooLarge;
                return take;
            }

            System.Array.Copy(data, offset, _exchange.ResponseBuffer, _exchange.ResponseBodyOffset + _bodyLength, take);
            _bodyLength += take;
            if (_state == CloseBody)
            {
                return take;
            }

            _remaining -= take;
            if (_remaining == 0)
            {
                if (_state == LengthBody)
                {
                    Finish();
                }
                else
                {
                    _state = ChunkDataEnd;
                    _headerBytes = 0;
                }
            }

            return take;
        }

        private void Finish()
        {
            _exchange.ResponseBodyLength = _bodyLength;
            _state = Done;
            _result = Complete;
        }

        private static bool IsDigit(byte b)
        {
            return b >= '0' && b <= '9';
        }

        private static int HexValue(byte b)
        {
            if (b >= '0' && b <= '9')
            {
                return b - '0';
            }

            if (b >= 'a' && b <= 'f')
            {
                return b - 'a' + 10;
            }

            return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
        }
    }
}
