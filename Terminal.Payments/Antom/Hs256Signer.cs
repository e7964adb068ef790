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
        {
            if (clientId == null || clientId.Length == 0 || clientId.Length > MaxClientIdLength)
            {
                throw new System.ArgumentException("client id must have 1.." + MaxClientIdLength + " characters", "clientId");
            }

            _requestMac = SignatureKeys.Derive(deviceKey, SignatureKeys.AntomRelayRequest);
            _answerMac = SignatureKeys.Derive(deviceKey, SignatureKeys.AntomRelayAnswer);
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
            int start = WritePrefix(exchange.RequestBuffer, exchange.RequestBodyOffset, path, exchange.RequestTime, exchange.RequestTimeLength);
            _requestMac.Compute(exchange.RequestBuffer, start, exchange.RequestBodyOffset + exchange.RequestBodyLength - start, _mac1, 0);

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
            if (timeLength < 1 || timeLength > MaxTimeLength || exchange.ResponseSignatureLength == 0)
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
            int start = WritePrefix(buffer, exchange.ResponseBodyOffset, exchange.Path, exchange.ResponseTime, timeLength);
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

        /// <summary>Writes the content prefix so that it ends right before <paramref name="bodyOffset"/>; returns its start.</summary>
        private int WritePrefix(byte[] buffer, int bodyOffset, string path, byte[] time, int timeLength)
        {
            int length = 5 + path.Length + 1 + _clientId.Length + 1 + timeLength + 1;
            int start = bodyOffset - length;
            if (start < 0)
            {
                throw new System.InvalidOperationException("signature prefix does not fit the reserved bytes");
            }

            int p = WriteAscii("POST ", buffer, start);
            p = WriteAscii(path, buffer, p);
            buffer[p++] = (byte)'\n';
            p = WriteAscii(_clientId, buffer, p);
            buffer[p++] = (byte)'.';
            System.Array.Copy(time, 0, buffer, p, timeLength);
            p += timeLength;
            buffer[p] = (byte)'.';
            return start;
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
