using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
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
    /// <summary>Fills/checks the fields in place; returns null, or "field: reason" for a PARAM_ILLEGAL answer.</summary>
    public static string? Apply(JsonObject body, Device device, MerchantOptions merchant, string notifyUrl, DateTimeOffset now)
    {
        if (body["order"] is not JsonObject order) return "order: required object";
        var m = Child(order, "merchant", out string? error, "order.merchant");
        if (m == null) return error;
        error = CheckOrFill(m, "referenceMerchantId", device.ReferenceMerchantId, "order.merchant.referenceMerchantId")
            ?? FillIfAbsent(m, "merchantName", merchant.MerchantName, "order.merchant.merchantName")
            ?? FillIfAbsent(m, "merchantMCC", merchant.MerchantMCC, "order.merchant.merchantMCC");
        if (error != null) return error;

        var store = Child(m, "store", out error, "order.merchant.store");
        if (store == null) return error;
        error = CheckOrFill(store, "referenceStoreId", device.ReferenceStoreId, "order.merchant.store.referenceStoreId")
            ?? FillIfAbsent(store, "storeName", merchant.StoreName, "order.merchant.store.storeName")
            ?? FillIfAbsent(store, "storeMCC", merchant.StoreMCC, "order.merchant.store.storeMCC")
            ?? CheckIfPresent(store, "storeTerminalId", device.StoreTerminalId, "order.merchant.store.storeTerminalId");
        if (error != null) return error;

        // UPM needs order.env.storeTerminalId and storeTerminalRequestTime (docs/antom-protocol.md 3.1 order.env).
        bool paymentCode = AntomJson.Str(body, "paymentFactor", "inStorePaymentScenario") == "PaymentCode";
        if (paymentCode || order.ContainsKey("env"))
        {
            var env = Child(order, "env", out error, "order.env");
            if (env == null) return error;
            error = CheckOrFill(env, "storeTerminalId", device.StoreTerminalId, "order.env.storeTerminalId");
            if (error != null) return error;
            if (paymentCode && !env.ContainsKey("storeTerminalRequestTime"))
                env["storeTerminalRequestTime"] = now.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        }

        return CheckOrFill(body, "paymentNotifyUrl", notifyUrl, "paymentNotifyUrl");
    }

    private static JsonObject? Child(JsonObject parent, string name, out string? error, string field)
    {
        error = null;
        if (!parent.TryGetPropertyValue(name, out var node) || node == null)
        {
            var created = new JsonObject();
            parent[name] = created;
            return created;
        }
        if (node is JsonObject o) return o;
        error = field + ": must be an object";
        return null;
    }

    private static string? CheckOrFill(JsonObject o, string name, string value, string field)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node == null)
        {
            o[name] = value;
            return null;
        }
        return CheckIfPresent(o, name, value, field);
    }

    private static string? CheckIfPresent(JsonObject o, string name, string value, string field)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node == null) return null;
        string? given = node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        if (given == null) return field + ": must be a string";
        return given == value ? null : $"{field}: '{given}' conflicts with the value the gateway sets for this device; leave it out";
    }

    private static string? FillIfAbsent(JsonObject o, string name, string? value, string field)
    {
        if (o.TryGetPropertyValue(name, out var node) && node != null)
            return node is JsonValue v && v.TryGetValue(out string? _) ? null : field + ": must be a string";
        if (value != null) o[name] = value;
        return null;
    }
}
