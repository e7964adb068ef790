using Terminal.Core.Ports;

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
    /// Refused as <see cref="Malformed"/>: a status line that is not <c>HTTP/1.x NNN</c>, a header line folded onto
    /// the next line, a bare CR, header sections over 16 KB, a Content-Length beside chunked (RFC 9112 6.1 allows
    /// that only as an attack), a bad chunk size, 101, and the header fields <see cref="ResponseHeaders"/> refuses.
    /// Lines may end with LF alone (section 2.2).
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

        // States.
        private const int StatusLine = 0;
        private const int LineStart = 1;
        private const int HeaderLine = 2;
        private const int LineFeed = 3;
        private const int ChunkSize = 4;
        private const int ChunkExtension = 5;
        private const int ChunkData = 6;
        private const int ChunkDataEnd = 7;
        private const int TrailerStart = 8;
        private const int TrailerLine = 9;
        private const int LengthBody = 10;
        private const int CloseBody = 11;
        private const int Done = 12;

        private readonly byte[] _status = new byte[13];
        private readonly ResponseHeaders _headers = new ResponseHeaders();

        private HttpExchange _exchange;
        private int _state;
        private int _afterLineFeed;
        private int _result;
        private int _consumed;

        private int _statusLength;
        private int _version;
        private int _code;
        private int _headerBytes;

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
                bool persistent = _version == 1 ? !_headers.Close : _headers.KeepAliveOption && !_headers.Close;
                return _result == Complete && persistent && (_headers.Chunked || _headers.HasContentLength || !HasBody());
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
            _bodyLength = 0;
            _exchange.ClearResponse();
            _headers.Reset(_exchange);
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

                    _state = HeaderLine;
                    _headers.StartLine();
                    HeaderByte(b);
                    break;
                case HeaderLine:
                    HeaderByte(b);
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
                case HeaderLine:
                    _headers.EndLine();
                    _result = _headers.Malformed ? Malformed : NeedMore;
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

        private void HeaderByte(byte b)
        {
            _headers.Byte(b);
            if (_headers.Malformed)
            {
                _result = Malformed;
            }
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

            if (_headers.Chunked && _headers.HasContentLength)
            {
                _result = Malformed;
                return;
            }

            _exchange.StatusCode = _code;
            if (!HasBody())
            {
                Finish();
            }
            else if (_headers.Chunked)
            {
                _state = ChunkSize;
                _remaining = 0;
                _chunkDigits = 0;
            }
            else if (_headers.HasContentLength)
            {
                if (_headers.ContentLength > _exchange.ResponseBodyCapacity)
                {
                    _result = TooLarge;
                    return;
                }

                _remaining = _headers.ContentLength;
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
