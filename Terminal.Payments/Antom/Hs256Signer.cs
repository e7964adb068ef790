using Terminal.Core.Crypto;
using Terminal.Core.Encoding;
using Terminal.Core.Ports;
using Terminal.Core.Text;

namespace Terminal.Payments.Antom
{
    /// <summary>
    /// The terminal's HS256 variant of Antom's signature scheme (docs/antom-protocol.md section 2, docs/architecture.md section 3):
    /// content <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;body&gt;</c> (one space, one LF, literal dots, no
    /// trailing newline), MAC = HMAC-SHA256 with the Antom relay's request key, header
    /// <c>algorithm=HS256,keyVersion=N,signature=&lt;url-encoded base64 of the MAC&gt;</c>.
    /// The same content shape, with the gateway's Response-Time and the raw response body, verifies responses with the
    /// answer key. Both keys are derived from the device key once, here (<see cref="SignatureKeys"/>), so a gateway
    /// answer can never pass for a terminal request.
    /// </summary>
    /// <remarks>
    /// The content is built in place: the prefix is written into the bytes reserved in front of the body
    /// (<see cref="HttpExchange"/> keeps <see cref="ReservedBytes"/> before each body), so the signed bytes are one
    /// contiguous range and the exact bytes sent. Nothing is allocated per call.
    /// </remarks>
    public sealed class Hs256Signer
    {
        /// <summary>Bytes an <see cref="HttpExchange"/> must reserve in front of each body for the prefix.</summary>
        public const int ReservedBytes = 5 + AntomPaths.MaxLength + 1 + MaxClientIdLength + 1 + MaxTimeLength + 1;

        /// <summary>Longest Client-Id the signer handles (configuration allows 32).</summary>
        public const int MaxClientIdLength = 64;

        /// <summary>Longest Response-Time accepted: epoch milliseconds have 13 digits until the year 2286.</summary>
        public const int MaxTimeLength = 20;

        private const string Algorithm = "algorithm=HS256";
        private const string SignatureKey = "signature=";

        private readonly IMac _requestMac;
        private readonly IMac _answerMac;
        private readonly string _clientId;
        private readonly int _keyVersion;
        private readonly byte[] _mac1 = new byte[32];
        private readonly byte[] _mac2 = new byte[32];
        private readonly byte[] _base64 = new byte[3 * 44]; // 44 base64 characters, each at most "%XX"

        /// <param name="deviceKey">HMAC with the provisioned device key; only the derived keys are used to sign.</param>
        public Hs256Signer(IMac deviceKey, string clientId, int keyVersion)
            : this(deviceKey, clientId, keyVersion, SignatureKeys.AntomRelayRequest, SignatureKeys.AntomRelayAnswer)
        {
        }

        /// <summary>
        /// A signer of another message type (the heartbeat): the same scheme with the keys of
        /// <paramref name="requestLabel"/> and <paramref name="answerLabel"/> (<see cref="SignatureKeys"/>), so its MACs
        /// never verify as the relay's, nor its answers as requests. A null <paramref name="answerLabel"/> is a message
        /// type whose answers are not signed (update downloads): <see cref="Verify"/> then trusts nothing.
        /// </summary>
        public Hs256Signer(IMac deviceKey, string clientId, int keyVersion, string requestLabel, string answerLabel)
        {
            if (clientId == null || clientId.Length == 0 || clientId.Length > MaxClientIdLength)
            {
                throw new System.ArgumentException("client id must have 1.." + MaxClientIdLength + " characters", "clientId");
            }

            if (requestLabel == answerLabel)
            {
                throw new System.ArgumentException("requests and answers need keys of their own", "answerLabel");
            }

            _requestMac = SignatureKeys.Derive(deviceKey, requestLabel);
            _answerMac = answerLabel == null ? null : SignatureKeys.Derive(deviceKey, answerLabel);
            _clientId = clientId;
            _keyVersion = keyVersion;
        }

        public string ClientId
        {
            get { return _clientId; }
        }

        /// <summary>
        /// Sets Path, Client-Id, Request-Time and Signature of a request whose body is already in place.
        /// </summary>
        public void Sign(HttpExchange exchange, string path, long requestTimeMs)
        {
            exchange.Path = path;
            exchange.ClientId = _clientId;
            exchange.RequestTimeLength = AsciiNumber.Write(requestTimeMs, exchange.RequestTime, 0);
            int start = exchange.RequestBodyOffset - PrefixLength(exchange.Method, path, exchange.RequestTimeLength);
            if (start < 0)
            {
                throw new System.InvalidOperationException("signature prefix does not fit the reserved bytes");
            }

            WritePrefix(exchange.RequestBuffer, start, exchange.Method, path, exchange.RequestTime, exchange.RequestTimeLength);
            _requestMac.Compute(exchange.RequestBuffer, start, exchange.RequestBodyOffset + exchange.RequestBodyLength - start, _mac1, 0);
            WriteHeader(exchange);
        }

