using Terminal.Core.Config;
using Terminal.Core.Json;

namespace Terminal.DeviceLink.Settings
{
    /// <summary>
    /// The one check of remote settings, run by the terminal before it applies them and by the gateway before it
    /// accepts them (the gateway references this assembly): every key must be a remote key of the configuration's
    /// rules (<see cref="ConfigRule.Remote"/>) with a value within its remote bounds (<see cref="ConfigRule.CheckRemote"/>),
    /// and the whole configuration with the values in place must pass every section's own check (for example
    /// cpmBudgetMs at least pollIntervalMs). Values are one JSON object, <c>{"pollIntervalMs":3000,"displayName":"Shop 1"}</c>;
    /// a key the set does not name keeps its value from terminal.json. Runs rarely (a new settings version), so it
    /// may allocate.
    /// </summary>
    public static class SettingsCheck
    {
        /// <summary>The field named when the document itself is wrong (not an object, malformed, too deep).</summary>
        public const string DocumentField = "(settings)";

        /// <summary>Longest text value in UTF-8 bytes the reader accepts (256 characters, escaped).</summary>
        private const int MaxStringBytes = 1024;

        /// <summary>
        /// Checks <c>json[offset .. offset+count)</c> on a fresh configuration from <paramref name="factory"/> that first
        /// takes every value of <paramref name="current"/> (the terminal's live sections; null on the gateway, which
        /// checks on the defaults) and then the values of <paramref name="baseValues"/> (the remote keys' values from
        /// terminal.json, <see cref="RemoteValues"/>; null for none). Returns null when the settings can be applied,
        /// else the first problem.
        /// </summary>
        public static SettingsProblem Check(byte[] json, int offset, int count, SectionsFactory factory, ConfigSection[] current, byte[] baseValues)
        {
            ConfigSection[] candidate = factory();
            ConfigRules rules = ConfigRules.Of(candidate);
            try
            {
                if (current != null)
                {
                    byte[] copy = Values(ConfigRules.Of(current), false);
                    Restore(rules, copy, 0, copy.Length);
                }

                if (baseValues != null)
                {
                    Restore(rules, baseValues, 0, baseValues.Length);
                }

                ReadRemote(rules, json, offset, count);
                for (int i = 0; i < candidate.Length; i++)
                {
                    candidate[i].Check();
                }

                return null;
            }
            catch (ConfigException e)
            {
                return new SettingsProblem(e.Property, e.Problem);
            }
            catch (JsonException e)
            {
                return new SettingsProblem(DocumentField, "malformed JSON at byte " + e.BytePosition + ": " + e.Message);
            }
        }

        /// <summary>The remote keys' current values of <paramref name="sections"/> as one JSON object (null for an unset text).</summary>
        public static byte[] RemoteValues(ConfigSection[] sections)
        {
            return Values(ConfigRules.Of(sections), true);
        }

        /// <summary>
        /// Stores the values of a JSON object into the sections of <paramref name="rules"/> as the file would
        /// (<see cref="ConfigRule.Restore"/>); throws <see cref="ConfigException"/>.
        /// </summary>
        public static void Restore(ConfigRules rules, byte[] json, int offset, int count)
        {
            JsonReader r = Reader(json, offset, count);
            while (NextKey(r))
            {
                ConfigRule rule = rules.Find(r.GetString());
                if (rule == null)
                {
                    r.Read();
                    r.Skip();
                    continue;
                }

                r.Read();
                rule.Restore(r);
            }
        }

        /// <summary>
        /// Stores the values of a JSON object into the sections of <paramref name="rules"/> as remote settings
        /// (<see cref="ConfigRule.ReadRemote"/>): an unknown key, a key that is not remote, a key named twice or a bad
        /// value throws <see cref="ConfigException"/> naming the key.
        /// </summary>
        public static void ReadRemote(ConfigRules rules, byte[] json, int offset, int count)
        {
            bool[] seen = new bool[rules.Count];
            JsonReader r = Reader(json, offset, count);
            while (NextKey(r))
            {
                string key = r.GetString();
                int index = IndexOf(rules, key);
                if (index < 0)
                {
                    throw new ConfigException(key, "unknown setting");
                }

                if (seen[index])
                {
                    throw new ConfigException(key, "appears twice");
                }

                seen[index] = true;
                r.Read();
                rules[index].ReadRemote(r);
            }
        }

        /// <summary>Every current value (remote keys only: including unset texts as null; otherwise only those set).</summary>
        private static byte[] Values(ConfigRules rules, bool remoteOnly)
        {
            int size = 1024;
            while (true)
            {
                JsonWriter w = new JsonWriter(new byte[size]);
                try
                {
                    w.StartObject();
                    for (int i = 0; i < rules.Count; i++)
                    {
                        ConfigRule rule = rules[i];
                        if (remoteOnly ? rule.Remote : rule.Current != null)
                        {
                            rule.WriteCurrent(w);
                        }
                    }

                    w.EndObject();
                    byte[] result = new byte[w.Length];
                    System.Array.Copy(w.Buffer, result, w.Length);
                    return result;
                }
                catch (JsonBufferTooSmallException)
                {
                    size *= 2;
                }
            }
        }

        private static JsonReader Reader(byte[] json, int offset, int count)
        {
            JsonReader r = new JsonReader(4, MaxStringBytes);
            try
            {
                r.Reset(json, offset, count);
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
                {
                    throw new ConfigException(DocumentField, "must be a JSON object of settings");
                }
            }
            catch (JsonException e)
            {
                throw new ConfigException(DocumentField, "malformed JSON at byte " + e.BytePosition + ": " + e.Message);
            }

            return r;
        }

        /// <summary>Moves to the next property name of the object; false at its end.</summary>
        private static bool NextKey(JsonReader r)
        {
            try
            {
                return r.Read() && r.TokenType == JsonTokenType.PropertyName;
            }
            catch (JsonException e)
            {
                throw new ConfigException(DocumentField, "malformed JSON at byte " + e.BytePosition + ": " + e.Message);
            }
        }

        private static int IndexOf(ConfigRules rules, string key)
        {
            for (int i = 0; i < rules.Count; i++)
            {
                if (rules[i].Key == key)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
