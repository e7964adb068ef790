using Terminal.Core.Encoding;
using Terminal.Core.Json;

namespace Terminal.Core.Config
{
    /// <summary>
    /// One key of the configuration file as data: its section, name, kind, bounds, allowed values and default,
    /// as the firmware checks it. The same rule reads and checks the key's value from the file and stores it in
    /// its section, so what is described is exactly what is accepted; tools and the gateway read the table
    /// (<see cref="ConfigRules.Of"/>; all of the terminal's: <c>TerminalConfig.Rules()</c> in Terminal.Firmware)
    /// instead of keeping copies. Made when the file is read, then dropped.
    /// </summary>
    public sealed class ConfigRule
    {
        /// <summary>Most entries of a <see cref="ConfigKind.Schedule"/>.</summary>
        public const int MaxScheduleEntries = 16;

        private const string FlashPins = "6..11";

        private readonly TextSetter _text;
        private readonly NumberSetter _number;
        private readonly KeySetter _key;
        private readonly ScheduleSetter _schedule;

        internal ConfigRule(string section, string key, ConfigKind kind, long min, long max, string[] choices, string defaultValue, bool required, bool secret,
            TextSetter text, NumberSetter number, KeySetter keySetter, ScheduleSetter schedule)
        {
            Section = section;
            Key = key;
            Kind = kind;
            Min = min;
            Max = max;
            Choices = choices;
            Default = defaultValue;
            Required = required;
            Secret = secret;
            _text = text;
            _number = number;
            _key = keySetter;
            _schedule = schedule;
        }

        /// <summary>The section the key belongs to, e.g. "engine".</summary>
        public string Section { get; private set; }

        /// <summary>The property name in terminal.json, e.g. "pollIntervalMs".</summary>
        public string Key { get; private set; }

        public ConfigKind Kind { get; private set; }

        /// <summary>Smallest value (numbers, pins, schedule entries) or length (texts).</summary>
        public long Min { get; private set; }

        /// <summary>Largest value (numbers, pins, schedule entries) or length (texts).</summary>
        public long Max { get; private set; }

        /// <summary>The allowed values of a <see cref="ConfigKind.Choice"/>; null otherwise.</summary>
        public string[] Choices { get; private set; }

        /// <summary>The value when the key is absent, as written in the file ("2000", "ssd1306", "[2000,3000]"); null when absent means unset.</summary>
        public string Default { get; private set; }

        /// <summary>The file must have the key.</summary>
        public bool Required { get; private set; }

        /// <summary>The value is never shown or repeated in an error (keys, passwords).</summary>
        public bool Secret { get; private set; }

        /// <summary>Set once the file had the key (a second time is an error).</summary>
        internal bool Seen { get; set; }

        /// <summary>Checks the value the reader is on and stores it; throws <see cref="ConfigException"/> naming the key.</summary>
        internal void Read(JsonReader r)
        {
            switch (Kind)
            {
                case ConfigKind.Identifier:
                    string id = Text(r);
                    if (!IsAlphanumeric(id))
                    {
                        throw new ConfigException(Key, "letters and digits only");
                    }

                    _text(id);
                    break;

                case ConfigKind.Currency:
                    string code = Text(r);
                    if (!IsUpperLetters(code) || !Money.Currency.IsKnown(code))
                    {
                        throw new ConfigException(Key, "a known ISO 4217 code of 3 upper-case letters, e.g. \"USD\"");
                    }

                    _text(code);
                    break;

                case ConfigKind.Choice:
                    _text(Choice(r));
                    break;

                case ConfigKind.Integer:
                    _number(Number(r, Min, Max));
                    break;

                case ConfigKind.OutputPin:
                case ConfigKind.InputPin:
                    _number(Pin(r));
                    break;

                case ConfigKind.Url:
                    _text(Url(r));
                    break;

                case ConfigKind.Key:
                    _key(Base64Key(r));
                    break;

                case ConfigKind.Schedule:
                    _schedule(Schedule(r));
                    break;

                default:
                    _text(Text(r));
                    break;
            }
        }

