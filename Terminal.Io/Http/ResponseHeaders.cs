using Terminal.Core.Ports;

namespace Terminal.Io.Http
{
    /// <summary>
    /// The header fields of one response that <see cref="ResponseReader"/> acts on, read a byte at a time from the
    /// header lines it hands over: the framing (Content-Length, Transfer-Encoding), Connection, and the
    /// Response-Time, Signature, Client-Id and Content-Range values, copied straight into the exchange. Other fields are skipped
    /// without being kept.
    /// </summary>
    /// <remarks>
    /// Refused (<see cref="Malformed"/>): a line without a colon, a Content-Length that is not a number or repeats
    /// with another value, a transfer coding other than one "chunked". A copied value longer than its buffer, not
    /// printable ASCII, or given twice is reported absent (length 0).
    /// </remarks>
    internal sealed class ResponseHeaders
    {
        private const int NameCapacity = 24;
        private const int TokenCapacity = 16;

        // Where in a header line the bytes are.
        private const int InName = 0;
        private const int BeforeValue = 1;
        private const int InValue = 2;

        // The fields acted on.
        private const int Other = 0;
        private const int ContentLengthField = 1;
        private const int RepeatedContentLength = 2;
        private const int TransferEncodingField = 3;
        private const int ConnectionField = 4;
        private const int ResponseTimeField = 5;
        private const int SignatureField = 6;
        private const int ClientIdField = 7;
        private const int ContentRangeField = 8;

        private readonly byte[] _name = new byte[NameCapacity];
        private readonly byte[] _token = new byte[TokenCapacity];

        private HttpExchange _exchange;
        private int _part;
        private int _field;
        private int _nameLength;
        private bool _nameOverflow;
        private int _valueLength;
        private int _valueEnd;
        private bool _valueBad;
        private bool _afterSpace;
        private long _repeatedLength;
        private int _tokenLength;
        private bool _tokenOverflow;
        private bool _sawResponseTime;
        private bool _sawSignature;
        private bool _sawClientId;
        private bool _sawContentRange;

        public bool Malformed { get; private set; }

        /// <summary>The Content-Length, or -1 without one; a value past int range reads as 2^31.</summary>
        public long ContentLength { get; private set; }

        public bool HasContentLength { get; private set; }

        public bool Chunked { get; private set; }

        /// <summary>A "close" connection option.</summary>
        public bool Close { get; private set; }

        /// <summary>A "keep-alive" connection option (what an HTTP/1.0 server sends to keep the connection).</summary>
        public bool KeepAliveOption { get; private set; }

        /// <summary>Forgets the fields of the previous response (an interim one, or the last exchange's).</summary>
        public void Reset(HttpExchange exchange)
        {
            _exchange = exchange;
            Malformed = false;
            ContentLength = -1;
            HasContentLength = false;
            Chunked = false;
            Close = false;
            KeepAliveOption = false;
            _sawResponseTime = false;
            _sawSignature = false;
            _sawClientId = false;
            _sawContentRange = false;
        }

        /// <summary>A header line starts.</summary>
        public void StartLine()
        {
            _part = InName;
            _nameLength = 0;
            _nameOverflow = false;
        }

        /// <summary>The next byte of the line, line ending excluded.</summary>
        public void Byte(byte b)
        {
            if (_part == InName)
            {
                NameByte(b);
            }
            else if (_part == InValue || (b != ' ' && b != '\t'))
            {
                _part = InValue;
                ValueByte(b);
            }
        }

        /// <summary>The line ended.</summary>
        public void EndLine()
        {
            if (_part == InName)
            {
                Malformed = true; // no colon
                return;
            }

            switch (_field)
            {
                case ContentLengthField:
                    Malformed |= _valueLength == 0;
                    break;
                case RepeatedContentLength:
                    Malformed |= _valueLength == 0 || _repeatedLength != ContentLength;
                    break;
                case TransferEncodingField:
                    TokenDone();
                    Malformed |= !Chunked; // empty
                    break;
                case ConnectionField:
                    TokenDone();
                    break;
                case ResponseTimeField:
                    _exchange.ResponseTimeLength = CapturedLength(_sawResponseTime);
                    _sawResponseTime = true;
                    break;
                case SignatureField:
                    _exchange.ResponseSignatureLength = CapturedLength(_sawSignature);
                    _sawSignature = true;
                    break;
                case ClientIdField:
                    _exchange.ResponseClientIdLength = CapturedLength(_sawClientId);
                    _sawClientId = true;
                    break;
                case ContentRangeField:
                    _exchange.ResponseContentRangeLength = CapturedLength(_sawContentRange);
                    _sawContentRange = true;
                    break;
            }
        }

