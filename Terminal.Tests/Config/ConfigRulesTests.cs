using System.Text;
using System.Text.RegularExpressions;
using Terminal.Core.Config;
using Terminal.Firmware.Config;
using Terminal.Tests.AntomEmulator;
using Xunit;

namespace Terminal.Tests.Config;

/// <summary>
/// The rules table (<see cref="TerminalConfig.Rules"/>) is what the parser enforces, key by key, read from the data
/// alone as flash.ps1 or the gateway would read it: each bound accepted and its neighbour refused, each value stored
/// where the table reads it back, and docs/configuration.md listing exactly these keys and ranges.
/// </summary>
public sealed partial class ConfigRulesTests
{
    private const string Key32 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static readonly string[] RequiredKeys = { "deviceId", "keyVersion", "key", "gatewayUrl", "currency" };

    private static IEnumerable<ConfigRule> All()
    {
        ConfigRules rules = TerminalConfig.Rules();
        return Enumerable.Range(0, rules.Count).Select(i => rules[i]);
    }

    [Fact]
    public void Keys_are_unique_in_named_sections_and_the_required_ones_are_marked()
    {
        List<ConfigRule> rules = All().ToList();
        Assert.Equal(rules.Count, rules.Select(r => r.Key).Distinct().Count());
        Assert.Equal(
            new[] { "device", "network", "board", "display", "scanner", "hostLink", "engine", "merchant", "vending", "deviceLink", "keypad", "buzzer", "printer", "menu", "updates" },
            rules.Select(r => r.Section).Distinct());
        Assert.Equal(RequiredKeys.Order(), rules.Where(r => r.Required).Select(r => r.Key).Order());
        Assert.All(rules.Where(r => r.Required), r => Assert.Null(r.Default));
        Assert.Equal(new[] { "key", "menuPin", "wifiPassword" }, rules.Where(r => r.Secret).Select(r => r.Key).Order());
        Assert.Equal(new[] { "ssd1306", "sh1106", "st7789", "ili9341" }, rules.Single(r => r.Key == "display").Choices);
        Assert.Equal("[2000,3000,3000,5000,5000]", rules.Single(r => r.Key == "cancelScheduleMs").Default);
        Assert.Null(rules.Single(r => r.Key == "hostLinkTx").Default);
    }

    [Fact]
    public void Every_bound_in_the_table_is_the_parsers_bound()
    {
        int checkedBounds = 0;
        foreach (ConfigRule rule in All())
        {
            foreach ((string value, bool accepted) in Probes(rule))
            {
                string json = File(rule.Key, value);
                if (accepted)
                {
                    Parse(json);
                }
                else
                {
                    ConfigException e = Assert.Throws<ConfigException>(() => Parse(json));
                    Assert.True(e.Property == rule.Key, $"{rule.Key}={value}: {e.Message}");
                }

                checkedBounds++;
            }
        }

        Assert.True(checkedBounds > 150, checkedBounds + " probes");
    }

    [Fact]
    public void A_value_read_is_stored_where_the_table_reads_it_back()
    {
        foreach (ConfigRule rule in All())
        {
            // Required and secret keys have no default in the table to read back.
            string? written = rule.Required || rule.Secret ? null : DifferentValue(rule);
            if (written == null)
            {
                continue;
            }

            Dictionary<string, string> members = Members(rule.Key, written);
            TerminalConfig parsed = Parse(Render(members));
            ConfigRules after = parsed.Describe();
            string expected = written.Trim('"').TrimEnd('/');
            for (int i = 0; i < after.Count; i++)
            {
                ConfigRule other = after[i];
                if (other.Key == rule.Key)
                {
                    Assert.True(expected == other.Default, $"{rule.Key}: wrote {written}, the table reads {other.Default}");
                }
                else if (!members.ContainsKey(other.Key))
                {
                    // Nothing else moved from its default.
                    Assert.True(All().Single(r => r.Key == other.Key).Default == other.Default, $"writing {rule.Key} changed {other.Key}");
                }
            }
        }
    }

