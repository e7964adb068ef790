using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.CustomerPage;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The customer's payment code (<c>paymentMethod.paymentMethodId</c> of a payment-code pay, docs/antom-protocol.md 3.1) is a
/// bearer credential while it is valid: the gateway forwards it to Antom and otherwise keeps it only as a keyed hash
/// (<see cref="Security.DataKeys.PaymentCodeHash"/>) and masked to its last four characters in stored bodies.
/// </summary>
public static class PaymentCodes
{
    public static string? Find(JsonNode? body) => AntomJson.Str(body, "paymentMethod", "paymentMethodId");

    /// <summary>All but the last four characters replaced by '*' (all of a code of four or fewer).</summary>
    public static string Mask(string code) => code.Length <= 4 ? new string('*', code.Length) : new string('*', code.Length - 4) + code[^4..];

    /// <summary>A body as it may be stored: the payment code and the result page's token (in paymentRedirectUrl) masked
    /// (re-serialized), or the text unchanged when it has neither.</summary>
    public static string ForStorage(string text, JsonObject? parsed = null)
    {
        parsed ??= AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(text));
        string? code = Find(parsed);
        if (code == null && AntomJson.Str(parsed, CustomerLinks.Field) == null) return text;
        var copy = (JsonObject)parsed!.DeepClone();
        if (code != null) copy["paymentMethod"]!["paymentMethodId"] = Mask(code);
        CustomerLinks.MaskForStorage(copy);
        return AntomJson.Serialize(copy);
    }
}