        private void NameByte(byte b)
        {
            if (b != ':')
            {
                if (_nameLength < NameCapacity)
                {
                    _name[_nameLength++] = b >= 'A' && b <= 'Z' ? (byte)(b + 32) : b;
                }
                else
                {
                    _nameOverflow = true;
                }

                return;
            }

            _part = BeforeValue;
            _field = Field();
            _valueLength = 0;
            _valueEnd = 0;
            _valueBad = false;
            _afterSpace = false;
            _tokenLength = 0;
            _tokenOverflow = false;
            if (_field == ContentLengthField)
            {
                if (HasContentLength)
                {
                    _field = RepeatedContentLength; // must say the same
                    _repeatedLength = -1;
                }

                HasContentLength = true;
            }
        }

        private int Field()
        {
            if (_nameOverflow)
            {
                return Other;
            }

            if (NameIs("content-length"))
            {
                return ContentLengthField;
            }

            if (NameIs("transfer-encoding"))
            {
                return TransferEncodingField;
            }

            if (NameIs("connection"))
            {
                return ConnectionField;
            }

            if (NameIs("response-time"))
            {
                return ResponseTimeField;
            }

            if (NameIs("signature"))
            {
                return SignatureField;
            }

            if (NameIs("content-range"))
            {
                return ContentRangeField;
            }

            return NameIs("client-id") ? ClientIdField : Other;
        }

        private bool NameIs(string name)
        {
            return Matches(_name, _nameLength, name);
        }

        private void ValueByte(byte b)
        {
            switch (_field)
            {
                case ContentLengthField:
                case RepeatedContentLength:
                    DigitOfLength(b);
                    break;
                case TransferEncodingField:
                case ConnectionField:
                    TokenByte(b);
                    break;
                case ResponseTimeField:
                    Capture(b, _exchange.ResponseTime);
                    break;
                case SignatureField:
                    Capture(b, _exchange.ResponseSignature);
                    break;
                case ClientIdField:
                    Capture(b, _exchange.ResponseClientId);
                    break;
                case ContentRangeField:
                    Capture(b, _exchange.ResponseContentRange);
                    break;
            }
        }

        private void DigitOfLength(byte b)
        {
            if (b == ' ' || b == '\t')
            {
                _afterSpace = true; // trailing whitespace; a digit after it is refused below
                return;
            }

            if (b < '0' || b > '9' || _afterSpace)
            {
                Malformed = true;
                return;
            }

            _valueLength++;
            long value = _field == ContentLengthField ? ContentLength : _repeatedLength;
            value = (value < 0 ? 0 : value * 10) + (b - '0');
            if (value > 0x7FFFFFFFL)
            {
                value = 0x80000000L; // larger than any buffer; the exact number does not matter
            }

            if (_field == ContentLengthField)
            {
                ContentLength = value;
            }
            else
            {
                _repeatedLength = value;
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

            bool chunked = !_tokenOverflow && Matches(_token, _tokenLength, "chunked");
            if (_field == ConnectionField)
            {
                Close |= !_tokenOverflow && Matches(_token, _tokenLength, "close");
                KeepAliveOption |= !_tokenOverflow && Matches(_token, _tokenLength, "keep-alive");
            }
            else if (Chunked || !chunked)
            {
                // Only "chunked", once: any other coding (none was asked for) or a second one is refused.
                Malformed = true;
            }
            else
            {
                Chunked = true;
            }

            _tokenLength = 0;
            _tokenOverflow = false;
        }

        private void Capture(byte b, byte[] target)
        {
            if ((b < ' ' && b != '\t') || b > '~')
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

        /// <summary>The copied value's length without trailing whitespace; 0 when bad, too long or a repeat.</summary>
        private int CapturedLength(bool repeated)
        {
            return _valueBad || repeated ? 0 : _valueEnd;
        }

        private static bool Matches(byte[] bytes, int length, string text)
        {
            if (text.Length != length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (bytes[i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
