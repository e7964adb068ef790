using Terminal.Core.Json;

namespace Terminal.Core.Config
{
    /// <summary>
    /// Reads a configuration file (docs/configuration.md) into the sections that make up a configuration: one JSON
    /// object; unknown properties are ignored; a missing required property, a duplicate or a bad value throws
    /// <see cref="ConfigException"/> with the property name. Each key is checked by its section's rule as it is read
    /// (<see cref="ConfigRule"/>), then each section checks what spans its keys, then one check covers every pin the
    /// sections claim. Runs once at boot, so it may allocate strings.
    /// </summary>
    public static class ConfigReader
    {
        /// <summary>Reads the byte range into <paramref name="sections"/>.</summary>
        public static void Read(byte[] json, int offset, int count, ConfigSection[] sections)
        {
            ConfigRules rules = ConfigRules.Of(sections);
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
                    ConfigRule rule = rules.Find(property);
                    if (rule == null)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (rule.Seen)
                    {
                        throw new ConfigException(property, "appears twice");
                    }

                    rule.Seen = true;
                    reader.Read();
                    rule.Read(reader);
                }
            }
            catch (JsonException e)
            {
                throw new ConfigException(property, "malformed JSON at byte " + e.BytePosition + ": " + e.Message);
            }

            CheckRequired(rules);
            CheckSections(sections);
        }

        private static void CheckRequired(ConfigRules rules)
        {
            for (int i = 0; i < rules.Count; i++)
            {
                ConfigRule rule = rules[i];
                if (rule.Required && !rule.Seen)
                {
                    throw new ConfigException(rule.Key, "missing (required)");
                }
            }
        }

        private static void CheckSections(ConfigSection[] sections)
        {
            PinClaims claims = new PinClaims();
            for (int i = 0; i < sections.Length; i++)
            {
                sections[i].Check();
                sections[i].ClaimPins(claims);
            }

            claims.Check();
        }
    }
}
