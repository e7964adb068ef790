using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Terminal.Gateway.Api;

/// <summary>Antom result codes the gateway produces itself (docs/antom-protocol.md section 4.2).</summary>
public static class ResultCodes
{
    public const string Success = "SUCCESS";
    public const string ParamIllegal = "PARAM_ILLEGAL";
    public const string AccessDenied = "ACCESS_DENIED";
    public const string InvalidSignature = "INVALID_SIGNATURE";
    public const string KeyNotFound = "KEY_NOT_FOUND";
    public const string UnknownException = "UNKNOWN_EXCEPTION";
    public const string RepeatReqInconsistent = "REPEAT_REQ_INCONSISTENT";
    public const string OrderNotExist = "ORDER_NOT_EXIST";
    public const string CurrencyNotSupport = "CURRENCY_NOT_SUPPORT";
    public const string PaymentAmountExceedLimit = "PAYMENT_AMOUNT_EXCEED_LIMIT";
}

/// <summary>Small helpers over System.Text.Json nodes for Antom bodies (all values are JSON strings on the wire).</summary>
public static class AntomJson
{
    /// <summary>Keeps non-ASCII text as UTF-8 instead of \u escapes, like Antom's own bodies.</summary>
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode node) => node.ToJsonString(Relaxed);

    /// <summary><c>{"result":{"resultCode":..,"resultStatus":..,"resultMessage":..}}</c>.</summary>
    public static string Result(string status, string code, string message) =>
        Serialize(new JsonObject { ["result"] = ResultObject(status, code, message) });

    public static JsonObject ResultObject(string status, string code, string message) =>
        new() { ["resultCode"] = code, ["resultStatus"] = status, ["resultMessage"] = message };

    /// <summary>Parses a body that should be a JSON object; null if it is not.</summary>
    public static JsonObject? TryParseObject(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string-valued property (nested by path), or null if absent or not a string.</summary>
    public static string? Str(JsonNode? node, params string[] path)
    {
        foreach (string p in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(p, out node)) return null;
        }
        return node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
    }

    public static JsonObject? Obj(JsonNode? node, params string[] path)
    {
        foreach (string p in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(p, out node)) return null;
        }
        return node as JsonObject;
    }

    /// <summary>Reads result.resultStatus / resultCode of an Antom body; nulls if the body is not Antom-shaped.</summary>
    public static (string? Status, string? Code) ReadResult(string? body)
    {
        if (string.IsNullOrEmpty(body)) return default;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Text.Encoding.UTF8.GetMaxByteCount(body.Length));
        try
        {
            int n = System.Text.Encoding.UTF8.GetBytes(body, buffer);
            return AntomAnswer.ReadResult(buffer.AsSpan(0, n));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
