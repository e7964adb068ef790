using System.Text.Json;
using Terminal.ConfigCheck;
using Terminal.Core.Config;
using Terminal.Core.Money;
using Terminal.Firmware.Config;
using Terminal.Tests.AntomEmulator;
using Xunit;

namespace Terminal.Tests.ConfigCheck;

/// <summary>
/// flash/config-rules.json is what flash.ps1 checks a configuration against before it flashes anything: it must be
/// exactly what the firmware's table gives, so that a key, bound or allowed value added to a section reaches flash.ps1
/// by regenerating the file, and a file that was not regenerated fails here.
/// </summary>
public sealed class RulesFileTests
{
    [Fact]
    public void The_committed_rules_file_is_what_the_firmwares_table_gives()
    {
        string committed = File.ReadAllText(RepoFiles.Path("flash/config-rules.json")).Replace("\r\n", "\n");
        string generated = RulesFile.Write(TerminalConfig.Rules());

        Assert.True(committed == generated,
            "flash/config-rules.json differs from TerminalConfig.Rules(); regenerate it from the repository root: " + RulesFile.Regenerate);
    }

    [Fact]
    public void Every_rule_is_in_the_file_with_its_kind_bounds_choices_default_and_flags()
    {
        using JsonDocument file = JsonDocument.Parse(RulesFile.Write(TerminalConfig.Rules()));
        JsonElement[] written = file.RootElement.GetProperty("rules").EnumerateArray().ToArray();
        ConfigRules rules = TerminalConfig.Rules();

        Assert.Equal(rules.Count, written.Length);
        for (int i = 0; i < rules.Count; i++)
        {
            ConfigRule rule = rules[i];
            JsonElement entry = written[i];
            Assert.Equal(rule.Section, entry.GetProperty("section").GetString());
            Assert.Equal(rule.Key, entry.GetProperty("key").GetString());
            Assert.Equal(rule.Kind.ToString(), entry.GetProperty("kind").GetString(), StringComparer.OrdinalIgnoreCase);
            Assert.Equal(rule.Min, entry.GetProperty("min").GetInt64());
            Assert.Equal(rule.Max, entry.GetProperty("max").GetInt64());
            Assert.Equal(rule.Choices, entry.GetProperty("choices").ValueKind == JsonValueKind.Null
                ? null
                : entry.GetProperty("choices").EnumerateArray().Select(c => c.GetString()!).ToArray());
            Assert.Equal(rule.Default, entry.GetProperty("default").ValueKind == JsonValueKind.Null ? null : entry.GetProperty("default").GetString());
            Assert.Equal(rule.Required, entry.GetProperty("required").GetBoolean());
            Assert.Equal(rule.Secret, entry.GetProperty("secret").GetBoolean());
        }

        Assert.Equal(ConfigRule.MaxScheduleEntries, file.RootElement.GetProperty("maxScheduleEntries").GetInt32());
    }

    [Fact]
    public void The_currencies_are_exactly_the_codes_the_terminal_can_format()
    {
        using JsonDocument file = JsonDocument.Parse(RulesFile.Write(TerminalConfig.Rules()));
        string[] listed = file.RootElement.GetProperty("currencies").EnumerateArray().Select(c => c.GetString()!).ToArray();

        Assert.All(listed, code => Assert.True(Currency.IsKnown(code), code));
        Assert.Contains("USD", listed);
        Assert.Contains("JPY", listed);
        Assert.Contains("KWD", listed);
        Assert.DoesNotContain("RMB", listed);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(listed.Length, listed.Distinct().Count());

        // Every code the table of Currency holds, counted independently of the enumeration in RulesFile.
        int known = 0;
        foreach (string code in "USD EUR CNY JPY KRW KWD BHD GBP CHF INR BRL ZAR".Split(' '))
        {
            known += Currency.IsKnown(code) ? 1 : 0;
            Assert.Contains(code, listed);
        }

        Assert.Equal(12, known);
    }
}
