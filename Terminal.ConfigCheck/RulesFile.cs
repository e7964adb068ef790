using System.Text;
using System.Text.Json;
using Terminal.Core.Config;
using Terminal.Core.Money;

namespace Terminal.ConfigCheck;

/// <summary>
/// The rules table as the JSON file flash.ps1 reads (flash/config-rules.json): every key of
/// <c>TerminalConfig.Rules()</c> with its section, kind, bounds, allowed values, default and flags, one rule per line,
/// and the currency codes the terminal can format. Generated, never edited: a test fails when the committed file
/// differs from what the firmware's table gives.
/// </summary>
public static class RulesFile
{
    /// <summary>The command that writes the file, from the repository root.</summary>
    public const string Regenerate = "dotnet run --project Terminal.ConfigCheck -- rules flash/config-rules.json";

    public static string Write(ConfigRules rules)
    {
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append("  \"about\": ").Append(Quote("Generated from TerminalConfig.Rules() (docs/configuration.md); do not edit. Regenerate: " + Regenerate)).Append(",\n");
        text.Append("  \"maxScheduleEntries\": ").Append(ConfigRule.MaxScheduleEntries).Append(",\n");
        text.Append("  \"currencies\": [").Append(string.Join(", ", KnownCurrencies().Select(Quote))).Append("],\n");
        text.Append("  \"rules\": [\n");
        for (int i = 0; i < rules.Count; i++)
        {
            text.Append("    ").Append(Rule(rules[i])).Append(i == rules.Count - 1 ? "\n" : ",\n");
        }

        text.Append("  ]\n}\n");
        return text.ToString();
    }

    /// <summary>Every code <see cref="Currency.IsKnown"/> accepts, found by asking it about every three-letter code.</summary>
    internal static IEnumerable<string> KnownCurrencies()
    {
        for (char a = 'A'; a <= 'Z'; a++)
        {
            for (char b = 'A'; b <= 'Z'; b++)
            {
                for (char c = 'A'; c <= 'Z'; c++)
                {
                    string code = new string([a, b, c]);
                    if (Currency.IsKnown(code))
                    {
                        yield return code;
                    }
                }
            }
        }
    }

    private static string Rule(ConfigRule rule)
    {
        string choices = rule.Choices == null ? "null" : "[" + string.Join(", ", rule.Choices.Select(Quote)) + "]";
        return "{ \"section\": " + Quote(rule.Section) + ", \"key\": " + Quote(rule.Key) + ", \"kind\": " + Quote(KindName(rule.Kind))
            + ", \"min\": " + rule.Min + ", \"max\": " + rule.Max + ", \"choices\": " + choices
            + ", \"default\": " + (rule.Default == null ? "null" : Quote(rule.Default))
            + ", \"required\": " + (rule.Required ? "true" : "false") + ", \"secret\": " + (rule.Secret ? "true" : "false") + " }";
    }

    /// <summary>The enum name with a lower-case first letter: "outputPin".</summary>
    internal static string KindName(ConfigKind kind)
    {
        string name = kind.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
