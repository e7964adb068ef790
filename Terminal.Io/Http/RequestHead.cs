using Terminal.Core.Ports;

namespace Terminal.Io.Http
{
    /// <summary>
    /// Writes the head of an exchange's request (RFC 9112 section 3: request line, header fields, empty line) as
    /// ASCII into a preallocated buffer, without allocating:
    /// <code>
    /// POST /base/ams/api/v1/payments/pay HTTP/1.1
    /// Host: gw.example.com:8443
    /// Content-Type: application/json; charset=UTF-8
    /// Content-Length: 123
    /// Connection: keep-alive
    /// Client-Id: T0001
    /// Request-Time: 1700000000000
    /// Signature: algorithm=HS256,keyVersion=2,signature=...
    /// Range: bytes=0-4095            (only when the exchange asks for a range)
    /// </code>
    /// Every value must be visible ASCII (and spaces inside header values): a CR or LF smuggled in a path or an id
    /// would start a header or a request of its own.
    /// </summary>
    public sealed class RequestHead
    {
        /// <summary>Room for the longest head: a 256-byte signature, a long host and path, and the fixed text.</summary>
        public const int Capacity = 1536;

        private readonly byte[] _bytes = new byte[Capacity];
        private int _length;
        private bool _overflow;

        public byte[] Bytes
        {
            get { return _bytes; }
        }

        /// <summary>
        /// Writes the head for <paramref name="exchange"/>; returns its length, or -1 when a value is not printable
        /// ASCII or the head does not fit <see cref="Capacity"/>.
        /// </summary>
        public int Write(GatewayAddress address, HttpExchange exchange)
        {
            _length = 0;
            _overflow = false;
            if (!Token(exchange.Method) || !Visible(exchange.Path, false) || !Visible(address.BasePath, false)
                || !Visible(exchange.ContentType, true) || !Visible(exchange.ClientId, true)
                || !Visible(exchange.RequestTime, exchange.RequestTimeLength) || !Visible(exchange.Signature, exchange.SignatureLength)
                || exchange.Path.Length == 0 || exchange.Path[0] != '/' || exchange.RequestBodyLength < 0
                || exchange.RangeFrom < 0 || exchange.RangeLength < 0 || exchange.RangeFrom > int.MaxValue - exchange.RangeLength)
            {
                return -1;
            }

            Append(exchange.Method);
            Append(" ");
            Append(address.BasePath);
            Append(exchange.Path);
            Append(" HTTP/1.1\r\nHost: ");
            Append(address.HostHeader);
            Append("\r\nContent-Type: ");
            Append(exchange.ContentType);
            Append("\r\nContent-Length: ");
            AppendNumber(exchange.RequestBodyLength);
            Append("\r\nConnection: keep-alive\r\nClient-Id: ");
            Append(exchange.ClientId);
            Append("\r\nRequest-Time: ");
            Append(exchange.RequestTime, exchange.RequestTimeLength);
            Append("\r\nSignature: ");
            Append(exchange.Signature, exchange.SignatureLength);
            if (exchange.RangeLength > 0)
            {
                // RFC 9110 14.1.2: first-pos "-" last-pos, both inclusive.
                Append("\r\nRange: bytes=");
                AppendNumber(exchange.RangeFrom);
                Append("-");
                AppendNumber(exchange.RangeFrom + exchange.RangeLength - 1);
            }

            Append("\r\n\r\n");
            return _overflow ? -1 : _length;
        }

        private void Append(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Put((byte)text[i]);
            }
        }

        private void Append(byte[] bytes, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Put(bytes[i]);
            }
        }

        private void AppendNumber(int value)
        {
            int divisor = 1;
            while (value / divisor >= 10)
            {
                divisor *= 10;
            }

            for (; divisor > 0; divisor /= 10)
            {
                Put((byte)('0' + value / divisor % 10));
            }
        }

        private void Put(byte b)
        {
            if (_length == _bytes.Length)
            {
                _overflow = true;
                return;
            }

            _bytes[_length++] = b;
        }

        /// <summary>A method is a token of capital letters (RFC 9110 9.1 allows more; the Antom API uses POST).</summary>
        private static bool Token(string method)
        {
            if (method == null || method.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < method.Length; i++)
            {
                if (method[i] < 'A' || method[i] > 'Z')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Visible(string text, bool spaces)
        {
            if (text == null)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > '~' || c < ' ' || (c == ' ' && !spaces))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Visible(byte[] bytes, int count)
        {
            for (int i = 0; i < count; i++)
            {
                if (bytes[i] > (byte)'~' || bytes[i] < (byte)' ')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
