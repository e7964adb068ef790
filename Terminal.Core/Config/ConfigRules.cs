using System;

namespace Terminal.Core.Config
{
    /// <summary>
    /// The rules of the configuration file, in section order, as the sections describe their keys
    /// (<see cref="ConfigSection.Describe"/>): each method adds one key with its bounds, its current value as the
    /// default, and where a checked value goes.
    /// </summary>
    public sealed class ConfigRules
    {
        private ConfigRule[] _rules = new ConfigRule[48];
        private string _section;

        /// <summary>
        /// The rules of a configuration made of <paramref name="sections"/>, in their order: each rule's default is the
        /// section's current value, and reading a key stores it in its section.
        /// </summary>
        public static ConfigRules Of(ConfigSection[] sections)
        {
            ConfigRules rules = new ConfigRules();
            for (int i = 0; i < sections.Length; i++)
            {
                rules.BeginSection(sections[i].Name);
                sections[i].Describe(rules);
            }

            return rules;
        }

        /// <summary>How many keys there are.</summary>
        public int Count { get; private set; }

        /// <summary>The rule at <paramref name="index"/> (0 .. Count-1), in file-documentation order.</summary>
        public ConfigRule this[int index]
        {
            get
            {
                if (index < 0 || index >= Count)
                {
                    throw new ArgumentOutOfRangeException("index");
                }

                return _rules[index];
            }
        }

        /// <summary>The rule of <paramref name="key"/>, or null for a key the terminal does not know.</summary>
        public ConfigRule Find(string key)
        {
            for (int i = 0; i < Count; i++)
            {
                if (_rules[i].Key == key)
                {
                    return _rules[i];
                }
            }

            return null;
        }

        /// <summary>A required text of <paramref name="min"/>..<paramref name="max"/> characters; <paramref name="value"/> is the current one (null until read).</summary>
        public void RequiredText(string key, ConfigKind kind, int min, int max, string value, TextSetter setter)
        {
            Add(new ConfigRule(_section, key, kind, min, max, null, null, true, false, setter, null, null, null, value, 0, null));
        }

        /// <summary>An optional text of <paramref name="min"/>..<paramref name="max"/> characters; <paramref name="value"/> is the default.</summary>
        public void Text(string key, int min, int max, string value, TextSetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.Text, min, max, null, value, false, false, setter, null, null, null, value, 0, null));
        }

        /// <summary>An optional text never shown in errors or listings.</summary>
        public void Password(string key, int min, int max, TextSetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.Text, min, max, null, null, false, true, setter, null, null, null, null, 0, null));
        }

        /// <summary>An optional PIN hash (<see cref="ConfigKind.PinHash"/>) of at most <paramref name="max"/> characters, never shown.</summary>
        public void PinHash(string key, int max, TextSetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.PinHash, 0, max, null, null, false, true, setter, null, null, null, null, 0, null));
        }

        /// <summary>One of <paramref name="choices"/> (at most 16 characters each); <paramref name="value"/> is the default.</summary>
        public void Choice(string key, string[] choices, string value, TextSetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.Choice, 1, 16, choices, value, false, false, setter, null, null, null, value, 0, null));
        }

        /// <summary>A whole number in <paramref name="min"/>..<paramref name="max"/>.</summary>
        public void Integer(string key, long min, long max, long value, bool required, NumberSetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.Integer, min, max, null, required ? null : value.ToString(), required, false, null, setter, null, null, null, value, null));
        }

        /// <summary>A GPIO the terminal drives (or reads, <paramref name="output"/> false); a negative <paramref name="value"/> means unset.</summary>
        public void Pin(string key, bool output, int value, NumberSetter setter)
        {
            Add(new ConfigRule(_section, key, output ? ConfigKind.OutputPin : ConfigKind.InputPin, 0, output ? 33 : 39, null,
                value < 0 ? null : value.ToString(), false, false, null, setter, null, null, null, value, null));
        }

        /// <summary>A required 32-byte key in base64.</summary>
        public void RequiredKey(string key, KeySetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.Key, 44, 44, null, null, true, true, null, null, setter, null, null, 0, null));
        }

        /// <summary>A list of waits, each in <paramref name="min"/>..<paramref name="max"/> ms; <paramref name="value"/> is the default.</summary>
        public void Schedule(string key, int min, int max, int[] value, ScheduleSetter setter)
        {
            Add(new ConfigRule(_section, key, ConfigKind.Schedule, min, max, null, ScheduleText(value), false, false, null, null, null, setter, null, 0, value));
        }

        /// <summary>
        /// The gateway may set <paramref name="key"/> (described before, in this section) within the file's bounds
        /// (docs/fleet-link.md, "Remote settings").
        /// </summary>
        public void Remote(string key)
        {
            ConfigRule rule = Described(key);
            rule.AllowRemote(rule.Min, rule.Max);
        }

        /// <summary>
        /// The gateway may set <paramref name="key"/> within <paramref name="min"/>..<paramref name="max"/>, bounds inside
        /// the file's that keep a terminal safe when a whole fleet gets the value (a poll interval that would hammer
        /// the payment service, a heartbeat that would flood the gateway).
        /// </summary>
        public void Remote(string key, long min, long max)
        {
            Described(key).AllowRemote(min, max);
        }

        /// <summary>The keys that follow belong to <paramref name="section"/>.</summary>
        private void BeginSection(string section)
        {
            _section = section;
        }

        private void Add(ConfigRule rule)
        {
            if (Find(rule.Key) != null)
            {
                throw new InvalidOperationException("configuration key described twice: " + rule.Key);
            }

            if (Count == _rules.Length)
            {
                ConfigRule[] larger = new ConfigRule[_rules.Length * 2];
                Array.Copy(_rules, larger, Count);
                _rules = larger;
            }

            _rules[Count++] = rule;
        }

        private ConfigRule Described(string key)
        {
            ConfigRule rule = Find(key);
            if (rule == null || rule.Section != _section)
            {
                throw new InvalidOperationException("configuration key " + key + " is not described in section " + _section);
            }

            return rule;
        }

        /// <summary>A schedule as written in the file, e.g. "[2000,3000]"; null for none.</summary>
        internal static string ScheduleText(int[] values)
        {
            if (values == null)
            {
                return null;
            }

            string text = "[";
            for (int i = 0; i < values.Length; i++)
            {
                text = text + (i == 0 ? string.Empty : ",") + values[i];
            }

            return text + "]";
        }
    }
}
