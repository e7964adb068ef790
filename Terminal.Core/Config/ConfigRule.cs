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
    /// <para>
    /// A rule marked <see cref="Remote"/> may also be set by the gateway (remote settings, docs/fleet-link.md), within
    /// <see cref="RemoteMin"/>..<see cref="RemoteMax"/>: the gateway checks a value with <see cref="CheckRemote"/> before
    /// it accepts it, and the terminal with the same method before it applies it, so both sides use this one table.
    /// Keys, Wi-Fi credentials, pins and buffer sizes are never remote.
    /// </para>
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

        // The section's value when the table was made (the kind decides which one holds it).
        private readonly string _currentText;
        private readonly long _currentNumber;
        private readonly int[] _currentSchedule;

        internal ConfigRule(string section, string key, ConfigKind kind, long min, long max, string[] choices, string defaultValue, bool required, bool secret,
            TextSetter text, NumberSetter number, KeySetter keySetter, ScheduleSetter schedule, string currentText, long currentNumber, int[] currentSchedule)
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
            _currentText = currentText;
            _currentNumber = currentNumber;
            _currentSchedule = currentSchedule;
            RemoteMin = min;
            RemoteMax = max;
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

        /// <summary>The gateway may set this key (remote settings); never true for secrets, pins or buffer sizes.</summary>
        public bool Remote { get; private set; }

        /// <summary>Smallest value (numbers, schedule entries) or length (texts) a remote setting may have.</summary>
        public long RemoteMin { get; private set; }

        /// <summary>Largest value (numbers, schedule entries) or length (texts) a remote setting may have.</summary>
        public long RemoteMax { get; private set; }

        /// <summary>
        /// The section's value when the table was made, as written in the file ("2000", "USD", "[2000,3000]"); null when
        /// unset, and always for secrets. Unlike <see cref="Default"/> it is set for required keys too.
        /// </summary>
        public string Current
        {
            get
            {
                if (Secret)
                {
                    return null;
                }

                if (Kind == ConfigKind.Schedule)
                {
                    return ConfigRules.ScheduleText(_currentSchedule);
                }

                return IsNumberKind() ? (_currentNumber < 0 && IsPin() ? null : _currentNumber.ToString()) : _currentText;
            }
        }

        /// <summary>Set once the file had the key (a second time is an error).</summary>
        internal bool Seen { get; set; }

        /// <summary>Marks the key as settable by the gateway within <paramref name="min"/>..<paramref name="max"/>.</summary>
        internal void AllowRemote(long min, long max)
        {
            if (Secret || Kind == ConfigKind.Key || IsPin())
            {
                throw new System.InvalidOperationException(Key + " cannot be a remote setting");
            }

            if (min < Min || max > Max || min > max)
            {
                throw new System.ArgumentOutOfRangeException("min", Key + ": remote bounds must lie within the file's bounds");
            }

            Remote = true;
            RemoteMin = min;
            RemoteMax = max;
        }

        /// <summary>Checks the value the reader is on and stores it; throws <see cref="ConfigException"/> naming the key.</summary>
        internal void Read(JsonReader r)
        {
            Take(r, Min, Max, true);
        }

        /// <summary>
        /// Checks the value the reader is on as a remote setting (the key must be <see cref="Remote"/>, the value within
        /// <see cref="RemoteMin"/>..<see cref="RemoteMax"/>) without storing it; throws <see cref="ConfigException"/>
        /// naming the key and the reason.
        /// </summary>
        public void CheckRemote(JsonReader r)
        {
            RequireRemote();
            Take(r, RemoteMin, RemoteMax, false);
        }

        /// <summary>As <see cref="CheckRemote"/>, then stores the value in the section.</summary>
        public void ReadRemote(JsonReader r)
        {
            RequireRemote();
            Take(r, RemoteMin, RemoteMax, true);
        }

        /// <summary>
        /// Stores a value as the file would (its bounds, not the remote ones), or unsets an optional text for JSON null:
        /// puts back what <see cref="WriteCurrent"/> wrote. Throws <see cref="ConfigException"/> for a bad value.
        /// </summary>
        public void Restore(JsonReader r)
        {
            if (r.TokenType == JsonTokenType.Null && _text != null && !Required)
            {
                _text(null);
                return;
            }

            Take(r, Min, Max, true);
        }

        /// <summary>
        /// Writes <c>"key":value</c> with the value of <see cref="Current"/> as JSON (null when unset), so that
        /// <see cref="Restore"/> can put it back; nothing for secrets.
        /// </summary>
        public void WriteCurrent(JsonWriter w)
        {
            if (Secret)
            {
                return;
            }

            if (Kind == ConfigKind.Schedule)
            {
                if (_currentSchedule == null)
                {
                    w.WriteNull(Key);
                    return;
                }

                w.StartArray(Key);
                for (int i = 0; i < _currentSchedule.Length; i++)
                {
                    w.WriteNumberValue(_currentSchedule[i]);
                }

                w.EndArray();
            }
            else if (IsNumberKind())
            {
                if (Current == null)
                {
                    w.WriteNull(Key);
                }
                else
                {
                    w.WriteNumber(Key, _currentNumber);
                }
            }
            else
            {
                w.WriteString(Key, _currentText);
            }
        }

        private void RequireRemote()
        {
            if (!Remote)
            {
                throw new ConfigException(Key, "not a remote setting (set it in terminal.json)");
            }
        }

        private bool IsNumberKind()
        {
            return Kind == ConfigKind.Integer || IsPin();
        }

        private bool IsPin()
        {
            return Kind == ConfigKind.OutputPin || Kind == ConfigKind.InputPin;
        }

        /// <summary>Checks the value the reader is on with numbers (texts: lengths) in min..max; stores it when asked.</summary>
        private void Take(JsonReader r, long min, long max, bool store)
        {
            switch (Kind)
            {
                case ConfigKind.Identifier:
                    string id = Text(r, min, max);
                    if (!IsAlphanumeric(id))
                    {
                        throw new ConfigException(Key, "letters and digits only");
                    }

                    StoreText(id, store);
                    break;

                case ConfigKind.Currency:
                    string code = Text(r, min, max);
                    if (!IsUpperLetters(code) || !Money.Currency.IsKnown(code))
                    {
                        throw new ConfigException(Key, "a known ISO 4217 code of 3 upper-case letters, e.g. \"USD\"");
                    }

                    StoreText(code, store);
                    break;

                case ConfigKind.Choice:
                    StoreText(Choice(r), store);
                    break;

                case ConfigKind.Integer:
                    long number = Number(r, min, max);
                    if (store)
                    {
                        _number(number);
                    }

                    break;

                case ConfigKind.OutputPin:
                case ConfigKind.InputPin:
                    long pin = Pin(r);
                    if (store)
                    {
                        _number(pin);
                    }

                    break;

                case ConfigKind.Url:
                    StoreText(Url(r, min, max), store);
                    break;

                case ConfigKind.Key:
                    byte[] key = Base64Key(r);
                    if (store)
                    {
                        _key(key);
                    }
                    else
                    {
                        System.Array.Clear(key, 0, key.Length);
                    }

                    break;

                case ConfigKind.Schedule:
                    int[] waits = Schedule(r, min, max);
                    if (store)
                    {
                        _schedule(waits);
                    }

                    break;

                default:
                    StoreText(Text(r, min, max), store);
                    break;
            }
        }

        private void StoreText(string value, bool store)
        {
            if (store)
            {
                _text(value);
            }
        }

        /// <summary>A string value of min..max characters; errors never quote the value (it may be a password).</summary>
        private string Text(JsonReader r, long min, long max)
        {
            if (r.TokenType != JsonTokenType.String)
            {
                throw new ConfigException(Key, "must be a string");
            }

            string value = r.GetString();
            if (value.Length < min || value.Length > max)
            {
                throw new ConfigException(Key, min == max ? "must have " + max + " characters" : "must have " + min + ".." + max + " characters");
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
            string value = Text(r, Min, Max);
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

        private string Url(JsonReader r, long min, long max)
        {
            string url = Text(r, min, max);
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

        private int[] Schedule(JsonReader r, long min, long max)
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

                values[count++] = (int)Number(r, min, max);
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
