using Terminal.Firmware.Json;

namespace Terminal.Firmware.Config
{
    /// <summary>
    /// Reads the device configuration file (docs/configuration.md): one JSON object; unknown properties are
    /// ignored; a missing required property, a duplicate or a bad value throws <see cref="ConfigException"/> with
    /// the property name. Each key is checked by its section's rule as it is read (<see cref="ConfigRule"/>), then
    /// each section checks what spans its keys, then one check covers every pin the sections claim. Runs once at
    /// boot, so it may allocate strings.
    /// </summary>
    public static class TerminalConfigParser
    {
        /// <summary>Parses the whole byte range.</summary>
        public static TerminalConfig Parse(byte[] json, int offset, int count)
        {
            TerminalConfig config = new TerminalConfig();
            ConfigRules rules = config.Describe();
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
            CheckSections(config);
            return config;
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

        private static void CheckSections(TerminalConfig config)
        {
            ConfigSection[] sections = config.Sections;
            PinClaims claims = new PinClaims();
            for (int i = 0; i < sections.Length; i++)
            {
                sections[i].Check();
                sections[i].ClaimPins(claims);
            }

            claims.Check(config.Board.Module == BoardSection.Wrover);
        }
    }
}
