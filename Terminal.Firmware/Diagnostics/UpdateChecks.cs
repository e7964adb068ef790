using Terminal.Core.Encoding;
using Terminal.Core.Ports;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Updates.Download;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>
    /// Known answers for over-the-air updates (docs/ota.md): the heartbeat answer's offer read in place (a malformed
    /// one dropped while the answer still counts), and one signed ranged download over an exchange that answers as
    /// the gateway would (206 with Content-Range; a range other than the one asked for refused).
    /// </summary>
    public static class UpdateChecks
    {
        private const string Mac = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

        public static void Run(SelfTestReport report)
        {
            report.Run("update offer in the heartbeat answer", OfferParses);
            report.Run("update offer malformed is dropped", MalformedOfferDropped);
            report.Run("update download signed range", RangeDownloads);
        }

        private static bool OfferParses()
        {
            HeartbeatAnswer answer = new HeartbeatAnswer();
            byte[] beat = AsciiText.Bytes("0123456789abcdef");
            byte[] json = AsciiText.Bytes("{\"result\":{\"resultStatus\":\"S\"},\"beat\":\"0123456789abcdef\",\"update\":{\"version\":\"1.4.0\",\"mac\":\"" + Mac
                + "\",\"downgrade\":true,\"later\":{}}}");
            if (!answer.Parse(json, 0, json.Length, beat) || !answer.Succeeded || !answer.HasOffer)
            {
                return false;
            }

            UpdateOffer offer = answer.Offer;
            return offer.IsVersion("1.4.0") && !offer.IsVersion("1.4") && offer.Downgrade && offer.Mac[0] == 0 && offer.Mac[31] == 0x1f;
        }

        private static bool MalformedOfferDropped()
        {
            HeartbeatAnswer answer = new HeartbeatAnswer();
            byte[] beat = AsciiText.Bytes("0123456789abcdef");
            byte[] json = AsciiText.Bytes("{\"result\":{\"resultStatus\":\"S\"},\"beat\":\"0123456789abcdef\",\"update\":{\"version\":\"1.4.0\",\"mac\":\"" + Mac.ToUpper()
                + "\",\"downgrade\":false}}");
            return answer.Parse(json, 0, json.Length, beat) && answer.Succeeded && !answer.HasOffer && answer.OfferProblem != null;
        }

        private static bool RangeDownloads()
        {
            byte[] key = new byte[32];
            PortableMac mac = new PortableMac(key);
            Hs256Signer signer = new Hs256Signer(mac, "T0001", 1, SignatureKeys.UpdateDownload, null);
            RangeGateway gateway = new RangeGateway(SignatureKeys.Derive(mac, SignatureKeys.UpdateDownload));
            HttpExchange exchange = new HttpExchange(256, 256, Hs256Signer.ReservedBytes);
            HttpBundleSource source = new HttpBundleSource(gateway, signer, new FixedClock(), 1000);
            source.Use(exchange, "1.4.0");
            byte[] piece = new byte[300];
            int n = source.Fetch("Terminal.Core.pe", 512, piece, 10, 300);
            bool ok = n == 256 && piece[10] == 0 && piece[265] == 255 && source.TotalLength == 3000 && gateway.Verified;
            gateway.Shift = 1;
            try
            {
                source.Fetch("Terminal.Core.pe", 0, piece, 0, 100);
                ok = false;
            }
            catch (System.IO.IOException)
            {
            }

            source.Release();
            return ok && exchange.Method == "POST" && exchange.RangeLength == 0;
        }

        private sealed class FixedClock : IClock
        {
            public long MonotonicMs()
            {
                return 1000;
            }

            public long UtcNowMs()
            {
                return 1750000000000L;
            }
        }

        /// <summary>Answers a ranged GET of a 3,000-byte file whose byte i is (byte)i, after checking its signature.</summary>
        private sealed class RangeGateway : IHttpExchange
        {
            private readonly IMac _key;

            public RangeGateway(IMac downloadKey)
            {
                _key = downloadKey;
            }

            public bool Verified { get; private set; }

            public int Shift { get; set; }

            public HttpExchangeStatus Send(HttpExchange x, int timeoutMs)
            {
                string content = x.Method + " " + x.Path + "\nT0001." + new string(Chars(x.RequestTime, x.RequestTimeLength)) + ".";
                byte[] signed = AsciiText.Bytes(content);
                byte[] expected = new byte[32];
                _key.Compute(signed, 0, signed.Length, expected, 0);
                byte[] base64 = new byte[44];
                byte[] encoded = new byte[132];
                int n = SignatureUrlEncoding.Encode(base64, 0, Base64.Encode(expected, 0, 32, base64, 0), encoded, 0);
                string header = new string(Chars(x.Signature, x.SignatureLength));
                Verified = x.Method == "GET" && x.Path == "/terminal/v1/updates/1.4.0/Terminal.Core.pe" && x.RequestBodyLength == 0
                    && header == "algorithm=HS256,keyVersion=1,signature=" + new string(Chars(encoded, n));
                int first = x.RangeFrom + Shift;
                int count = x.RangeLength;
                for (int i = 0; i < count; i++)
                {
                    x.ResponseBuffer[x.ResponseBodyOffset + i] = (byte)(first + i);
                }

                byte[] range = AsciiText.Bytes("bytes " + first + "-" + (first + count - 1) + "/3000");
                System.Array.Copy(range, x.ResponseContentRange, range.Length);
                x.ResponseContentRangeLength = range.Length;
                x.ResponseBodyLength = count;
                x.StatusCode = 206;
                return HttpExchangeStatus.Completed;
            }

            private static char[] Chars(byte[] bytes, int count)
            {
                char[] chars = new char[count];
                for (int i = 0; i < count; i++)
                {
                    chars[i] = (char)bytes[i];
                }

                return chars;
            }
        }
    }
}
