#nullable disable
using Terminal.Core.Config;
using Terminal.Core.Encoding;
using Terminal.Core.Json;

namespace Terminal.Tests.Config.Legacy
{
    /// <summary>
    /// The firmware's configuration parser as it was before the configuration was split into sections (35 keys
    /// tracked by position), kept unchanged as the reference that the sectioned parser must agree with: the same
    /// files accepted with the same values, the same files refused (ConfigCompatibilityTests).
    /// </summary>
    internal static class LegacyConfigParser
    {
        /// <summary>ESP32 pins that are never usable: the SPI flash (GPIO6-11).</summary>
        private const string FlashPins = "6..11";

        /// <summary>Parses the whole byte range.</summary>
        public static LegacyConfig Parse(byte[] json, int offset, int count)
        {
            LegacyConfig config = new LegacyConfig();
            Seen seen = new Seen();
            JsonReader reader = new JsonReader(8, 4096);
            string property = "(file)";
            try
            {
                reader.Reset(json, offset, count);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new ConfigException(property, "the file must hold one JSON object");
                }

                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                    {
                        property = "(file)";
                        while (reader.Read())
                        {
                        }

                        break;
                    }

                    property = reader.GetString();
                    int index = PropertyIndex(property);
                    if (index < 0)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (!seen.Add(index))
                    {
                        throw new ConfigException(property, "appears twice");
                    }

                    reader.Read();
                    ReadValue(reader, property, index, config);
                }
            }
            catch (JsonException e)
            {
                throw new ConfigException(property, "malformed JSON at byte " + e.BytePosition + ": " + e.Message);
            }

