using Terminal.Core.Crypto;
using Terminal.Core.Encoding;
using Terminal.Core.Ports;
using Terminal.Core.Text;

namespace Terminal.NanoRunner.Gateway
{
    /// <summary>
    /// The gateway's end of the terminal hop (docs/antom-protocol.md, "Signatures"): checks a device request's HS256
    /// signature and signs the answer, both over Antom's content to sign
    /// <c>POST &lt;path&gt;\n&lt;Client-Id&gt;.&lt;time&gt;.&lt;body&gt;</c>, written here independently of the firmware's
    /// signer. The only place the runner knows how the device key is used.
    /// </summary>
    public sealed class GatewaySignature
    {
        private const string HeaderStart = "algorithm=HS256,keyVersion=";
        private const string SignatureKey = ",signature=";

        private readonly HmacSha256 _hmac;
        private readonly int _keyVersion;
        private readonly byte[] _prefix = new byte[160];
        private readonly byte[] _mac = new byte[32];
        private readonly byte[] _base64 = new byte[44];
        private readonly byte[] _header = new byte[HttpExchange.HeaderCapacity];

        public GatewaySignature(byte[] deviceKey, int keyVersion)
        {
            _hmac = new HmacSha256(deviceKey);
            _keyVersion = keyVersion;
        }

        /// <summary>True when the request's Signature header is exactly the one the gateway computes.</summary>
        public bool VerifyRequest(HttpExchange ex)
        {
            int n = Header(ex.Path, ex.ClientId, ex.RequestTime, ex.RequestTimeLength, ex.RequestBuffer, ex.RequestBodyOffset, ex.RequestBodyLength);
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
            int n = Header(path, clientId, time, timeLength, body, offset, count);
            System.Array.Copy(_header, 0, destination, 0, n);
            return n;
        }

        private int Header(string path, string clientId, byte[] time, int timeLength, byte[] body, int offset, int count)
        {
            int p = Ascii("POST ", _prefix, 0);
            p = Ascii(path, _prefix, p);
            _prefix[p++] = (byte)'\n';
            p = Ascii(clientId, _prefix, p);
            _prefix[p++] = (byte)'.';
            System.Array.Copy(time, 0, _prefix, p, timeLength);
            p += timeLength;
            _prefix[p++] = (byte)'.';
            _hmac.Reset();
            _hmac.Update(_prefix, 0, p);
            _hmac.Update(body, offset, count);
            _hmac.Final(_mac, 0);

            int h = Ascii(HeaderStart, _header, 0);
            h += AsciiNumber.Write(_keyVersion, _header, h);
            h = Ascii(SignatureKey, _header, h);
            int b = Base64.Encode(_mac, 0, 32, _base64, 0);
            return h + SignatureUrlEncoding.Encode(_base64, 0, b, _header, h);
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
