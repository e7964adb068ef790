using System.Text.Json;

namespace Terminal.AntomEmulator;

/// <summary>
/// Typed access to request fields by dotted path (<c>order.merchant.store.storeMCC</c>). Every miss or type error
/// throws PARAM_ILLEGAL naming the field. Antom sends every scalar as a JSON string ("value":"1250").
/// </summary>
internal static class JsonFields
{
    public static JsonElement ParseRoot(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw AntomFailure.ParamIllegal($"request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw AntomFailure.ParamIllegal("request body must be a JSON object");
            }

            return document.RootElement.Clone();
        }
    }

    public static JsonElement? Optional(JsonElement parent, string path)
    {
        if (parent.TryGetProperty(LastSegment(path), out JsonElement value) && value.ValueKind != JsonValueKind.Null)
        {
            return value;
        }

        return null;
    }

    public static JsonElement RequiredObject(JsonElement parent, string path)
    {
        JsonElement value = Optional(parent, path) ?? throw AntomFailure.ParamIllegal($"{path} is required");
        return value.ValueKind == JsonValueKind.Object ? value : throw AntomFailure.ParamIllegal($"{path} must be an object");
    }

    public static JsonElement? OptionalObject(JsonElement parent, string path)
    {
        JsonElement? value = Optional(parent, path);
        if (value is JsonElement element && element.ValueKind != JsonValueKind.Object)
        {
            throw AntomFailure.ParamIllegal($"{path} must be an object");
        }

        return value;
    }

    public static string RequiredString(JsonElement parent, string path, int maxLength = 256) =>
        OptionalString(parent, path, maxLength) ?? throw AntomFailure.ParamIllegal($"{path} is required");

    public static string? OptionalString(JsonElement parent, string path, int maxLength = 256)
    {
        JsonElement? value = Optional(parent, path);
        if (value is not JsonElement element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            throw AntomFailure.ParamIllegal($"{path} must be a JSON string");
        }

        string text = element.GetString()!;
        if (text.Length == 0)
        {
            throw AntomFailure.ParamIllegal($"{path} must not be empty");
        }

        if (text.Length > maxLength)
        {
            throw AntomFailure.ParamIllegal($"{path} is longer than {maxLength} characters");
        }

        return text;
    }

    /// <summary>Merchant-assigned ids: at most 64 characters, letters, digits, '_', '-', '.' ("no special characters").</summary>
    public static string RequiredId(JsonElement parent, string path) =>
        OptionalId(parent, path) ?? throw AntomFailure.ParamIllegal($"{path} is required");

    public static string? OptionalId(JsonElement parent, string path)
    {
        string? id = OptionalString(parent, path, 64);
        if (id != null)
        {
            foreach (char c in id)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-' && c != '.')
                {
                    throw AntomFailure.ParamIllegal($"{path} contains the unsupported character '{c}'");
                }
            }
        }

        return id;
    }

    public static DateTimeOffset? OptionalTime(JsonElement parent, string path)
    {
        string? text = OptionalString(parent, path, 64);
        if (text == null)
        {
            return null;
        }

        if (!TimeHeader.TryParse(text, out DateTimeOffset time) || text.All(char.IsAsciiDigit))
        {
            throw AntomFailure.ParamIllegal($"{path} must be an ISO 8601 date-time with a zone");
        }

        return time;
    }

    /// <summary>An Amount object: currency of three capital letters, value a positive integer string in minor units.</summary>
    public static AntomAmount RequiredAmount(JsonElement parent, string path, bool enforceIdrRounding)
    {
        JsonElement amount = RequiredObject(parent, path);
        string currency = RequiredString(amount, path + ".currency", 3);
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw AntomFailure.ParamIllegal($"{path}.currency must be three capital letters (ISO 4217)");
        }

        string text = RequiredString(amount, path + ".value", 18);
        if (!text.All(char.IsAsciiDigit) || text[0] == '0')
        {
            throw AntomFailure.ParamIllegal($"{path}.value must be a positive integer in minor units without leading zeros");
        }

        long value = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        if (!Currencies.IsSupported(currency))
        {
            throw new AntomFailure(ResultCodes.CurrencyNotSupport, $"{path}.currency {currency} is not supported");
        }

        // Antom: IDR amounts are whole hundreds (docs/antom-protocol.md section 3.1).
        if (enforceIdrRounding && currency == "IDR" && value % 100 != 0)
        {
            throw AntomFailure.ParamIllegal($"{path}.value for IDR must end in 00");
        }

        return new AntomAmount(currency, value);
    }

    private static string LastSegment(string path)
    {
        int dot = path.LastIndexOf('.');
        return dot < 0 ? path : path.Substring(dot + 1);
    }
}
