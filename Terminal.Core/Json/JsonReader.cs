using System;
using Terminal.Core.Text;

namespace Terminal.Core.Json
{
    /// <summary>
    /// Strict RFC 8259 pull reader over a byte range: one root value, no comments, no trailing commas, no
    /// leading zeros, no NaN/Infinity, no BOM; strings must be valid UTF-8 without raw control characters and
    /// with paired \u surrogate escapes. Nesting and string length are limited by the constructor.
    /// <para>
    /// Malformed input throws <see cref="JsonException"/> with the byte position (counted from the offset given
    /// to <see cref="Reset"/>); the reader then keeps throwing it until the next Reset. Asking a token for what
    /// it cannot give (GetBoolean on a string) throws <see cref="InvalidOperationException"/>.
    /// </para>
    /// <para>
    /// Read, Skip, ValueEquals, TryGet*, GetInt64, GetBoolean and CopyString allocate nothing; only GetString
    /// makes a string. Create one reader per thread and reuse it with Reset.
    /// </para>
    /// </summary>
    public sealed class JsonReader
    {
        private const int ObjectKind = 0;
        private const int ArrayKind = 1;

        private readonly int _maxDepth;
        private readonly int _maxStringLength;
        private readonly byte[] _kinds;    // container kind per nesting level
        private readonly byte[] _scratch;  // digits of an escaped numeric string

        private byte[] _buffer;
        private int _start;                // first byte of the JSON text
        private int _end;                  // one past the last byte
        private int _pos;                  // next byte to look at
        private int _depth;                // open containers
        private JsonTokenType _tokenType;
        private int _tokenStart;
        private int _tokenDepth;
        private int _valueStart;           // string: first byte after the quote; number: first byte
        private int _valueEnd;             // string: the closing quote; number: one past the last digit
        private bool _valueHasEscapes;
        private bool _numberIsInteger;
        private bool _done;
        private JsonException _error;

        /// <param name="maxDepth">Deepest nesting of objects and arrays accepted (System.Text.Json's default is 64).</param>
        /// <param name="maxStringLength">Longest string or property name accepted, in unescaped UTF-8 bytes.</param>
        public JsonReader(int maxDepth, int maxStringLength)
        {
            if (maxDepth < 1)
            {
                throw new ArgumentOutOfRangeException("maxDepth", "must be at least 1");
            }

            if (maxStringLength < 0)
            {
                throw new ArgumentOutOfRangeException("maxStringLength", "must not be negative");
            }

            _maxDepth = maxDepth;
            _maxStringLength = maxStringLength;
            _kinds = new byte[maxDepth];
            _scratch = new byte[AsciiNumber.MaxLength + 1];
        }

        /// <summary>Kind of the token the last successful <see cref="Read"/> stopped on.</summary>
        public JsonTokenType TokenType
        {
            get { return _tokenType; }
        }

        /// <summary>Position of the token's first byte (the quote of a string), counted from the Reset offset.</summary>
        public int TokenStart
        {
            get { return _tokenStart - _start; }
        }

        /// <summary>Nesting depth of the token: 0 for the root value and its end; 1 for its members; and so on.</summary>
        public int CurrentDepth
        {
            get { return _tokenDepth; }
        }

        /// <summary>True when the current String or PropertyName token contains backslash escapes.</summary>
        public bool ValueIsEscaped
        {
            get { return _valueHasEscapes; }
        }

        /// <summary>Starts reading the JSON text in <paramref name="buffer"/>[offset, offset + count).</summary>
        public void Reset(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new ArgumentOutOfRangeException("offset", "byte range outside the array");
            }

            _buffer = buffer;
            _start = offset;
            _end = offset + count;
            _pos = offset;
            _depth = 0;
            _tokenType = JsonTokenType.None;
            _tokenStart = offset;
            _tokenDepth = 0;
            _valueStart = offset;
            _valueEnd = offset;
            _valueHasEscapes = false;
            _numberIsInteger = false;
            _done = false;
            _error = null;
        }

