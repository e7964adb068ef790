using System.Text.Json;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// Merchant-owned fields of a pay request. The device's binding decides order.merchant.referenceMerchantId,
/// order.merchant.store.referenceStoreId and the terminal id (order.env.storeTerminalId, store.storeTerminalId):
/// absent values are filled in, conflicting values are rejected. Names and MCCs come from Gateway:Merchant when the
/// device leaves them out. paymentNotifyUrl is always the gateway's own notify endpoint.
/// </summary>
public static class MerchantFields
{
    /// <summary>Checks the fields of <paramref name="body"/> and plans the ones to fill into <paramref name="completion"/>
    /// (written by <see cref="BodyCompletion.Write"/>); returns null, or "field: reason" for a PARAM_ILLEGAL answer.</summary>
    public static string? Apply(ReadOnlySpan<byte> body, BodyCompletion completion, Device device, MerchantOptions merchant, string notifyUrl, DateTimeOffset now)
    {
        if (RequestJson.Kind(body, "order") != JsonTokenType.StartObject) return "order: required object";
        var order = completion.Object("order");
        string? error = Child(body, "order.merchant", "order", "merchant");
        if (error != null) return error;
        var m = order.Object("merchant");
        error = CheckOrFill(body, m, device.ReferenceMerchantId, "order.merchant.referenceMerchantId", "order", "merchant", "referenceMerchantId")
            ?? FillIfAbsent(body, m, merchant.MerchantName, "order.merchant.merchantName", "order", "merchant", "merchantName")
            ?? FillIfAbsent(body, m, merchant.MerchantMCC, "order.merchant.merchantMCC", "order", "merchant", "merchantMCC")
            ?? Child(body, "order.merchant.store", "order", "merchant", "store");
        if (error != null) return error;

        var store = m.Object("store");
        error = CheckOrFill(body, store, device.ReferenceStoreId, "order.merchant.store.referenceStoreId", "order", "merchant", "store", "referenceStoreId")
            ?? FillIfAbsent(body, store, merchant.StoreName, "order.merchant.store.storeName", "order", "merchant", "store", "storeName")
            ?? FillIfAbsent(body, store, merchant.StoreMCC, "order.merchant.store.storeMCC", "order", "merchant", "store", "storeMCC")
            ?? CheckIfPresent(body, device.StoreTerminalId, "order.merchant.store.storeTerminalId", "order", "merchant", "store", "storeTerminalId");
        if (error != null) return error;

        // UPM needs order.env.storeTerminalId and storeTerminalRequestTime (docs/antom-protocol.md 3.1 order.env).
        bool paymentCode = RequestJson.Is(body, "PaymentCode", "paymentFactor", "inStorePaymentScenario");
        if (paymentCode || RequestJson.Kind(body, "order", "env") != JsonTokenType.None)
        {
            error = Child(body, "order.env", "order", "env");
            if (error != null) return error;
            var env = order.Object("env");
            error = CheckOrFill(body, env, device.StoreTerminalId, "order.env.storeTerminalId", "order", "env", "storeTerminalId");
            if (error != null) return error;
            if (paymentCode && RequestJson.Kind(body, "order", "env", "storeTerminalRequestTime") == JsonTokenType.None)
                env.Fill("storeTerminalRequestTime", now.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));
        }

        return CheckOrFill(body, completion, notifyUrl, "paymentNotifyUrl", "paymentNotifyUrl");
    }

    /// <summary>An object the gateway fills: absent or null (it is created), or an object.</summary>
    private static string? Child(ReadOnlySpan<byte> body, string field, params ReadOnlySpan<string> path) =>
        RequestJson.Kind(body, path) is JsonTokenType.None or JsonTokenType.Null or JsonTokenType.StartObject ? null : field + ": must be an object";

    private static string? CheckOrFill(ReadOnlySpan<byte> body, BodyCompletion o, string value, string field, params ReadOnlySpan<string> path)
    {
        if (RequestJson.Kind(body, path) is JsonTokenType.None or JsonTokenType.Null)
        {
            o.Fill(path[^1], value);
            return null;
        }
        return CheckIfPresent(body, value, field, path);
    }

    private static string? CheckIfPresent(ReadOnlySpan<byte> body, string value, string field, params ReadOnlySpan<string> path)
    {
        if (RequestJson.Kind(body, path) is JsonTokenType.None or JsonTokenType.Null) return null;
        string? given = RequestJson.Str(body, path);
        if (given == null) return field + ": must be a string";
        return given == value ? null : $"{field}: '{given}' conflicts with the value the gateway sets for this device; leave it out";
    }

    private static string? FillIfAbsent(ReadOnlySpan<byte> body, BodyCompletion o, string? value, string field, params ReadOnlySpan<string> path)
    {
        var kind = RequestJson.Kind(body, path);
        if (kind is not (JsonTokenType.None or JsonTokenType.Null))
            return kind == JsonTokenType.String ? null : field + ": must be a string";
        if (value != null) o.Fill(path[^1], value);
        return null;
    }
}
