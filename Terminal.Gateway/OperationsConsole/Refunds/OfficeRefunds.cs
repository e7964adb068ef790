using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Devices;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Refunds;

/// <summary>What the refund form asks for: the payment, the amount in minor units, why, and the refundRequestId the form was given.</summary>
public sealed record OfficeRefundRequest(string PaymentRequestId, string RefundRequestId, long AmountMinor, string Reason);

/// <summary>How an office refund ended at the gateway: refused before anything was sent (<see cref="Error"/>), or sent, with the refund's record.</summary>
public sealed record OfficeRefundResult(string? Error, RefundRecord? Refund, string? ResultStatus, string? ResultCode, string? ResultMessage);

/// <summary>
/// Refunds made from the office (docs/console.md, "Refunds"). The refund goes through the Antom relay exactly as a
/// terminal's refund does (<see cref="AntomRelayEndpoint.HandleAsync"/>), in the name of the terminal that took the
/// payment: the same checks (binding, currency, the device's limit), the same replay record and refunds row, the same
/// upstream retries and signature verification, the same resolver afterwards. The form's refundRequestId is made when
/// the form is shown, so a form posted twice is one refund (the refunds row and Antom both key on it).
/// </summary>
public sealed class OfficeRefunds(GatewaySettings settings, GatewayStore store, DeviceRegistry registry, AntomRelayEndpoint relay)
{
    public const int MaxReasonLength = 256;
    private const string Prefix = "office-";

    /// <summary>A fresh refundRequestId for a refund form: "office-" and 24 random hex digits.</summary>
    public static string NewRefundRequestId() => Prefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();

    public static bool IsOfficeRefundRequestId(string? id) =>
        id is { Length: 31 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));

    /// <summary>The payment's refundable remainder: its amount less every refund that has not failed.</summary>
    public async Task<(PaymentRecord? Payment, long Refundable)> RefundableAsync(string paymentRequestId, CancellationToken ct = default)
    {
        var payment = await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
        if (payment?.PaymentId == null) return (payment, 0);
        long refunded = (await store.ListRefundsForPaymentAsync(payment.PaymentId, ct).ConfigureAwait(false))
            .Where(r => r.Status != PaymentStatuses.Fail).Sum(r => r.AmountMinor);
        return (payment, Math.Max(0, payment.AmountMinor - refunded));
    }

    public async Task<OfficeRefundResult> RefundAsync(OfficeRefundRequest request, CancellationToken ct = default)
    {
        if (!IsOfficeRefundRequestId(request.RefundRequestId)) return Refused("the form is out of date: open the refund form again");
        string reason = request.Reason.Trim();
        if (reason.Length is 0 or > MaxReasonLength || reason.Any(char.IsControl)) return Refused($"reason: 1 to {MaxReasonLength} characters on one line");

        var existing = await store.FindRefundAsync(request.RefundRequestId, null, ct).ConfigureAwait(false);
        var (payment, refundable) = await RefundableAsync(request.PaymentRequestId, ct).ConfigureAwait(false);
        if (payment == null) return Refused("no such payment");
        if (existing == null)
        {
            if (payment.Status != PaymentStatuses.Success || payment.PaymentId == null) return Refused($"only a successful payment can be refunded (this one is {payment.Status})");
            if (request.AmountMinor <= 0) return Refused("amount: more than zero");
            if (request.AmountMinor > refundable)
                return Refused($"amount: at most {refundable} (minor units) is left to refund");
        }
        else if (existing.PaymentId != payment.PaymentId || existing.AmountMinor != request.AmountMinor)
        {
            return Refused("this form was already used for another refund: open the refund form again");
        }

        var device = await registry.FindAsync(payment.DeviceId, ct).ConfigureAwait(false);
        if (device == null) return Refused("the terminal that took the payment is no longer registered");
        var body = new JsonObject
        {
            ["refundRequestId"] = request.RefundRequestId,
            ["paymentId"] = payment.PaymentId,
            ["refundAmount"] = new JsonObject { ["currency"] = payment.Currency, ["value"] = request.AmountMinor.ToString(CultureInfo.InvariantCulture) },
            ["refundReason"] = reason,
        };
        byte[] bytes = Encoding.UTF8.GetBytes(AntomJson.Serialize(body));
        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var answer = await relay.HandleAsync(new DeviceRequest(DeviceMessageType.AntomRelay, DeviceOperations.Refund, DeviceOperations.Paths[DeviceOperations.Refund],
            device, 0, now, bytes)).ConfigureAwait(false);
        var json = AntomJson.TryParseObject(Encoding.UTF8.GetBytes(answer.Body));
        var refund = await store.FindRefundAsync(request.RefundRequestId, null, ct).ConfigureAwait(false);
        return new OfficeRefundResult(null, refund, AntomJson.Str(json, "result", "resultStatus"), AntomJson.Str(json, "result", "resultCode"),
            AntomJson.Str(json, "result", "resultMessage"));
    }

    private static OfficeRefundResult Refused(string why) => new(why, null, null, null, null);
}