        /// <summary>A string value; errors never quote the value (it may be a password).</summary>
        private string Text(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                throw new ConfigException(Key, "must be a string");
            }

            string value = r.GetString();
            if (value.Length < Min || value.Length > Max)
            {
                throw new ConfigException(Key, Min == Max ? "must have " + Max + " characters" : "must have " + Min + ".." + Max + " characters");
            }

            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] < 0x20)
                {
                    throw new ConfigException(Key, "control characters are not allowed");
                }
            }

            return value;
        }

        private long Number(JsonReader r, long min, long max)
        {
            long value;
            bool ok = r.TokenType == JsonTokenType.Number ? r.TryGetInt64(out value)
                : r.TokenType == JsonTokenType.String ? r.TryGetInt64FromString(out value)
                : Fail(out value);
            if (!ok)
            {
                throw new ConfigException(Key, "must be a whole number");
            }

            if (value < min || value > max)
            {
                throw new ConfigException(Key, "must be " + min + ".." + max);
            }

            return value;
        }

        private static bool Fail(out long value)
        {
            value = 0;
            return false;
        }

        private long Pin(JsonReader r)
        {
            long pin = Number(r, 0, 39);
            if (pin >= 6 && pin <= 11)
            {
                throw new ConfigException(Key, "GPIO" + pin + " belongs to the SPI flash (" + FlashPins + ")");
            }

            if (Kind == ConfigKind.OutputPin && pin > Max)
            {
                throw new ConfigException(Key, "GPIO" + pin + " is input-only");
            }

            return pin;
        }

        private string Choice(JsonReader r)
        {
            string value = Text(r);
            for (int i = 0; i < Choices.Length; i++)
            {
                if (value == Choices[i])
                {
                    return value;
                }
            }

            string allowed = "\"" + Choices[0] + "\"";
            for (int i = 1; i < Choices.Length; i++)
            {
                allowed = allowed + (i == Choices.Length - 1 ? " or \"" : ", \"") + Choices[i] + "\"";
            }

            throw new ConfigException(Key, "must be " + allowed);
        }

        private byte[] Base64Key(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                throw new ConfigException(Key, "must be a string");
            }

            byte[] text = new byte[64];
            int n;
            try
            {
                n = r.CopyString(text, 0, text.Length);
            }
            catch (JsonException)
            {
                throw new ConfigException(Key, "must be the standard base64 of 32 bytes (44 characters)");
            }

            byte[] key = new byte[48];
            int length = n == 44 ? Base64.Decode(text, 0, n, key, 0) : -1;
            System.Array.Clear(text, 0, text.Length);
            if (length != 32)
            {
                System.Array.Clear(key, 0, key.Length);
                throw new ConfigException(Key, "must be the standard base64 of 32 bytes (44 characters)");
            }

            byte[] result = new byte[32];
            System.Array.Copy(key, result, 32);
            System.Array.Clear(key, 0, key.Length);
            return result;
        }

        private string Url(JsonReader r)
        {
            string url = Text(r);
            bool https = url.StartsWith("https://");
            if (!https && !url.StartsWith("http://"))
            {
                throw new ConfigException(Key, "must start with https:// (http:// only for the simulator)");
            }

            int hostStart = https ? 8 : 7;
            if (url.Length == hostStart || url[hostStart] == '/' || url.IndexOf(' ') >= 0)
            {
                throw new ConfigException(Key, "must name a host, e.g. https://gw.example.com:8443");
            }

            return url[url.Length - 1] == '/' ? url.Substring(0, url.Length - 1) : url;
        }

        private int[] Schedule(JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartArray)
            {
                throw new ConfigException(Key, "must be an array of milliseconds, e.g. [2000,3000,3000,5000,5000]");
            }

            int[] values = new int[MaxScheduleEntries];
            int count = 0;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (count == values.Length)
                {
                    throw new ConfigException(Key, "at most " + values.Length + " waits");
                }

                values[count++] = (int)Number(r, Min, Max);
            }

            if (count == 0)
            {
                throw new ConfigException(Key, "needs at least one wait");
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
    }
}
