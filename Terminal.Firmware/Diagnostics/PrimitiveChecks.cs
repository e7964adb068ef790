using Terminal.Core.Crypto;
using Terminal.Core.Encoding;
using Terminal.Core.Json;
using Terminal.Core.Money;
using Terminal.Core.Text;

namespace Terminal.Firmware.Diagnostics
{
    /// <summary>Known-answer checks of the portable primitives (published test vectors where they exist).</summary>
    public static class PrimitiveChecks
    {
        public static void Run(SelfTestReport report)
        {
            report.Run("sha256 abc", CheckSha256);
            report.Run("hmac-sha256 rfc4231 case 2", CheckHmac);
            report.Run("base64 rfc4648", CheckBase64);
            report.Run("signature url-encoding", CheckUrlEncoding);
            report.Run("utf-8 three-byte character", CheckUtf8);
            report.Run("json antom body round trip", CheckJson);
            report.Run("amount format and parse", CheckAmounts);
        }

        private static string CheckSha256()
        {
            // FIPS 180-2 appendix B.1.
            byte[] data = AsciiText.Bytes("abc");
            byte[] digest = new byte[Sha256.HashSize];
            Sha256 sha = new Sha256();
            sha.Update(data, 0, data.Length);
            sha.Final(digest, 0);
            return Same(Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), digest, digest.Length) ? null : "bytes differ";
        }

        private static string CheckHmac()
        {
            byte[] data = AsciiText.Bytes("what do ya want for nothing?");
            byte[] mac = new byte[HmacSha256.HashSize];
            HmacSha256 hmac = new HmacSha256(AsciiText.Bytes("Jefe"));
            hmac.Update(data, 0, data.Length);
            hmac.Final(mac, 0);
            return Same(Hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), mac, mac.Length) ? null : "bytes differ";
        }

        private static string CheckBase64()
        {
            // RFC 4648 section 10: "fooba" -> "Zm9vYmE=".
            byte[] data = AsciiText.Bytes("fooba");
            byte[] text = new byte[Base64.GetEncodedLength(data.Length)];
            int n = Base64.Encode(data, 0, data.Length, text, 0);
            byte[] back = new byte[data.Length];
            int m = Base64.Decode(text, 0, n, back, 0);
            bool ok = AsciiText.Matches(text, n, "Zm9vYmE=") && m == data.Length && Same(data, back, m)
                && Base64.Decode(AsciiText.Bytes("Zm9vYmF="), 0, 8, back, 0) == -1;
            return ok ? null : "encode, decode or strictness differs";
        }

        private static string CheckUrlEncoding()
        {
            byte[] data = AsciiText.Bytes("a+b/c==");
            byte[] encoded = new byte[32];
            int n = SignatureUrlEncoding.Encode(data, 0, data.Length, encoded, 0);
            byte[] lower = AsciiText.Bytes("a%2bb%2fc%3d%3D");
            byte[] decoded = new byte[lower.Length];
            int m = SignatureUrlEncoding.Decode(lower, 0, lower.Length, decoded, 0);
            bool ok = AsciiText.Matches(encoded, n, "a%2Bb%2Fc%3D%3D") && Same(data, decoded, m);
            return ok ? null : "encoded or decoded bytes differ";
        }

        private static string CheckUtf8()
        {
            byte[] buffer = new byte[4];
            int n = Utf8.Encode("\u20AC", buffer, 0);
            byte[] overlong = { 0xE0, 0x82, 0xAC };
            bool ok = Same(new byte[] { 0xE2, 0x82, 0xAC }, buffer, n)
                && Utf8.Decode(buffer, 0, n) == "\u20AC"
                && !Utf8.IsValid(overlong, 0, overlong.Length);
            return ok ? null : "encoding, decoding or overlong rejection differs";
        }

        private static string CheckJson()
        {
            const string Expected = "{\"paymentRequestId\":\"PR-1\\\"x\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},\"isTest\":false}";
            JsonWriter writer = new JsonWriter(new byte[128]);
            writer.StartObject();
            writer.WriteString("paymentRequestId", "PR-1\"x");
            writer.StartObject("paymentAmount");
            writer.WriteString("currency", "USD");
            writer.WriteNumberAsString("value", 1250);
            writer.EndObject();
            writer.WriteBoolean("isTest", false);
            writer.EndObject();
            bool ok = AsciiText.Matches(writer.Buffer, writer.Length, Expected);

            JsonReader reader = new JsonReader(8, 64);
            reader.Reset(writer.Buffer, 0, writer.Length);
            long value = 0;
            string requestId = null;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueEquals("paymentRequestId"))
                {
                    reader.Read();
                    requestId = reader.GetString();
                }
                else if (reader.ValueEquals("value"))
                {
                    reader.Read();
                    reader.TryGetInt64FromString(out value);
                }
            }

            ok = ok && value == 1250 && requestId == "PR-1\"x";
            return ok ? null : "written bytes or values read back differ";
        }

        private static string CheckAmounts()
        {
            long ignored;
            bool ok = Amount.Format(1250, "USD") == "12.50 USD"
                && Amount.Format(1000, "JPY") == "1000 JPY"
                && Amount.Format(1250, "KWD") == "1.250 KWD"
                && Amount.Format(-5, "EUR") == "-0.05 EUR"
                && Amount.Parse("12.5", "USD") == 1250
                && Amount.Parse("1000", "JPY") == 1000
                && !Amount.TryParse("1.005", "USD", out ignored);
            return ok ? null : "formatted text or parsed minor units differ";
        }

        private static byte[] Hex(string hex)
        {
            byte[] bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)((HexDigit(hex[2 * i]) << 4) | HexDigit(hex[(2 * i) + 1]));
            }

            return bytes;
        }

        private static int HexDigit(char c)
        {
            return c <= '9' ? c - '0' : c - 'a' + 10;
        }

        private static bool Same(byte[] expected, byte[] actual, int count)
        {
            if (count != expected.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (expected[i] != actual[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
