using System.Globalization;
using System.Text.Json.Nodes;

namespace Terminal.Gateway.OperationsConsole.Rendering;

/// <summary>
/// Remote settings as the console edits them: one <c>key = value</c> a line. A value of digits (with an optional
/// minus) is a number, true/false a boolean, anything else text; a value in double quotes is always text
/// ("1234" keeps the digits as text). The gateway's rules check the result (<see cref="Fleet.FleetSettings.Check"/>).
/// </summary>
public static class SettingsText
{
    public static string Format(JsonObject values) => string.Join("\n", values.Select(kv => kv.Key + " = " + Value(kv.Value)));

    private static string Value(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s.Length > 0 && (s.All(c => char.IsAsciiDigit(c) || c == '-') || s is "true" or "false" || s.StartsWith('"')) ? "\"" + s + "\"" : s,
        null => "",
        _ => node.ToJsonString(),
    };

    /// <summary>The values of <paramref name="text"/>, or the first line that is not <c>key = value</c>.</summary>
    public static JsonObject? Parse(string? text, out string? error)
    {
        error = null;
        var values = new JsonObject();
        int number = 0;
        foreach (string raw in (text ?? "").Split('\n'))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0) continue;
            int eq = line.IndexOf('=');
            string key = eq < 0 ? "" : line[..eq].Trim();
            if (key.Length == 0 || !key.All(char.IsAsciiLetterOrDigit))
            {
                error = $"line {number}: write key = value (the key in letters and digits)";
                return null;
            }
            if (values.ContainsKey(key))
            {
                error = $"line {number}: {key} is set twice";
                return null;
            }
            string value = line[(eq + 1)..].Trim();
            values[key] = value.Length >= 2 && value.StartsWith('"') && value.EndsWith('"') ? JsonValue.Create(value[1..^1])
                : value is "true" or "false" ? JsonValue.Create(value == "true")
                : value.Length > 0 && value.Length <= 18 && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? JsonValue.Create(n)
                : JsonValue.Create(value);
        }
        return values;
    }
}
