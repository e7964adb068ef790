using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The five Antom operations as the gateway runs them for an authenticated device: validate and complete the body,
/// check that the device may touch the payment or refund (same merchant and store binding), forward to Antom, and
/// keep the payment/refund state that later checks and inquiries use.
/// </summary>
public sealed class DeviceOperations(GatewaySettings settings, GatewayStore store, AntomClient antom, GatewayEndpoints endpoints, CustomerLinks customerLinks,
    ILogger<DeviceOperations> log)
{
    public const string Pay = "pay";
    public const string InquiryPayment = "inquiryPayment";
    public const string Cancel = "cancel";
    public const string Refund = "refund";
    public const string InquiryRefund = "inquiryRefund";

    /// <summary>The device-facing paths, which are Antom's own (docs/architecture.md section 3).</summary>
    public static readonly IReadOnlyDictionary<string, string> Paths = new Dictionary<string, string>
    {
        [Pay] = "/ams/api/v1/payments/pay",
        [InquiryPayment] = "/ams/api/v1/payments/inquiryPayment",
        [Cancel] = "/ams/api/v1/payments/cancel",
        [Refund] = "/ams/api/v1/payments/refund",
        [InquiryRefund] = "/ams/api/v1/payments/inquiryRefund",
    };

    private long Now => settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Records an upstream attempt (body as stored, time, number) before it is sent.</summary>
    public delegate Task AttemptRecorder(string storedBody, long sentAt, int attempt);

    /// <param name="recordAttempt">Called before each attempt toward Antom; the relay records it in the transaction,
    /// so a crash leaves a record that says the request may have reached Antom.</param>
    public Task<OperationResult> ExecuteAsync(string operation, Device device, JsonObject? body, CancellationToken ct, AttemptRecorder? recordAttempt = null)
    {
        if (body == null) return Task.FromResult(OperationResult.Local("F", ResultCodes.ParamIllegal, "body: must be a JSON object"));
        return operation switch
        {
            Pay => PayAsync(device, body, recordAttempt, ct),
            InquiryPayment => InquiryPaymentAsync(device, body, recordAttempt, ct),
            Cancel => CancelAsync(device, body, recordAttempt, ct),
            Refund => RefundAsync(device, body, recordAttempt, ct),
            InquiryRefund => InquiryRefundAsync(device, body, recordAttempt, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not an Antom operation"),
        };
    }


    private async Task<OperationResult> PayAsync(Device device, JsonObject body, AttemptRecorder? record, CancellationToken ct)
    {
        string? paymentRequestId = AntomJson.Str(body, "paymentRequestId");
        if (!IsRequestId(paymentRequestId)) return ParamIllegal("paymentRequestId: required string of 1 to 64 characters");
        if (!AntomJson.TryAmount(body["paymentAmount"], out string currency, out long amount))
            return ParamIllegal("paymentAmount: needs currency and a positive integer value in minor units");
        if (!device.AllowsCurrency(currency))
            return OperationResult.Local("F", ResultCodes.CurrencyNotSupport, $"currency {currency} is not enabled for this device");
        if (device.MaxAmountMinor is long max && amount > max)
            return OperationResult.Local("F", ResultCodes.PaymentAmountExceedLimit, $"amount {amount} exceeds this device's limit of {max}");
        string? fieldError = MerchantFields.Apply(body, device, settings.Options.Merchant, endpoints.NotifyUrl, settings.Clock.GetUtcNow())
            ?? CustomerLinks.RefuseDeviceValue(body);
        if (fieldError != null) return ParamIllegal(fieldError);

        long now = Now;
        string? code = PaymentCodes.Find(body);
        string? codeHash = code == null ? null : settings.DataKeys.PaymentCodeHash(code);
        var payment = await store.ReservePaymentAsync(new PaymentRecord(paymentRequestId!, device.DeviceId, device.ReferenceMerchantId, device.ReferenceStoreId,
            currency, amount, null, "PENDING", now, now, PaymentCodeHash: codeHash), ct).ConfigureAwait(false);
        if (payment.DeviceId != device.DeviceId)
            return OperationResult.Local("F", ResultCodes.AccessDenied, "paymentRequestId is already used by another device");
        if (payment.Currency != currency || payment.AmountMinor != amount)
            return OperationResult.Local("F", ResultCodes.RepeatReqInconsistent, "paymentRequestId was used before with another paymentAmount");
        if (payment.PaymentCodeHash != codeHash)
            return OperationResult.Local("F", ResultCodes.RepeatReqInconsistent, "paymentRequestId was used before with another paymentMethod.paymentMethodId");
        await customerLinks.AttachAsync(paymentRequestId!, body, ct).ConfigureAwait(false);

        var result = await ForwardAsync(Pay, body, record, ct).ConfigureAwait(false);
        if (result.Upstream?.Outcome == UpstreamOutcomes.Ok)
        {
            var response = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(result.ResponseBody));
            string? status = AntomJson.Str(response, "result", "resultStatus") switch
            {
                // UPM: S = paid. OC: S = order code created, the customer has not paid yet.
                "S" => AntomJson.Str(body, "paymentFactor", "inStorePaymentScenario") == "PaymentCode" ? "SUCCESS" : "PROCESSING",
                "F" => "FAIL",
                _ => null,
            };
            await RememberAsync(() => store.UpdatePaymentAsync(paymentRequestId!, AntomJson.Str(response, "paymentId"), status, Now, ct)).ConfigureAwait(false);
        }
        return result;
    }

    private async Task<OperationResult> InquiryPaymentAsync(Device device, JsonObject body, AttemptRecorder? record, CancellationToken ct)
    {
        string? paymentRequestId = AntomJson.Str(body, "paymentRequestId");
        string? paymentId = AntomJson.Str(body, "paymentId");
        if (string.IsNullOrEmpty(paymentRequestId) && string.IsNullOrEmpty(paymentId)) return ParamIllegal("paymentRequestId or paymentId: one is required");
        var payment = await store.FindPaymentAsync(paymentRequestId, paymentId, ct).ConfigureAwait(false);
        if (payment != null && !SameBinding(payment, device))
            return OperationResult.Local("F", ResultCodes.AccessDenied, "the payment belongs to another merchant or store");

        // A cancel forwarded for the payment (answered or not) may have reversed what the notification reported.
        if (payment != null && payment.CancelForwardedAt == null && settings.Options.AnswerInquiryFromNotification)
        {
            var notification = await store.FindFinalNotificationAsync(payment.PaymentRequestId, payment.PaymentId, ct).ConfigureAwait(false);
            if (notification != null)
                return new OperationResult(InquiryFromNotification(notification), UpstreamOutcomes.FromNotification, null, "answered from notification " + notification.NotificationKey);
        }

        var result = await ForwardAsync(InquiryPayment, body, record, ct).ConfigureAwait(false);
        if (payment != null && result.Upstream?.Outcome == UpstreamOutcomes.Ok)
        {
            var response = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(result.ResponseBody));
            if (AntomJson.Str(response, "result", "resultStatus") == "S")
                await RememberAsync(() => store.UpdatePaymentAsync(payment.PaymentRequestId, AntomJson.Str(response, "paymentId"), KnownStatus(AntomJson.Str(response, "paymentStatus")), Now, ct)).ConfigureAwait(false);
        }
        return result;
    }

    private async Task<OperationResult> CancelAsync(Device device, JsonObject body, AttemptRecorder? record, CancellationToken ct)
    {
        string? paymentRequestId = AntomJson.Str(body, "paymentRequestId");
        string? paymentId = AntomJson.Str(body, "paymentId");
        if (string.IsNullOrEmpty(paymentRequestId) && string.IsNullOrEmpty(paymentId)) return ParamIllegal("paymentRequestId or paymentId: one is required");
        var payment = await store.FindPaymentAsync(paymentRequestId, paymentId, ct).ConfigureAwait(false);
        if (payment == null) return OperationResult.Local("F", ResultCodes.OrderNotExist, "no payment with this id was sent through this gateway");
        if (!SameBinding(payment, device)) return OperationResult.Local("F", ResultCodes.AccessDenied, "the payment belongs to another merchant or store");

        await store.MarkCancelForwardedAsync(payment.PaymentRequestId, Now, ct).ConfigureAwait(false);
        var result = await ForwardAsync(Cancel, body, record, ct).ConfigureAwait(false);
        if (result.Upstream?.Outcome == UpstreamOutcomes.Ok)
        {
            var response = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(result.ResponseBody));
            if (AntomJson.Str(response, "result", "resultStatus") == "S")
                await RememberAsync(() => store.UpdatePaymentAsync(payment.PaymentRequestId, AntomJson.Str(response, "paymentId"), "CANCELLED", Now, ct)).ConfigureAwait(false);
        }
        return result;
    }

    private async Task<OperationResult> RefundAsync(Device device, JsonObject body, AttemptRecorder? record, CancellationToken ct)
    {
        string? refundRequestId = AntomJson.Str(body, "refundRequestId");
        string? paymentId = AntomJson.Str(body, "paymentId");
        if (!IsRequestId(refundRequestId)) return ParamIllegal("refundRequestId: required string of 1 to 64 characters");
        if (string.IsNullOrEmpty(paymentId)) return ParamIllegal("paymentId: required");
        if (!AntomJson.TryAmount(body["refundAmount"], out string currency, out long amount))
            return ParamIllegal("refundAmount: needs currency and a positive integer value in minor units");
        if (!device.AllowsCurrency(currency))
            return OperationResult.Local("F", ResultCodes.CurrencyNotSupport, $"currency {currency} is not enabled for this device");
        if (device.MaxAmountMinor is long max && amount > max)
            return OperationResult.Local("F", ResultCodes.PaymentAmountExceedLimit, $"amount {amount} exceeds this device's limit of {max}");
        var payment = await store.FindPaymentAsync(null, paymentId, ct).ConfigureAwait(false);
        if (payment == null) return OperationResult.Local("F", ResultCodes.AccessDenied, "paymentId is not a payment made through this gateway");
        if (!SameBinding(payment, device)) return OperationResult.Local("F", ResultCodes.AccessDenied, "the payment belongs to another merchant or store");

        long now = Now;
        var refund = await store.ReserveRefundAsync(new RefundRecord(refundRequestId!, device.DeviceId, paymentId, currency, amount, null, "PENDING", now, now), ct).ConfigureAwait(false);
        if (refund.DeviceId != device.DeviceId)
            return OperationResult.Local("F", ResultCodes.AccessDenied, "refundRequestId is already used by another device");
        if (refund.PaymentId != paymentId || refund.Currency != currency || refund.AmountMinor != amount)
            return OperationResult.Local("F", ResultCodes.RepeatReqInconsistent, "refundRequestId was used before with another paymentId or refundAmount");

        var result = await ForwardAsync(Refund, body, record, ct).ConfigureAwait(false);
        if (result.Upstream?.Outcome == UpstreamOutcomes.Ok)
        {
            var response = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(result.ResponseBody));
            string? status = AntomJson.Str(response, "result", "resultStatus") switch { "S" => "SUCCESS", "F" => "FAIL", _ => null };
            await RememberAsync(() => store.UpdateRefundAsync(refundRequestId!, AntomJson.Str(response, "refundId"), status, Now, ct)).ConfigureAwait(false);
        }
        return result;
    }

    private async Task<OperationResult> InquiryRefundAsync(Device device, JsonObject body, AttemptRecorder? record, CancellationToken ct)
    {
        string? refundRequestId = AntomJson.Str(body, "refundRequestId");
        string? refundId = AntomJson.Str(body, "refundId");
        if (string.IsNullOrEmpty(refundRequestId) && string.IsNullOrEmpty(refundId)) return ParamIllegal("refundRequestId or refundId: one is required");
        var refund = await store.FindRefundAsync(refundRequestId, refundId, ct).ConfigureAwait(false);
        if (refund != null)
        {
            var payment = await store.FindPaymentAsync(null, refund.PaymentId, ct).ConfigureAwait(false);
            if (payment != null && !SameBinding(payment, device))
                return OperationResult.Local("F", ResultCodes.AccessDenied, "the refund belongs to another merchant or store");
        }
        var result = await ForwardAsync(InquiryRefund, body, record, ct).ConfigureAwait(false);
        if (refund != null && result.Upstream?.Outcome == UpstreamOutcomes.Ok)
        {
            var response = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(result.ResponseBody));
            if (AntomJson.Str(response, "result", "resultStatus") == "S")
                await RememberAsync(() => store.UpdateRefundAsync(refund.RefundRequestId, AntomJson.Str(response, "refundId"), KnownStatus(AntomJson.Str(response, "refundStatus")), Now, ct)).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>Sends the (completed) body to Antom; anything but a verified answer becomes U for the device.</summary>
    private async Task<OperationResult> ForwardAsync(string operation, JsonObject body, AttemptRecorder? record, CancellationToken ct)
    {
        string text = AntomJson.Serialize(body);
        string stored = PaymentCodes.ForStorage(text, body); // masked once, for every attempt's record and the completion
        Func<int, long, Task>? beforeAttempt = record == null ? null : (attempt, sentAt) => record(stored, sentAt, attempt);
        var upstream = await antom.SendAsync(operation, Paths[operation], text, ct, beforeAttempt).ConfigureAwait(false);
        if (upstream.Outcome == UpstreamOutcomes.Ok) return new OperationResult(upstream.Body!, upstream.Outcome, upstream, upstream.Detail, stored);
        string next = operation is Refund or InquiryRefund ? "retry with the same refundRequestId or call inquiryRefund" : "retry with the same paymentRequestId or call inquiryPayment";
        string why = upstream.Outcome switch
        {
            UpstreamOutcomes.Timeout => "Antom did not answer in time",
            UpstreamOutcomes.BadSignature => "Antom's answer failed signature verification and was discarded",
            UpstreamOutcomes.SignatureRefused => "Antom refused the gateway's signature (a configuration error of the gateway, reported to its operator)",
            UpstreamOutcomes.HttpError => $"Antom answered HTTP {upstream.HttpStatus}",
            _ => "Antom could not be reached",
        };
        return new OperationResult(AntomJson.Result("U", ResultCodes.UnknownException, $"gateway: {why}; the result is unknown: {next}"), upstream.Outcome, upstream, upstream.Detail, stored);
    }

    /// <summary>
    /// An inquiryPayment answer built from a recorded final notifyPayment (docs/gateway.md, "Inquiries answered from
    /// notifications"): result S (the query worked), paymentStatus SUCCESS or FAIL from the notification's result, and
    /// the payment fields the notification carried.
    /// </summary>
    internal static string InquiryFromNotification(NotificationRecord n)
    {
        var notification = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(n.Body)) ?? new JsonObject();
        var answer = new JsonObject
        {
            ["result"] = AntomJson.ResultObject("S", ResultCodes.Success, "success"),
            ["paymentStatus"] = n.ResultStatus == "S" ? "SUCCESS" : "FAIL",
            ["paymentResultCode"] = n.ResultCode,
            ["paymentResultMessage"] = AntomJson.Str(notification, "result", "resultMessage"),
        };
        foreach (string field in new[] { "paymentRequestId", "paymentId", "paymentAmount", "actualPaymentAmount", "paymentQuote", "paymentCreateTime",
                     "paymentTime", "pspCustomerInfo", "grossSettlementAmount", "settlementQuote", "acquirerReferenceNo", "paymentResultInfo" })
        {
            if (notification.TryGetPropertyValue(field, out var value) && value != null) answer[field] = value.DeepClone();
        }
        return AntomJson.Serialize(answer);
    }

    /// <summary>
    /// Stores what an answer from Antom taught us (paymentId, status). Best effort: the verified answer goes to the
    /// device even if this fails (e.g. Antom names a paymentId another payment already has), and the error is logged.
    /// </summary>
    private async Task RememberAsync(Func<Task> update)
    {
        try
        {
            await update().ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            log.LogError(e, "could not record the payment/refund state from Antom's answer");
        }
    }

    private static bool SameBinding(PaymentRecord p, Device d) => p.ReferenceMerchantId == d.ReferenceMerchantId && p.ReferenceStoreId == d.ReferenceStoreId;

    private static bool IsRequestId(string? id) => id is { Length: > 0 and <= 64 };

    /// <summary>Known payment/refund statuses in upper case (one Antom example prints "Success"); anything else is not stored.</summary>
    internal static string? KnownStatus(string? status)
    {
        string? upper = status?.ToUpperInvariant();
        return upper is "SUCCESS" or "FAIL" or "PROCESSING" or "CANCELLED" or "PENDING" ? upper : null;
    }

    private static OperationResult ParamIllegal(string message) => OperationResult.Local("F", ResultCodes.ParamIllegal, message);
}
