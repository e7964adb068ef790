using Terminal.Core.Crypto;
using Terminal.Core.Encoding;
using Terminal.Core.Ports;
using Terminal.Core.Text;

namespace Terminal.NanoRunner.Gateway
{
    /// <summary>
    /// The gateway's end of the terminal hop (docs/antom-protocol.md, "Signatures"): checks a device request's HS256
    /// signature with the relay's request key and signs the answer with its answer key, both over Antom's content to
    /// sign <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;body&gt;</c>. The keys are derived from the device key as
    /// docs/gateway.md ("Signing keys") fixes it, HMAC-SHA256(K, label || 0x01), written here independently of the
    /// firmware's signer. The only place the runner knows how the device key is used.
    /// </summary>
    public sealed class GatewaySignature
    {
        private const string HeaderStart = "algorithm=HS256,keyVersion=";
        private const string SignatureKey = ",signature=";

        private const string RequestLabel = "qr-terminal-hs256/antom-relay/device-to-gateway";
        private const string AnswerLabel = "qr-terminal-hs256/antom-relay/gateway-to-device";

        private readonly HmacSha256 _requestKey;
        private readonly HmacSha256 _answerKey;
        private readonly int _keyVersion;
        private readonly byte[] _prefix = new byte[160];
        private readonly byte[] _mac = new byte[32];
        private readonly byte[] _base64 = new byte[44];
        private readonly byte[] _header = new byte[HttpExchange.HeaderCapacity];

        public GatewaySignature(byte[] deviceKey, int keyVersion)
        {
            _requestKey = new HmacSha256(Derive(deviceKey, RequestLabel));
            _answerKey = new HmacSha256(Derive(deviceKey, AnswerLabel));
            _keyVersion = keyVersion;
        }

        /// <summary>True when the request's Signature header is exactly the one the gateway computes.</summary>
        public bool VerifyRequest(HttpExchange ex)
        {
            int n = Header(_requestKey, ex.Path, ex.ClientId, ex.RequestTime, ex.RequestTimeLength, ex.RequestBuffer, ex.RequestBodyOffset, ex.RequestBodyLength);
            if (n != ex.SignatureLength)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < n; i++)
            {
                difference |= _header[i] ^ ex.Signature[i];
            }

            return difference == 0;
        }

        /// <summary>Writes the Signature header of an answer into <paramref name="destination"/>; returns its length.</summary>
        public int SignResponse(string path, string clientId, byte[] time, int timeLength, byte[] body, int offset, int count, byte[] destination)
        {
            int n = Header(_answerKey, path, clientId, time, timeLength, body, offset, count);
            System.Array.Copy(_header, 0, destination, 0, n);
            return n;
        }

        private int Header(HmacSha256 hmac, string path, string clientId, byte[] time, int timeLength, byte[] body, int offset, int count)
        {
            int p = Ascii("POST ", _prefix, 0);
            p = Ascii(path, _prefix, p);
            _prefix[p++] = (byte)'\n';
            p = Ascii(clientId, _prefix, p);
            _prefix[p++] = (byte)'.';
            System.Array.Copy(time, 0, _prefix, p, timeLength);
            p += timeLength;
            _prefix[p++] = (byte)'.';
            hmac.Reset();
            hmac.Update(_prefix, 0, p);
            hmac.Update(body, offset, count);
            hmac.Final(_mac, 0);

            int h = Ascii(HeaderStart, _header, 0);
            h += AsciiNumber.Write(_keyVersion, _header, h);
            h = Ascii(SignatureKey, _header, h);
            int b = Base64.Encode(_mac, 0, 32, _base64, 0);
            return h + SignatureUrlEncoding.Encode(_base64, 0, b, _header, h);
        }

        /// <summary>HMAC-SHA256(deviceKey, ASCII(label) || 0x01): HKDF-Expand (RFC 5869) with one block.</summary>
        private static byte[] Derive(byte[] deviceKey, string label)
        {
            byte[] info = new byte[label.Length + 1];
            Ascii(label, info, 0);
            info[label.Length] = 0x01;
            HmacSha256 hmac = new HmacSha256(deviceKey);
            hmac.Update(info, 0, info.Length);
            byte[] key = new byte[HmacSha256.HashSize];
            hmac.Final(key, 0);
            return key;
        }

        private static int Ascii(string text, byte[] destination, int offset)
        {
            for (int i = 0; i < text.Length; i++)
            {
                destination[offset + i] = (byte)text[i];
            }

            return offset + text.Length;
        }
    }
}