        /// <summary>
        /// Moves to the next token. Returns false once the root value is complete and only whitespace follows.
        /// </summary>
        public bool Read()
        {
            if (_error != null)
            {
                throw _error;
            }

            if (_buffer == null)
            {
                throw JsonThrow.Misuse("Read before Reset", _tokenType);
            }

            if (_done)
            {
                return false;
            }

            SkipWhiteSpace();
            switch (_tokenType)
            {
                case JsonTokenType.None:
                    ReadValue();
                    return true;

                case JsonTokenType.StartObject:
                    if (Peek() == '}')
                    {
                        EndContainer(JsonTokenType.EndObject);
                    }
                    else if (Peek() == '"')
                    {
                        ReadPropertyName();
                    }
                    else
                    {
                        Fail("'\"' or '}'", _pos);
                    }

                    return true;

                case JsonTokenType.StartArray:
                    if (Peek() == ']')
                    {
                        EndContainer(JsonTokenType.EndArray);
                    }
                    else
                    {
                        ReadValue();
                    }

                    return true;

                case JsonTokenType.PropertyName:
                    ReadValue();
                    return true;

                default:
                    return ReadAfterValue();
            }
        }

        /// <summary>
        /// On a PropertyName: skips its value. On StartObject/StartArray: moves to the matching end token.
        /// On any other token: does nothing.
        /// </summary>
        public void Skip()
        {
            if (_tokenType == JsonTokenType.PropertyName)
            {
                Read();
            }

            if (_tokenType != JsonTokenType.StartObject && _tokenType != JsonTokenType.StartArray)
            {
                return;
            }

            int depth = _tokenDepth;
            while (Read())
            {
                if ((_tokenType == JsonTokenType.EndObject || _tokenType == JsonTokenType.EndArray) && _tokenDepth == depth)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// True if the current PropertyName or String token, unescaped, equals <paramref name="text"/>.
        /// Compares code points, so escaped and non-ASCII content matches too. Allocates nothing.
        /// </summary>
        public bool ValueEquals(string text)
        {
            RequireString("ValueEquals");
            if (text == null)
            {
                return false;
            }

            byte[] buffer = _buffer;
            int p = _valueStart;
            int end = _valueEnd;
            int length = text.Length;
            for (int i = 0; i < length; i++)
            {
                if (p >= end)
                {
                    return false;
                }

                int expected = text[i];
                int b = buffer[p];
                if (expected < 0x80 && b < 0x80 && b != '\\')
                {
                    if (b != expected)
                    {
                        return false;
                    }

                    p++;
                    continue;
                }

                if (Utf8.IsHighSurrogate(expected) && i + 1 < length && Utf8.IsLowSurrogate(text[i + 1]))
                {
                    expected = Utf8.CombineSurrogates(expected, text[i + 1]);
                    i++;
                }
                else if (Utf8.IsHighSurrogate(expected) || Utf8.IsLowSurrogate(expected))
                {
                    return false; // a lone surrogate never equals valid JSON text
                }

                if (NextCodePoint(ref p) != expected)
                {
                    return false;
                }
            }

            return p == end;
        }

        /// <summary>The unescaped value of a PropertyName or String token (null for a Null token). Allocates.</summary>
        public string GetString()
        {
            if (_tokenType == JsonTokenType.Null)
            {
                return null;
            }

            RequireString("GetString");

            // Each UTF-16 unit comes from at least one raw byte, so the raw length bounds the char count.
            char[] chars = new char[_valueEnd - _valueStart];
            int n = 0;
            int p = _valueStart;
            while (p < _valueEnd)
            {
                int codePoint = NextCodePoint(ref p);
                if (codePoint >= 0x10000)
                {
                    codePoint -= 0x10000;
                    chars[n++] = (char)(0xD800 + (codePoint >> 10));
                    chars[n++] = (char)(0xDC00 + (codePoint & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)codePoint;
                }
            }

            return new string(chars, 0, n);
        }

        /// <summary>
        /// Copies the unescaped UTF-8 of the current PropertyName or String token to <paramref name="dst"/> and
        /// returns its length. Throws <see cref="JsonException"/> if it is longer than <paramref name="maxCount"/>
        /// (nothing useful is copied then) and <see cref="ArgumentException"/> if maxCount does not fit in dst.
        /// </summary>
        public int CopyString(byte[] dst, int offset, int maxCount)
        {
            RequireString("CopyString");
            if (dst == null || offset < 0 || maxCount < 0 || offset > dst.Length - maxCount)
            {
                throw new ArgumentException("CopyString: maxCount bytes at offset do not fit in the destination");
            }

            if (!_valueHasEscapes)
            {
                int length = _valueEnd - _valueStart;
                if (length > maxCount)
                {
                    throw TooLongForCopy(maxCount);
                }

                Array.Copy(_buffer, _valueStart, dst, offset, length);
                return length;
            }

            int q = offset;
            int limit = offset + maxCount;
            int p = _valueStart;
            while (p < _valueEnd)
            {
                int codePoint = NextCodePoint(ref p);
                if (limit - q < Utf8.CodePointLength(codePoint))
                {
                    throw TooLongForCopy(maxCount);
                }

                q += Utf8.WriteCodePoint(codePoint, dst, q);
            }

            return q - offset;
        }

        /// <summary>The value of a Number token written as an integer (no fraction or exponent) that fits a long.</summary>
        public bool TryGetInt64(out long value)
        {
            if (_tokenType != JsonTokenType.Number)
            {
                throw JsonThrow.Misuse("TryGetInt64 needs a Number token", _tokenType);
            }

            if (!_numberIsInteger)
            {
                value = 0;
                return false;
            }

            return AsciiNumber.TryParse(_buffer, _valueStart, _valueEnd - _valueStart, out value);
        }

        /// <summary>As <see cref="TryGetInt64"/>, throwing <see cref="JsonException"/> if the number is not such an integer.</summary>
        public long GetInt64()
        {
            long value;
            if (!TryGetInt64(out value))
            {
                throw JsonThrow.Invalid("number outside the 64-bit integer range or not an integer", _tokenStart - _start);
            }

            return value;
        }

        /// <summary>
        /// The value of a String token holding a decimal integer ("1250": Antom sends amounts this way):
        /// optional '-', digits only, within the long range. False otherwise.
        /// </summary>
        public bool TryGetInt64FromString(out long value)
        {
            if (_tokenType != JsonTokenType.String)
            {
                throw JsonThrow.Misuse("TryGetInt64FromString needs a String token", _tokenType);
            }

            if (!_valueHasEscapes)
            {
                return AsciiNumber.TryParse(_buffer, _valueStart, _valueEnd - _valueStart, out value);
            }

            int n = 0;
            int p = _valueStart;
            while (p < _valueEnd)
            {
                int codePoint = NextCodePoint(ref p);
                if (codePoint >= 0x80 || n == _scratch.Length)
                {
                    value = 0;
                    return false;
                }

                _scratch[n++] = (byte)codePoint;
            }

            return AsciiNumber.TryParse(_scratch, 0, n, out value);
        }

        /// <summary>True for a True token, false for a False token; InvalidOperationException otherwise.</summary>
        public bool GetBoolean()
        {
            if (_tokenType == JsonTokenType.True)
            {
                return true;
            }

            if (_tokenType == JsonTokenType.False)
            {
                return false;
            }

            throw JsonThrow.Misuse("GetBoolean needs a True or False token", _tokenType);
        }

        // ---- Tokenizer ------------------------------------------------------------------------------------

        private int Peek()
        {
            return _pos < _end ? _buffer[_pos] : -1;
        }

        /// <summary>RFC 8259 section 2: only space, tab, line feed and carriage return are whitespace.</summary>
        private void SkipWhiteSpace()
        {
            byte[] buffer = _buffer;
            int p = _pos;
            int end = _end;
            while (p < end)
            {
                int b = buffer[p];
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
                {
                    break;
                }

                p++;
            }

            _pos = p;
        }

        /// <summary>After a complete value: the end of the document, or ',' / the container's closing bracket.</summary>
        private bool ReadAfterValue()
        {
            if (_depth == 0)
            {
                if (_pos < _end)
                {
                    Fail("end of input after the root value", _pos);
                }

                _done = true;
                return false;
            }

            bool inArray = _kinds[_depth - 1] == ArrayKind;
            int b = Peek();
            if (b == ',')
            {
                _pos++;
                SkipWhiteSpace();
                if (inArray)
                {
                    if (Peek() == ']')
                    {
                        Fail("a value after ',' (no trailing commas)", _pos);
                    }

                    ReadValue();
                }
                else if (Peek() == '"')
                {
                    ReadPropertyName();
                }
                else
                {
                    Fail("'\"' to start a property name after ','", _pos);
                }
            }
            else if (inArray && b == ']')
            {
                EndContainer(JsonTokenType.EndArray);
            }
            else if (!inArray && b == '}')
            {
                EndContainer(JsonTokenType.EndObject);
            }
            else
            {
                Fail(inArray ? "',' or ']'" : "',' or '}'", _pos);
            }

            return true;
        }

        private void ReadValue()
        {
            int b = Peek();
            switch (b)
            {
                case '{':
                    StartContainer(ObjectKind, JsonTokenType.StartObject);
                    break;
                case '[':
                    StartContainer(ArrayKind, JsonTokenType.StartArray);
                    break;
                case '"':
                    ReadString(JsonTokenType.String);
                    break;
                case 't':
                    ReadLiteral("true", JsonTokenType.True);
                    break;
                case 'f':
                    ReadLiteral("false", JsonTokenType.False);
                    break;
                case 'n':
                    ReadLiteral("null", JsonTokenType.Null);
                    break;
                default:
                    if (b == '-' || (b >= '0' && b <= '9'))
                    {
                        ReadNumber();
                    }
                    else
                    {
                        Fail("a JSON value", _pos);
                    }

                    break;
            }
        }

        private void StartContainer(int kind, JsonTokenType tokenType)
        {
            if (_depth >= _maxDepth)
            {
                throw Remember(JsonThrow.Invalid("nesting deeper than " + _maxDepth + " levels", _pos - _start));
            }

            _kinds[_depth] = (byte)kind;
            _tokenStart = _pos;
            _tokenDepth = _depth;
            _tokenType = tokenType;
            _depth++;
            _pos++;
        }

        private void EndContainer(JsonTokenType tokenType)
        {
            _tokenStart = _pos;
            _depth--;
            _tokenDepth = _depth;
            _tokenType = tokenType;
            _pos++;
        }

        private void ReadPropertyName()
        {
            ReadString(JsonTokenType.PropertyName);
            SkipWhiteSpace();
            if (Peek() != ':')
            {
                Fail("':' after the property name", _pos);
            }

            _pos++;
        }

        private void ReadLiteral(string literal, JsonTokenType tokenType)
        {
            int p = _pos;
            for (int i = 0; i < literal.Length; i++, p++)
            {
                if (p >= _end || _buffer[p] != literal[i])
                {
                    Fail(i == 0 ? "a JSON value" : "'" + literal + "'", p);
                }
            }

            _tokenStart = _pos;
            _tokenDepth = _depth;
            _tokenType = tokenType;
            _pos = p;
        }

        /// <summary>RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
        private void ReadNumber()
        {
            byte[] buffer = _buffer;
            int end = _end;
            int p = _pos;
            bool integer = true;
            if (buffer[p] == '-')
            {
                p++;
            }

            if (p < end && buffer[p] == '0')
            {
                p++;
                if (p < end && IsDigit(buffer[p]))
                {
                    Fail("'.', 'e' or the end of the number after a leading 0", p);
                }
            }
            else
            {
                p = ExpectDigits(p, "a digit");
            }

            if (p < end && buffer[p] == '.')
            {
                integer = false;
                p = ExpectDigits(p + 1, "a digit after '.'");
            }

            if (p < end && (buffer[p] == 'e' || buffer[p] == 'E'))
            {
                integer = false;
                p++;
                if (p < end && (buffer[p] == '+' || buffer[p] == '-'))
                {
                    p++;
                }

                p = ExpectDigits(p, "a digit in the exponent");
            }

            _tokenStart = _pos;
            _tokenDepth = _depth;
            _tokenType = JsonTokenType.Number;
            _valueStart = _pos;
            _valueEnd = p;
            _valueHasEscapes = false;
            _numberIsInteger = integer;
            _pos = p;
        }

        private int ExpectDigits(int p, string expected)
        {
            if (p >= _end || !IsDigit(_buffer[p]))
            {
                Fail(expected, p);
            }

            while (p < _end && IsDigit(_buffer[p]))
            {
                p++;
            }

            return p;
        }

        private static bool IsDigit(int b)
        {
            return b >= '0' && b <= '9';
        }

        /// <summary>Validates a string token (RFC 8259 section 7) and counts its unescaped UTF-8 length.</summary>
        private void ReadString(JsonTokenType tokenType)
        {
            byte[] buffer = _buffer;
            int end = _end;
            int quote = _pos;
            int p = quote + 1;
            int length = 0;
            bool escaped = false;
            while (true)
            {
                if (p >= end)
                {
                    Fail("'\"' to close the string", p);
                }

                int b = buffer[p];
                if (b == '"')
                {
                    break;
                }

                if (b == '\\')
                {
                    escaped = true;
                    int codePoint = ReadEscape(ref p);
                    length += Utf8.CodePointLength(codePoint);
                }
                else if (b < 0x20)
                {
                    Fail("a string character (control characters must be escaped)", p);
                }
                else if (b < 0x80)
                {
                    p++;
                    length++;
                }
                else
                {
                    int codePoint;
                    int n = Utf8.DecodeOne(buffer, p, end, out codePoint);
                    if (codePoint < 0)
                    {
                        Fail("valid UTF-8", p);
                    }

                    p += n;
                    length += n;
                }

                if (length > _maxStringLength)
                {
                    throw Remember(JsonThrow.Invalid("string longer than " + _maxStringLength + " bytes", quote - _start));
                }
            }

            _tokenStart = quote;
            _tokenDepth = _depth;
            _tokenType = tokenType;
            _valueStart = quote + 1;
            _valueEnd = p;
            _valueHasEscapes = escaped;
            _pos = p + 1;
        }

        /// <summary>Validates the escape at <paramref name="p"/> (a backslash), moves past it, returns its code point.</summary>
        private int ReadEscape(ref int p)
        {
            int e = p + 1 < _end ? _buffer[p + 1] : -1;
            int simple = SimpleEscape(e);
            if (simple >= 0)
            {
                p += 2;
                return simple;
            }

            if (e != 'u')
            {
                Fail("an escape character (one of \" \\ / b f n r t u)", p + 1);
            }

            int codePoint = ReadHex4(p + 2);
            p += 6;
            if (Utf8.IsLowSurrogate(codePoint))
            {
                Fail("a high surrogate before a low surrogate escape", p - 6);
            }

            if (Utf8.IsHighSurrogate(codePoint))
            {
                if (p + 1 >= _end || _buffer[p] != '\\' || _buffer[p + 1] != 'u')
                {
                    Fail("a \\u low surrogate escape after a high surrogate", p);
                }

                int low = ReadHex4(p + 2);
                if (!Utf8.IsLowSurrogate(low))
                {
                    Fail("a low surrogate (\\uDC00-\\uDFFF) after a high surrogate", p);
                }

                p += 6;
                codePoint = Utf8.CombineSurrogates(codePoint, low);
            }

            return codePoint;
        }

        private int ReadHex4(int p)
        {
            int value = 0;
            for (int i = 0; i < 4; i++, p++)
            {
                int digit = p < _end ? HexValue(_buffer[p]) : -1;
                if (digit < 0)
                {
                    Fail("a hex digit in a \\u escape", p);
                }

                value = (value << 4) | digit;
            }

            return value;
        }

        private static int HexValue(int b)
        {
            if (b >= '0' && b <= '9')
            {
                return b - '0';
            }

            if (b >= 'a' && b <= 'f')
            {
                return b - 'a' + 10;
            }

            if (b >= 'A' && b <= 'F')
            {
                return b - 'A' + 10;
            }

            return -1;
        }

        private static int SimpleEscape(int e)
        {
            switch (e)
            {
                case '"': return '"';
                case '\\': return '\\';
                case '/': return '/';
                case 'b': return '\b';
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                default: return -1;
            }
        }

        /// <summary>Next code point of an already validated string token at <paramref name="p"/>; moves p past it.</summary>
        private int NextCodePoint(ref int p)
        {
            int b = _buffer[p];
            if (b == '\\')
            {
                return ReadEscape(ref p);
            }

            if (b < 0x80)
            {
                p++;
                return b;
            }

            int codePoint;
            p += Utf8.DecodeOne(_buffer, p, _valueEnd, out codePoint);
            return codePoint;
        }

        private void RequireString(string operation)
        {
            if (_tokenType != JsonTokenType.String && _tokenType != JsonTokenType.PropertyName)
            {
                throw JsonThrow.Misuse(operation + " needs a String or PropertyName token", _tokenType);
            }
        }

        private JsonException TooLongForCopy(int maxCount)
        {
            return JsonThrow.Invalid("string longer than " + maxCount + " bytes for the destination", _tokenStart - _start);
        }

        /// <summary>Throws the malformed-input error (and keeps it for later Read calls); declared to return for `throw Fail(...)`.</summary>
        private JsonException Fail(string expected, int index)
        {
            throw Remember(JsonThrow.Malformed(expected, _buffer, index, _start, _end));
        }

        private JsonException Remember(JsonException error)
        {
            _error = error;
            return error;
        }
    }
}
