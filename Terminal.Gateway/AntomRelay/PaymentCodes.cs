using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The customer's payment code (<c>paymentMethod.paymentMethodId</c> of a payment-code pay, docs/antom-protocol.md 3.1) is a
/// bearer credential while it is valid: the gateway forwards it to Antom and otherwise keeps it only as a keyed hash
/// (<see cref="Security.DataKeys.PaymentCodeHash"/>) and masked to its last four characters in stored bodies.
/// </summary>
public static class PaymentCodes
{
    public static string? Find(ReadOnlySpan<byte> body) => RequestJson.Str(body, "paymentMethod", "paymentMethodId");

    private static string? Find(JsonNode? body) => AntomJson.Str(body, "paymentMethod", "paymentMethodId");

    /// <summary>All but the last four characters replaced by '*' (all of a code of four or fewer).</summary>
    public static string Mask(string code) => code.Length <= 4 ? new string('*', code.Length) : new string('*', code.Length - 4) + code[^4..];

    /// <summary>
    /// A body as it may be stored: the payment code and the result page's token (in paymentRedirectUrl, after its last
    /// '/') masked. The masks are written over the values in a copy of the bytes, so everything else stays as the body
    /// was (one pass of the reader, no JSON tree); a value written with escapes or non-ASCII characters, where that does
    /// not work, is masked through a JSON tree instead (the body re-serialized). <paramref name="text"/>, when given, is
    /// <paramref name="utf8"/> as a string: returned as it is when there is nothing to mask.
    /// </summary>
    public static string ForStorage(ReadOnlySpan<byte> utf8, string? text = null)
    {
        var masked = MaskedOrNull(utf8, out string? throughTree);
        return throughTree ?? (masked != null ? Encoding.UTF8.GetString(masked) : text ?? Encoding.UTF8.GetString(utf8));
    }

    /// <summary><see cref="ForStorage"/> as bytes, for the database (<see cref="Utf8Text"/>): <paramref name="utf8"/> itself
    /// when there is nothing to mask (the caller must not change it afterwards).</summary>
    public static Utf8Text ForStorageUtf8(byte[] utf8)
    {
        var masked = MaskedOrNull(utf8, out string? throughTree);
        return throughTree != null ? new Utf8Text(Encoding.UTF8.GetBytes(throughTree)) : new Utf8Text(masked ?? utf8);
    }

    /// <summary>A masked copy of the body; null when nothing needed masking (or the body is not a JSON object), or when
    /// <paramref name="throughTree"/> holds the body masked through a JSON tree.</summary>
    private static byte[]? MaskedOrNull(ReadOnlySpan<byte> utf8, out string? throughTree)
    {
        throughTree = null;
        byte[]? masked = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("paymentMethod"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool isCode = reader.ValueTextEquals("paymentMethodId"u8);
                        reader.Read();
                        if (isCode && reader.TokenType == JsonTokenType.String && !MaskInPlace(utf8, ref masked, ref reader, lastSlash: false))
                        {
                            throughTree = ThroughTree(utf8);
                            return null;
                        }
                        reader.Skip();
                    }
                }
                else
                {
                    bool isLink = reader.ValueTextEquals(CustomerLinks.Field);
                    reader.Read();
                    if (isLink && reader.TokenType == JsonTokenType.String && !MaskInPlace(utf8, ref masked, ref reader, lastSlash: true))
                    {
                        throughTree = ThroughTree(utf8);
                        return null;
                    }
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: nothing in it is a payment code the gateway could name; it is stored as it came.
        }
        return masked;
    }

    /// <summary>Masks the string value the reader is on, in <paramref name="masked"/> (a copy of the body made on first use);
    /// false when the value has escapes or non-ASCII bytes.</summary>
    private static bool MaskInPlace(ReadOnlySpan<byte> utf8, ref byte[]? masked, ref Utf8JsonReader reader, bool lastSlash)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence) return false;
        var value = reader.ValueSpan;
        foreach (byte b in value) if (b >= 0x80) return false;
        masked ??= utf8.ToArray();
        var target = masked.AsSpan((int)reader.TokenStartIndex + 1, value.Length); // TokenStartIndex is the opening quote
        if (lastSlash) target[(value.LastIndexOf((byte)'/') + 1)..].Fill((byte)'*');
        else target[..(value.Length <= 4 ? value.Length : value.Length - 4)].Fill((byte)'*');
        return true;
    }

    /// <summary>The masking through a JSON tree, for values the bytes cannot be masked in.</summary>
    private static string ThroughTree(ReadOnlySpan<byte> utf8)
    {
        var copy = AntomJson.TryParseObject(utf8);
        if (copy == null) return Encoding.UTF8.GetString(utf8);
        if (Find(copy) is { } code) copy["paymentMethod"]!["paymentMethodId"] = Mask(code);
        CustomerLinks.MaskForStorage(copy);
        return AntomJson.Serialize(copy);
    }
}
