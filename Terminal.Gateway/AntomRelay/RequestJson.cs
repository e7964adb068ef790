using System.Text.Json;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// Reads a value of a device's request body by its path of property names, straight from the body's bytes: no JSON
/// tree (a tree of a pay body cost about 5 KiB per request). The body has passed <see cref="Api.StrictJson"/> (valid,
/// no duplicate keys), so the first property of a name is the only one. Each lookup is one forward pass over a body
/// of a few hundred bytes.
/// </summary>
public static class RequestJson
{
    /// <summary>True when the body is a JSON object.</summary>
    public static bool IsObject(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The token the value at <paramref name="path"/> starts with (<see cref="JsonTokenType.Null"/> for a JSON
    /// null), or <see cref="JsonTokenType.None"/> when it is absent or an object on the way is absent or not an object.</summary>
    public static JsonTokenType Kind(ReadOnlySpan<byte> body, params ReadOnlySpan<string> path)
    {
        var reader = new Utf8JsonReader(body);
        return Seek(ref reader, path) ? reader.TokenType : JsonTokenType.None;
    }

    /// <summary>The value at <paramref name="path"/> when it is a JSON string (unescaped), else null.</summary>
    public static string? Str(ReadOnlySpan<byte> body, params ReadOnlySpan<string> path)
    {
        var reader = new Utf8JsonReader(body);
        return Seek(ref reader, path) && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
    }

    /// <summary>True when the value at <paramref name="path"/> is the JSON string <paramref name="value"/> (compared
    /// unescaped, without making a string of it).</summary>
    public static bool Is(ReadOnlySpan<byte> body, string value, params ReadOnlySpan<string> path)
    {
        var reader = new Utf8JsonReader(body);
        return Seek(ref reader, path) && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(value);
    }

    /// <summary>A minor-unit amount object at <paramref name="name"/>: currency and a positive integer value, both JSON
    /// strings (docs/antom-protocol.md 3.1 paymentAmount).</summary>
    public static bool TryAmount(ReadOnlySpan<byte> body, string name, out string currency, out long value)
    {
        currency = Str(body, name, "currency") ?? "";
        string? text = Str(body, name, "value");
        value = 0;
        return currency.Length > 0 && text != null && text.Length is > 0 and <= 18 && !text.AsSpan().ContainsAnyExceptInRange('0', '9')
            && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value > 0;
    }

    /// <summary>Moves the reader onto the first token of the value at <paramref name="path"/>; false when there is none.</summary>
    private static bool Seek(ref Utf8JsonReader reader, scoped ReadOnlySpan<string> path)
    {
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            foreach (string name in path)
            {
                if (reader.TokenType != JsonTokenType.StartObject) return false;
                bool found = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool match = reader.ValueTextEquals(name);
                    reader.Read();
                    if (match)
                    {
                        found = true;
                        break;
                    }
                    reader.Skip();
                }
                if (!found) return false;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