    [Fact]
    public void The_documentation_lists_every_key_with_its_range()
    {
        string doc = System.IO.File.ReadAllText(RepoFiles.Path("docs/configuration.md"));
        var documented = new HashSet<string>();
        foreach (Match row in TableRow().Matches(doc))
        {
            foreach (Match key in Regex.Matches(row.Groups[1].Value, "`([a-zA-Z0-9]+)`"))
            {
                documented.Add(key.Groups[1].Value);
            }

            Match range = Regex.Match(row.Groups[2].Value, @"\((\d+)\.\.(\d+)\)");
            if (range.Success)
            {
                ConfigRule rule = All().Single(r => r.Key == Regex.Match(row.Groups[1].Value, "`([a-zA-Z0-9]+)`").Groups[1].Value);
                Assert.Equal((long.Parse(range.Groups[1].Value), long.Parse(range.Groups[2].Value)), (rule.Min, rule.Max));
            }
        }

        Assert.Equal(All().Select(r => r.Key).Order(), documented.Order());
    }

    // | `key`, `key2` | yes | example | meaning |
    [GeneratedRegex(@"^\| (`[^|]+`) \|[^|]*\|[^|]*\|([^\n]*)\|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    /// <summary>Values at and beyond the rule's bounds, derived from the table alone, with whether the rule accepts them.</summary>
    private static IEnumerable<(string Value, bool Accepted)> Probes(ConfigRule rule)
    {
        switch (rule.Kind)
        {
            case ConfigKind.PinHash:
                // Text of the hash's form: upper-case hex is read too; a length within the bound is not enough.
                yield return (Quoted(MenuPinHash), true);
                yield return (Quoted(MenuPinHash.ToUpperInvariant().Replace("PBKDF2-SHA256", "pbkdf2-sha256")), true);
                yield return (Quoted(new string('a', (int)rule.Max)), false);
                yield return (Quoted(MenuPinHash.Replace("$2000$", "$0$")), false);
                yield return (Quoted(MenuPinHash.Replace("$2000$", "$1000001$")), false);
                yield return (Quoted(MenuPinHash[..^1]), false);
                yield return ("7", false);
                break;
            case ConfigKind.Integer:
                yield return (rule.Min.ToString(), true);
                yield return (rule.Max.ToString(), true);
                yield return ("\"" + rule.Max + "\"", true);
                yield return ((rule.Min - 1).ToString(), false);
                yield return ((rule.Max + 1).ToString(), false);
                yield return ("1.5", false);
                break;
            case ConfigKind.OutputPin:
            case ConfigKind.InputPin:
                yield return (rule.Max.ToString(), true);
                yield return ((rule.Max + 1).ToString(), false);
                yield return ("8", false);
                yield return ("-1", false);
                break;
            case ConfigKind.Text:
            case ConfigKind.Identifier:
                yield return (Quoted(new string('a', (int)rule.Max)), true);
                yield return (Quoted(new string('a', (int)rule.Max + 1)), false);
                if (rule.Min > 0)
                {
                    yield return (Quoted(new string('a', (int)rule.Min)), true);
                    yield return (Quoted(new string('a', (int)rule.Min - 1)), false);
                }

                yield return (Quoted("a\\u0007"), false);
                yield return ("7", false);
                break;
            case ConfigKind.Choice:
                foreach (string choice in rule.Choices)
                {
                    yield return (Quoted(choice), true);
                }

                // Choices match exactly: another case, or (for choices of digits, like printerBaud) another value.
                string upper = rule.Choices[0].ToUpperInvariant();
                yield return (Quoted(upper == rule.Choices[0] ? rule.Choices[0] + "0" : upper), false);
                break;
            case ConfigKind.Currency:
                yield return (Quoted("JPY"), true);
                yield return (Quoted("jpy"), false);
                break;
            case ConfigKind.Url:
                yield return (Quoted("https://" + new string('h', (int)rule.Max - 8)), true);
                yield return (Quoted("https://" + new string('h', (int)rule.Max - 7)), false);
                yield return (Quoted("gw.example.com"), false);
                break;
            case ConfigKind.Key:
                yield return (Quoted(Key32), true);
                yield return (Quoted(Key32.Substring(4)), false);
                break;
            case ConfigKind.Schedule:
                yield return ("[" + rule.Min + "," + rule.Max + "]", true);
                yield return ("[" + string.Join(",", Enumerable.Repeat(rule.Max, ConfigRule.MaxScheduleEntries)) + "]", true);
                yield return ("[" + string.Join(",", Enumerable.Repeat(rule.Max, ConfigRule.MaxScheduleEntries + 1)) + "]", false);
                yield return ("[" + (rule.Max + 1) + "]", false);
                yield return ("[]", false);
                break;
            default:
                throw new InvalidOperationException("no probes for " + rule.Kind);
        }
    }

    /// <summary>A valid value unlike the default (and unlike the minimal file's), or null when there is none to write.</summary>
    private static string? DifferentValue(ConfigRule rule) => rule.Kind switch
    {
        ConfigKind.Integer => rule.Max.ToString(),
        ConfigKind.OutputPin or ConfigKind.InputPin => rule.Key.StartsWith("hostLink", StringComparison.Ordinal) || rule.Key.StartsWith("printer", StringComparison.Ordinal) ? null : "27",
        ConfigKind.Text => Quoted(new string('v', (int)Math.Max(1, rule.Min))),
        ConfigKind.PinHash => Quoted(MenuPinHash),
        ConfigKind.Identifier => Quoted("Z9"),
        ConfigKind.Choice => Quoted(rule.Choices.First(c => c != rule.Default)),
        ConfigKind.Currency => Quoted("JPY"),
        ConfigKind.Url => Quoted("http://other.example:81/"),
        ConfigKind.Schedule => "[1,2,3]",
        _ => null,
    };

    private static string Quoted(string text) => "\"" + text + "\"";

    // PIN 1234 with 2000 iterations and a random salt (PinTests checks the hash against .NET's PBKDF2).
    private static readonly string MenuPinHash = Countertop.PinTests.Configured("1234", 2000);

    private static string File(string key, string value) => Render(Members(key, value));

    private static string Render(Dictionary<string, string> members) =>
        "{" + string.Join(",", members.Select(m => "\"" + m.Key + "\":" + m.Value)) + "}";

    /// <summary>
    /// The minimal file with <paramref name="key"/> set to <paramref name="value"/> (replacing it when required), and
    /// what the key needs beside it: its host-link or MDB partner pin, a colour display for a panel size, scanner pins
    /// off the PSRAM, a short poll interval, vending's output pin and COM3, a maximum price above the price.
    /// </summary>
    private static Dictionary<string, string> Members(string key, string value)
    {
        var members = new Dictionary<string, string>
        {
            ["deviceId"] = "\"T1\"",
            ["keyVersion"] = "1",
            ["key"] = Quoted(Key32),
            ["gatewayUrl"] = "\"https://gw\"",
            ["currency"] = "\"USD\"",
        };
        if (key == "cpmBudgetMs")
        {
            members["pollIntervalMs"] = "200";
        }
        else if (key == "displaySize")
        {
            members["display"] = "\"st7789\""; // a panel size is for the colour displays only
        }
        else if (key == "hostLinkTx")
        {
            members["hostLinkRx"] = "5";
        }
        else if (key == "hostLinkRx")
        {
            members["hostLinkTx"] = "4";
        }
        else if (key == "printerTx")
        {
            members["printerRx"] = "26";
        }
        else if (key == "printerRx")
        {
            members["printerTx"] = "25";
        }
        else if (key == "board")
        {
            members["scannerTx"] = "27";
            members["scannerRx"] = "26";
        }
        else if (key == "mdbTx")
        {
            members["mdbRx"] = "5";
        }
        else if (key == "mdbRx")
        {
            members["mdbTx"] = "4";
        }
        else if (key == "vending")
        {
            // Pulse vending needs its output pin; MDB takes COM3, so the host link is off.
            members["pulsePin"] = "25";
            members["hostLink"] = "\"off\"";
        }
        else if (key == "vendingPrice")
        {
            members["vendingMaxPrice"] = "99999999";
        }

        members[key] = value;
        return members;
    }

    private static TerminalConfig Parse(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        return TerminalConfigParser.Parse(bytes, 0, bytes.Length);
    }
}