            CheckRequired(seen);
            CheckCombinations(config, seen);
            return config;
        }

        // Property names, in index order; the first five are required.
        private static readonly string[] Names =
        {
            "deviceId", "keyVersion", "key", "gatewayUrl", "currency",
            "caCertificate", "wifiSsid", "wifiPassword", "displayName", "board", "display",
            "i2cSda", "i2cScl", "scannerTx", "scannerRx", "hostLinkTx", "hostLinkRx",
            "pollIntervalMs", "cpmBudgetMs", "mpmBudgetMs", "maxBackoffMs", "cancelScheduleMs", "httpTimeoutMs",
            "requestBufferBytes", "responseBufferBytes", "codeValueBytes", "keepTransactions",
            "orderDescription", "merchantId", "merchantName", "merchantMcc", "storeId", "storeName", "storeMcc", "terminalId",
        };

        private const int RequiredCount = 5;

        private static int PropertyIndex(string name)
        {
            for (int i = 0; i < Names.Length; i++)
            {
                if (Names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        private static void ReadValue(JsonReader r, string p, int index, LegacyConfig c)
        {
            switch (index)
            {
                case 0:
                    c.DeviceId = Text(r, p, 1, 32);
                    if (!IsAlphanumeric(c.DeviceId))
                    {
                        throw new ConfigException(p, "letters and digits only");
                    }

                    break;
                case 1:
                    c.KeyVersion = (int)Number(r, p, 1, int.MaxValue);
                    break;
                case 2:
                    c.Key = Key(r, p);
                    break;
                case 3:
                    c.GatewayUrl = Url(r, p);
                    break;
                case 4:
                    c.Currency = Text(r, p, 3, 3);
                    if (!IsUpperLetters(c.Currency) || !Terminal.Core.Money.Currency.IsKnown(c.Currency))
                    {
                        throw new ConfigException(p, "a known ISO 4217 code of 3 upper-case letters, e.g. \"USD\"");
                    }

                    break;
                case 5:
                    c.CaCertificate = Text(r, p, 1, 128);
                    break;
                case 6:
                    c.WifiSsid = Text(r, p, 1, 32);
                    break;
                case 7:
                    c.WifiPassword = Text(r, p, 0, 64);
                    break;
                case 8:
                    c.DisplayName = Text(r, p, 0, 32);
                    break;
                case 9:
                    c.Board = OneOf(r, p, "wroom", "wrover");
                    break;
                case 10:
                    c.Display = OneOf(r, p, "ssd1306", "sh1106");
                    break;
                case 11:
                    c.I2cSda = Pin(r, p, true);
                    break;
                case 12:
                    c.I2cScl = Pin(r, p, true);
                    break;
                case 13:
                    c.ScannerTx = Pin(r, p, true);
                    break;
                case 14:
                    c.ScannerRx = Pin(r, p, false);
                    break;
                case 15:
                    c.HostLinkTx = Pin(r, p, true);
                    break;
                case 16:
                    c.HostLinkRx = Pin(r, p, false);
                    break;
                case 17:
                    c.PollIntervalMs = (int)Number(r, p, 200, 60000);
                    break;
                case 18:
                    c.CpmBudgetMs = (int)Number(r, p, 1000, 600000);
                    break;
                case 19:
                    c.MpmBudgetMs = (int)Number(r, p, 1000, 3600000);
                    break;
                case 20:
                    c.MaxBackoffMs = (int)Number(r, p, 200, 120000);
                    break;
                case 21:
                    c.CancelScheduleMs = Schedule(r, p);
                    break;
                case 22:
                    c.HttpTimeoutMs = (int)Number(r, p, 1000, 120000);
                    break;
                case 23:
                    c.RequestBufferBytes = (int)Number(r, p, 1024, 16384);
                    break;
                case 24:
                    c.ResponseBufferBytes = (int)Number(r, p, 1024, 65536);
                    break;
                case 25:
                    c.CodeValueBytes = (int)Number(r, p, 64, 2048);
                    break;
                case 26:
                    c.KeepTransactions = (int)Number(r, p, 1, 50);
                    break;
                case 27:
                    c.OrderDescription = Text(r, p, 1, 256);
                    break;
                case 28:
                    c.MerchantId = Text(r, p, 0, 64);
                    break;
                case 29:
                    c.MerchantName = Text(r, p, 0, 128);
                    break;
                case 30:
                    c.MerchantMcc = Text(r, p, 0, 8);
                    break;
                case 31:
                    c.StoreId = Text(r, p, 0, 64);
                    break;
                case 32:
                    c.StoreName = Text(r, p, 0, 128);
                    break;
                case 33:
                    c.StoreMcc = Text(r, p, 0, 8);
                    break;
                default:
                    c.TerminalId = Text(r, p, 0, 64);
                    break;
            }
        }

        private static void CheckRequired(Seen seen)
        {
            for (int i = 0; i < RequiredCount; i++)
            {
                if (!seen.Has(i))
                {
                    throw new ConfigException(Names[i], "missing (required)");
                }
            }
        }

        private static void CheckCombinations(LegacyConfig c, Seen seen)
        {
            if (seen.Has(15) != seen.Has(16))
            {
                throw new ConfigException(seen.Has(15) ? "hostLinkRx" : "hostLinkTx", "hostLinkTx and hostLinkRx go together");
            }

            if (c.CpmBudgetMs < c.PollIntervalMs)
            {
                throw new ConfigException("cpmBudgetMs", "must be at least pollIntervalMs");
            }

            if (c.Board == "wrover")
            {
                // WROVER modules wire GPIO16/17 to the PSRAM (docs/configuration.md).
                CheckNotPsram("i2cSda", c.I2cSda);
                CheckNotPsram("i2cScl", c.I2cScl);
                CheckNotPsram("scannerTx", c.ScannerTx);
                CheckNotPsram("scannerRx", c.ScannerRx);
                CheckNotPsram("hostLinkTx", c.HostLinkTx);
                CheckNotPsram("hostLinkRx", c.HostLinkRx);
            }

            if (c.I2cSda == c.I2cScl || c.ScannerTx == c.ScannerRx || Clash(c.I2cSda, c.I2cScl, c.ScannerTx) || Clash(c.I2cSda, c.I2cScl, c.ScannerRx))
            {
                throw new ConfigException("i2cSda", "pins of the OLED and the scanner must all differ");
            }

            if (c.HostLinkTx >= 0 && (c.HostLinkTx == c.HostLinkRx || Clash(c.I2cSda, c.I2cScl, c.HostLinkTx) || Clash(c.I2cSda, c.I2cScl, c.HostLinkRx)
                || Clash(c.ScannerTx, c.ScannerRx, c.HostLinkTx) || Clash(c.ScannerTx, c.ScannerRx, c.HostLinkRx)))
            {
                throw new ConfigException("hostLinkTx", "host link pins must differ from each other and from the OLED and scanner pins");
            }
        }

        private static bool Clash(int a, int b, int pin)
        {
            return pin == a || pin == b;
        }

        private static void CheckNotPsram(string property, int pin)
        {
            if (pin == 16 || pin == 17)
            {
                throw new ConfigException(property, "GPIO" + pin + " is wired to the PSRAM on WROVER boards");
            }
        }

        /// <summary>A string value; errors never quote the value (it may be a password).</summary>
        private static string Text(JsonReader r, string p, int min, int max)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                throw new ConfigException(p, "must be a string");
            }

            string value = r.GetString();
            if (value.Length < min || value.Length > max)
            {
                throw new ConfigException(p, min == max ? "must have " + max + " characters" : "must have " + min + ".." + max + " characters");
            }

            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] < 0x20)
                {
                    throw new ConfigException(p, "control characters are not allowed");
                }
            }

            return value;
        }

        private static long Number(JsonReader r, string p, long min, long max)
        {
            long value;
            bool ok = r.TokenType == JsonTokenType.Number ? r.TryGetInt64(out value)
                : r.TokenType == JsonTokenType.String ? r.TryGetInt64FromString(out value)
                : Fail(out value);
            if (!ok)
            {
                throw new ConfigException(p, "must be a whole number");
            }

            if (value < min || value > max)
            {
                throw new ConfigException(p, "must be " + min + ".." + max);
            }

            return value;
        }

        private static bool Fail(out long value)
        {
            value = 0;
            return false;
        }

        private static int Pin(JsonReader r, string p, bool output)
        {
            int pin = (int)Number(r, p, 0, 39);
            if (pin >= 6 && pin <= 11)
            {
                throw new ConfigException(p, "GPIO" + pin + " belongs to the SPI flash (" + FlashPins + ")");
            }

            if (output && pin >= 34)
            {
                throw new ConfigException(p, "GPIO" + pin + " is input-only");
            }

            return pin;
        }

        private static string OneOf(JsonReader r, string p, string a, string b)
        {
            string value = Text(r, p, 1, 16);
            if (value != a && value != b)
            {
                throw new ConfigException(p, "must be \"" + a + "\" or \"" + b + "\"");
            }

            return value;
        }

        private static byte[] Key(JsonReader r, string p)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                throw new ConfigException(p, "must be a string");
            }

            byte[] text = new byte[64];
            int n;
            try
            {
                n = r.CopyString(text, 0, text.Length);
            }
            catch (JsonException)
            {
                throw new ConfigException(p, "must be the standard base64 of 32 bytes (44 characters)");
            }

            byte[] key = new byte[48];
            int length = n == 44 ? Base64.Decode(text, 0, n, key, 0) : -1;
            System.Array.Clear(text, 0, text.Length);
            if (length != 32)
            {
                System.Array.Clear(key, 0, key.Length);
                throw new ConfigException(p, "must be the standard base64 of 32 bytes (44 characters)");
            }

            byte[] result = new byte[32];
            System.Array.Copy(key, result, 32);
            System.Array.Clear(key, 0, key.Length);
            return result;
        }

        private static string Url(JsonReader r, string p)
        {
            string url = Text(r, p, 8, 256);
            bool https = url.StartsWith("https://");
            if (!https && !url.StartsWith("http://"))
            {
                throw new ConfigException(p, "must start with https:// (http:// only for the simulator)");
            }

            int hostStart = https ? 8 : 7;
            if (url.Length == hostStart || url[hostStart] == '/' || url.IndexOf(' ') >= 0)
            {
                throw new ConfigException(p, "must name a host, e.g. https://gw.example.com:8443");
            }

            return url[url.Length - 1] == '/' ? url.Substring(0, url.Length - 1) : url;
        }

        private static int[] Schedule(JsonReader r, string p)
        {
            if (r.TokenType != JsonTokenType.StartArray)
            {
                throw new ConfigException(p, "must be an array of milliseconds, e.g. [2000,3000,3000,5000,5000]");
            }

            int[] values = new int[16];
            int count = 0;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (count == values.Length)
                {
                    throw new ConfigException(p, "at most " + values.Length + " waits");
                }

                values[count++] = (int)Number(r, p, 0, 60000);
            }

            if (count == 0)
            {
                throw new ConfigException(p, "needs at least one wait");
            }

            int[] result = new int[count];
            System.Array.Copy(values, result, count);
            return result;
        }

        private static bool IsAlphanumeric(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsUpperLetters(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] < 'A' || s[i] > 'Z')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Which properties appeared (a bit per property index).</summary>
        private sealed class Seen
        {
            private long _bits;

            public bool Add(int index)
            {
                long bit = 1L << index;
                bool fresh = (_bits & bit) == 0;
                _bits |= bit;
                return fresh;
            }

            public bool Has(int index)
            {
                return (_bits & (1L << index)) != 0;
            }
        }
    }
}