        /// <summary>
        /// Sets method, Path, Client-Id, Request-Time and Signature of a request without a body (a GET): the content
        /// <c>&lt;method&gt; &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.</c> is built at the start of the request buffer,
        /// which an empty body leaves free, so a path longer than the reserved bytes allow still fits.
        /// </summary>
        public void SignWithoutBody(HttpExchange exchange, string method, string path, long requestTimeMs)
        {
            exchange.Method = method;
            exchange.Path = path;
            exchange.ClientId = _clientId;
            exchange.RequestBodyLength = 0;
            exchange.RequestTimeLength = AsciiNumber.Write(requestTimeMs, exchange.RequestTime, 0);
            int length = PrefixLength(method, path, exchange.RequestTimeLength);
            if (length > exchange.RequestBuffer.Length)
            {
                throw new System.InvalidOperationException("signed content does not fit the request buffer");
            }

            WritePrefix(exchange.RequestBuffer, 0, method, path, exchange.RequestTime, exchange.RequestTimeLength);
            _requestMac.Compute(exchange.RequestBuffer, 0, length, _mac1, 0);
            WriteHeader(exchange);
        }

        /// <summary>The Signature header of the MAC in _mac1.</summary>
        private void WriteHeader(HttpExchange exchange)
        {
            byte[] header = exchange.Signature;
            int p = WriteAscii(Algorithm, header, 0);
            p = WriteAscii(",keyVersion=", header, p);
            p += AsciiNumber.Write(_keyVersion, header, p);
            header[p++] = (byte)',';
            p = WriteAscii(SignatureKey, header, p);
            int n = Base64.Encode(_mac1, 0, 32, _base64, 0);
            p += SignatureUrlEncoding.Encode(_base64, 0, n, header, p);
            exchange.SignatureLength = p;
        }

        /// <summary>
        /// True when the response carries Response-Time and an HS256 Signature that matches the answer-key MAC of
        /// <c>POST &lt;request path&gt;\n&lt;our Client-Id&gt;.&lt;Response-Time&gt;.&lt;body&gt;</c>, and, if it names a
        /// Client-Id, that it is ours. Anything else is untrusted.
        /// </summary>
        public bool Verify(HttpExchange exchange)
        {
            int timeLength = exchange.ResponseTimeLength;
            if (_answerMac == null || timeLength < 1 || timeLength > MaxTimeLength || exchange.ResponseSignatureLength == 0)
            {
                return false;
            }

            if (exchange.ResponseClientIdLength > 0 && !EqualsAscii(exchange.ResponseClientId, exchange.ResponseClientIdLength, _clientId))
            {
                return false;
            }

            if (!ExtractMac(exchange.ResponseSignature, exchange.ResponseSignatureLength))
            {
                return false;
            }

            byte[] buffer = exchange.ResponseBuffer;
            int start = exchange.ResponseBodyOffset - PrefixLength(exchange.Method, exchange.Path, timeLength);
            if (start < 0)
            {
                return false;
            }

            WritePrefix(buffer, start, exchange.Method, exchange.Path, exchange.ResponseTime, timeLength);
            _answerMac.Compute(buffer, start, exchange.ResponseBodyOffset + exchange.ResponseBodyLength - start, _mac1, 0);
            return FixedTime.Equals(_mac1, 0, _mac2, 0, 32);
        }

        /// <summary>Reads the MAC out of "algorithm=HS256,...,signature=&lt;value&gt;" into _mac2.</summary>
        private bool ExtractMac(byte[] header, int length)
        {
            if (IndexOf(header, length, Algorithm) < 0)
            {
                return false;
            }

            int at = IndexOf(header, length, SignatureKey);
            if (at < 0)
            {
                return false;
            }

            int valueStart = at + SignatureKey.Length;
            int valueLength = length - valueStart;
            if (valueLength < 1 || valueLength > _base64.Length)
            {
                return false;
            }

            // Percent-decoding never lengthens, so the decoded text fits where the encoded one would.
            int decoded = SignatureUrlEncoding.Decode(header, valueStart, valueLength, _base64, 0);
            if (decoded != 44)
            {
                return false;
            }

            return Base64.Decode(_base64, 0, 44, _mac2, 0) == 32;
        }

        /// <summary>Length of <c>&lt;method&gt; &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.</c>.</summary>
        private int PrefixLength(string method, string path, int timeLength)
        {
            return method.Length + 1 + path.Length + 1 + _clientId.Length + 1 + timeLength + 1;
        }

        /// <summary>Writes the content prefix from <paramref name="start"/>.</summary>
        private void WritePrefix(byte[] buffer, int start, string method, string path, byte[] time, int timeLength)
        {
            int p = WriteAscii(method, buffer, start);
            buffer[p++] = (byte)' ';
            p = WriteAscii(path, buffer, p);
            buffer[p++] = (byte)'\n';
            p = WriteAscii(_clientId, buffer, p);
            buffer[p++] = (byte)'.';
            System.Array.Copy(time, 0, buffer, p, timeLength);
            p += timeLength;
            buffer[p] = (byte)'.';
        }

        private static int WriteAscii(string text, byte[] buffer, int offset)
        {
            for (int i = 0; i < text.Length; i++)
            {
                buffer[offset + i] = (byte)text[i];
            }

            return offset + text.Length;
        }

        private static bool EqualsAscii(byte[] bytes, int length, string text)
        {
            if (length != text.Length)
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

        private static int IndexOf(byte[] bytes, int length, string text)
        {
            for (int i = 0; i + text.Length <= length; i++)
            {
                int j = 0;
                while (j < text.Length && bytes[i + j] == text[j])
                {
                    j++;
                }

                if (j == text.Length)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
