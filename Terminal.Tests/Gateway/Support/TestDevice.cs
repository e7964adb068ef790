using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Terminal.Tests.Gateway.Support;

/// <summary>The gateway's answer as a terminal sees it, with the HS256 response signature checked.</summary>
internal sealed record DeviceReply(HttpStatusCode Status, string Body, JsonObject? Json, bool Signed, bool SignatureValid, HttpResponseHeaders Headers)
{
    public string? ResultStatus => (string?)Json?["result"]?["resultStatus"];
    public string? ResultCode => (string?)Json?["result"]?["resultCode"];
    public string? ResultMessage => (string?)Json?["result"]?["resultMessage"];
    public bool Replayed => Headers.TryGetValues("Gateway-Replayed", out var v) && v.Contains("true");
    public string? this[string field] => (string?)Json?[field];
}

/// <summary>A signed request ready to send (and to send again, byte for byte, for replay tests).</summary>
internal sealed record SignedRequest(string Path, string DeviceId, string RequestTime, string Body, string Signature);

/// <summary>
/// A terminal written for the tests with .NET's HKDF and HMACSHA256 (independent of the gateway's own signing code):
/// signs <c>POST path\nClient-Id.Request-Time.body</c> with the relay's request key, sends, and verifies the
/// gateway's answer signature with the answer key.
/// </summary>
internal sealed class TestDevice(HttpClient http, Uri gateway, string deviceId, byte[] key, int keyVersion = 1)
{
    public string DeviceId { get; } = deviceId;
    public byte[] Key { get; set; } = key;
    public int KeyVersion { get; set; } = keyVersion;

    /// <summary>Signs with the request key derived from <paramref name="signKey"/> (default: the device key), or with
    /// <paramref name="macKey"/> as it is.</summary>
    public SignedRequest Sign(string path, string body, long? requestTime = null, byte[]? signKey = null, int? keyVersion = null, string algorithm = "HS256",
        byte[]? macKey = null)
    {
        string time = (requestTime ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).ToString(CultureInfo.InvariantCulture);
        byte[] mac = HMACSHA256.HashData(macKey ?? RelayKeys.Request(signKey ?? Key), Encoding.UTF8.GetBytes($"POST {path}\n{DeviceId}.{time}.{body}"));
        string header = $"algorithm={algorithm},keyVersion={keyVersion ?? KeyVersion},signature={Uri.EscapeDataString(Convert.ToBase64String(mac))}";
        return new SignedRequest(path, DeviceId, time, body, header);
    }

    public Task<DeviceReply> PostAsync(string path, string body) => SendAsync(Sign(path, body));

    public async Task<DeviceReply> SendAsync(SignedRequest r, Action<HttpRequestMessage>? tweak = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, r.Path)) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(r.Body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
        request.Headers.TryAddWithoutValidation("Client-Id", r.DeviceId);
        request.Headers.TryAddWithoutValidation("Request-Time", r.RequestTime);
        request.Headers.TryAddWithoutValidation("Signature", r.Signature);
        tweak?.Invoke(request);
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        bool signed = response.Headers.TryGetValues("Signature", out var sig);
        bool valid = false;
        if (signed && response.Headers.TryGetValues("Response-Time", out var times))
        {
            string header = sig!.First();
            string value = Uri.UnescapeDataString(header[(header.IndexOf("signature=", StringComparison.Ordinal) + "signature=".Length)..]);
            byte[] expected = HMACSHA256.HashData(RelayKeys.Answer(Key), Encoding.UTF8.GetBytes($"POST {r.Path}\n{r.DeviceId}.{times.First()}.{body}"));
            valid = CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(value));
        }
        JsonObject? json = null;
        try { json = JsonNode.Parse(body) as JsonObject; } catch (System.Text.Json.JsonException) { }
        return new DeviceReply(response.StatusCode, body, json, signed, valid, response.Headers);
    }
}

/// <summary>Antom-shaped request bodies as a terminal sends them (merchant fields left to the gateway).</summary>
internal static class Bodies
{
    public const string Pay = "/ams/api/v1/payments/pay";
    public const string Inquiry = "/ams/api/v1/payments/inquiryPayment";
    public const string Cancel = "/ams/api/v1/payments/cancel";
    public const string Refund = "/ams/api/v1/payments/refund";
    public const string InquiryRefund = "/ams/api/v1/payments/inquiryRefund";

    public static string Upm(string paymentRequestId, long amount = 1000, string currency = "USD", string code = "288888888888888888") => new JsonObject
    {
        ["productCode"] = "IN_STORE_PAYMENT",
        ["paymentRequestId"] = paymentRequestId,
        ["paymentMethod"] = new JsonObject { ["paymentMethodType"] = "CONNECT_WALLET", ["paymentMethodId"] = code },
        ["paymentFactor"] = new JsonObject { ["inStorePaymentScenario"] = "PaymentCode" },
        ["paymentAmount"] = Amount(amount, currency),
        ["order"] = new JsonObject { ["referenceOrderId"] = "O-" + paymentRequestId, ["orderDescription"] = "Coffee", ["orderAmount"] = Amount(amount, currency) },
    }.ToJsonString();

    public static string OrderCode(string paymentRequestId, long amount = 1000, string currency = "USD") => new JsonObject
    {
        ["productCode"] = "IN_STORE_PAYMENT",
        ["paymentRequestId"] = paymentRequestId,
        ["paymentMethod"] = new JsonObject { ["paymentMethodType"] = "CONNECT_WALLET" },
        ["paymentFactor"] = new JsonObject { ["inStorePaymentScenario"] = "OrderCode" },
        ["paymentAmount"] = Amount(amount, currency),
        ["order"] = new JsonObject { ["referenceOrderId"] = "O-" + paymentRequestId, ["orderDescription"] = "Tea", ["orderAmount"] = Amount(amount, currency) },
    }.ToJsonString();

    public static string InquiryBody(string paymentRequestId) => new JsonObject { ["paymentRequestId"] = paymentRequestId }.ToJsonString();

    public static string CancelBody(string paymentRequestId) => new JsonObject { ["paymentRequestId"] = paymentRequestId }.ToJsonString();

    public static string RefundBody(string refundRequestId, string paymentId, long amount = 500, string currency = "USD") => new JsonObject
    {
        ["refundRequestId"] = refundRequestId,
        ["paymentId"] = paymentId,
        ["refundAmount"] = Amount(amount, currency),
        ["refundReason"] = "returned",
    }.ToJsonString();

    public static string InquiryRefundBody(string refundRequestId) => new JsonObject { ["refundRequestId"] = refundRequestId }.ToJsonString();

    private static JsonObject Amount(long value, string currency) =>
        new() { ["currency"] = currency, ["value"] = value.ToString(CultureInfo.InvariantCulture) };
}
