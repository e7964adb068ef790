using System.Text.Json.Nodes;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Request bodies in Antom's shape (values as strings).</summary>
internal static class Bodies
{
    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N");

    public static JsonObject UpmPay(string paymentRequestId, string code, string currency = "USD", string value = "1250", string? notifyUrl = null)
    {
        var body = Pay(paymentRequestId, "PaymentCode", currency, value, notifyUrl);
        body["paymentMethod"]!["paymentMethodId"] = code;
        body["order"]!["env"] = new JsonObject { ["storeTerminalId"] = "T0001", ["storeTerminalRequestTime"] = "2026-01-02T03:04:05+08:00" };
        return body;
    }

    public static JsonObject OrderCodePay(string paymentRequestId, string currency = "USD", string value = "1250", string? notifyUrl = null) =>
        Pay(paymentRequestId, "OrderCode", currency, value, notifyUrl);

    public static JsonObject Refund(string refundRequestId, string paymentId, string currency, string value) => new()
    {
        ["refundRequestId"] = refundRequestId,
        ["paymentId"] = paymentId,
        ["refundAmount"] = Amount(currency, value),
    };

    public static JsonObject Amount(string currency, string value) => new() { ["currency"] = currency, ["value"] = value };

    private static JsonObject Pay(string paymentRequestId, string scenario, string currency, string value, string? notifyUrl)
    {
        var body = new JsonObject
        {
            ["productCode"] = "IN_STORE_PAYMENT",
            ["paymentRequestId"] = paymentRequestId,
            ["paymentAmount"] = Amount(currency, value),
            ["paymentMethod"] = new JsonObject { ["paymentMethodType"] = "CONNECT_WALLET" },
            ["paymentFactor"] = new JsonObject { ["inStorePaymentScenario"] = scenario },
            ["order"] = new JsonObject
            {
                ["referenceOrderId"] = "ORDER-1",
                ["orderDescription"] = "Coffee",
                ["orderAmount"] = Amount(currency, value),
                ["merchant"] = new JsonObject
                {
                    ["referenceMerchantId"] = "M001",
                    ["merchantName"] = "Test Shop",
                    ["merchantMCC"] = "5812",
                    ["store"] = new JsonObject { ["referenceStoreId"] = "S001", ["storeName"] = "Counter", ["storeMCC"] = "5812" },
                },
            },
        };
        if (notifyUrl != null)
        {
            body["paymentNotifyUrl"] = notifyUrl;
        }

        return body;
    }
}
