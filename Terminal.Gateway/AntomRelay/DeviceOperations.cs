using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The five Antom operations as the gateway runs them for an authenticated device: validate and complete the body,
/// check that the device may touch the payment or refund (same merchant and store binding), forward to Antom, and say
/// what Antom's answer proves about the payment or refund (<see cref="OperationResult.Fact"/>). The relay stores that
/// fact together with the record of the request (<see cref="GatewayStore.CompleteAsync"/>), so the two never disagree.
/// </summary>
public sealed class DeviceOperations(GatewaySettings settings, GatewayStore store, AntomClient antom, GatewayEndpoints endpoints, CustomerLinks customerLinks,
    Resolution.Resolver resolver)
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

    /// <summary>When a new payment or refund row is first due for the repair pass (if no answer settled it by then).</summary>
    private long StaleAfterMs => settings.Options.Recovery.StaleAfterSeconds * 1000L;

    /// <summary>
    /// The operation's first database step, to go with the claim of the request (<see cref="GatewayStore.ClaimAsync"/>)
    /// and then to <see cref="ExecuteAsync"/>: a pay's reservation of its payment row (when the body passes the checks
    /// that need no database) with its first upstream attempt (when the body to send is known before the claim: all but
    /// order codes with a customer page link), an inquiry's lookup of the payment and its final notification with its
    /// first attempt (when it names only the paymentRequestId). Null for anything else: the operation takes its steps itself.
    /// </summary>
    /// <param name="storedBody">The body as the record keeps it (<see cref="PaymentCodes.ForStorageUtf8"/>), as the caller made it.</param>
    /// <param name="paymentRequestId">The body's paymentRequestId, as the caller read it.</param>
    /// <param name="paymentId">The body's paymentId, as the caller read it.</param>
    public ClaimRider? FirstStep(string operation, Device device, byte[] body, Utf8Text storedBody, string? paymentRequestId, string? paymentId, long nowMs)
    {
        if (!RequestJson.IsObject(body)) return null;
        if (operation == Pay) return CheckPay(device, body, paymentRequestId, nowMs, withAttempt: true, out _);
        if (operation == InquiryPayment && settings.Options.AnswerInquiryFromNotification && string.IsNullOrEmpty(paymentId) && !string.IsNullOrEmpty(paymentRequestId))
            return new PaymentLookup(paymentRequestId, new FirstAttempt(storedBody, nowMs, nowMs + StaleAfterMs)); // sent as the device sent it
        return null;
    }

    /// <param name="recordAttempt">Called before each attempt toward Antom; the relay records it in the transaction,
    /// so a crash leaves a record that says the request may have reached Antom.</param>
    /// <param name="body">The device's body as it came (UTF-8 JSON, checked by <see cref="StrictJson"/>): read by path
    /// (<see cref="RequestJson"/>) and, except for a pay, forwarded as it is.</param>
    /// <param name="firstStep">What <see cref="FirstStep"/> gave for this request, run with its claim (when it
    /// <see cref="ClaimRider.Ran"/>, the operation uses what it did instead of taking the step again).</param>
    public Task<OperationResult> ExecuteAsync(string operation, Device device, byte[] body, CancellationToken ct, AttemptRecorder? recordAttempt = null,
        ClaimRider? firstStep = null)
    {
        if (!RequestJson.IsObject(body)) return Task.FromResult(OperationResult.Local("F", ResultCodes.ParamIllegal, "body: must be a JSON object"));
        return operation switch
        {
            Pay => PayAsync(device, body, recordAttempt, firstStep as PayReservation, ct),
            InquiryPayment => InquiryPaymentAsync(device, body, recordAttempt, firstStep as PaymentLookup, ct),
            Cancel => CancelAsync(device, body, recordAttempt, ct),
            Refund => RefundAsync(device, body, recordAttempt, ct),
            InquiryRefund => InquiryRefundAsync(device, body, recordAttempt, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "not an Antom operation"),
        };
    }

    /// <summary>A pay's payment row to reserve, with the body's completion planned on the way, and the body to send when
    /// it is known already (its first attempt then goes with the reservation).</summary>
    private sealed class PayReservation(PaymentRecord payment, long checkAfterMs, BodyCompletion completion, byte[]? upstreamBody, FirstAttempt? attempt)
        : PaymentReservation(payment, checkAfterMs, attempt)
    {
        public BodyCompletion Completion { get; } = completion;

        public byte[]? UpstreamBody { get; } = upstreamBody;
    }

    /// <summary>The pay's checks that need no database; null, with the answer that refuses it, when one fails.</summary>
    /// <param name="withAttempt">Plan the first attempt too (the relay records attempts; see <see cref="FirstStep"/>).</param>
    private PayReservation? CheckPay(Device device, byte[] body, string? paymentRequestId, long nowMs, bool withAttempt, out OperationResult? refusal)
    {
        refusal = null;
        if (!IsRequestId(paymentRequestId)) refusal = ParamIllegal("paymentRequestId: required string of 1 to 64 characters");
        else if (!RequestJson.TryAmount(body, "paymentAmount", out string currency, out long amount))
            refusal = ParamIllegal("paymentAmount: needs currency and a positive integer value in minor units");
        else if (!device.AllowsCurrency(currency))
            refusal = OperationResult.Local("F", ResultCodes.CurrencyNotSupport, $"currency {currency} is not enabled for this device");
        else if (device.MaxAmountMinor is long max && amount > max)
            refusal = OperationResult.Local("F", ResultCodes.PaymentAmountExceedLimit, $"amount {amount} exceeds this device's limit of {max}");
        else
        {
            var completion = new BodyCompletion();
            string? fieldError = MerchantFields.Apply(body, completion, device, settings.Options.Merchant, endpoints.NotifyUrl, settings.Clock.GetUtcNow())
                ?? CustomerLinks.RefuseDeviceValue(body);
            if (fieldError != null) refusal = ParamIllegal(fieldError);
            else
            {
                string? code = PaymentCodes.Find(body);
                string? codeHash = code == null ? null : settings.DataKeys.PaymentCodeHash(code);
                byte[]? upstream = withAttempt && !customerLinks.WillAttach(body) ? completion.Write(body) : null;
                var attempt = upstream == null ? null : new FirstAttempt(PaymentCodes.ForStorageUtf8(upstream), nowMs, nowMs + StaleAfterMs);
                return new PayReservation(new PaymentRecord(paymentRequestId!, device.DeviceId, device.ReferenceMerchantId, device.ReferenceStoreId, currency, amount, null,
                    PaymentStatuses.Pending, nowMs, nowMs, PaymentCodeHash: codeHash, ReferenceOrderId: ReferenceOf(body)), nowMs + StaleAfterMs, completion, upstream, attempt);
            }
        }
        return null;
    }

    private async Task<OperationResult> PayAsync(Device device, byte[] body, AttemptRecorder? record, PayReservation? reserved, CancellationToken ct)
    {
        OperationResult? refusal = null;
        var pay = reserved is { Ran: true } ? reserved : CheckPay(device, body, RequestJson.Str(body, "paymentRequestId"), Now, withAttempt: false, out refusal);
        if (pay == null) return refusal!;
        var asked = pay.Payment;
        // The reservation that recorded the first attempt found the row asked for; any other reads the row stored.
        var payment = pay.RecordedFirstAttempt ? asked : pay.Row ?? await store.ReservePaymentAsync(asked, pay.CheckAfterMs, ct).ConfigureAwait(false);
        if (payment.DeviceId != device.DeviceId)
            return OperationResult.Local("F", ResultCodes.AccessDenied, "paymentRequestId is already used by another device");
        if (payment.Currency != asked.Currency || payment.AmountMinor != asked.AmountMinor)
            return OperationResult.Local("F", ResultCodes.RepeatReqInconsistent, "paymentRequestId was used before with another paymentAmount");
        if (payment.PaymentCodeHash != asked.PaymentCodeHash)
            return OperationResult.Local("F", ResultCodes.RepeatReqInconsistent, "paymentRequestId was used before with another paymentMethod.paymentMethodId");
        string? storeName = RequestJson.Str(body, "order", "merchant", "store", "storeName") ?? settings.Options.Merchant.StoreName;
        await customerLinks.AttachAsync(asked.PaymentRequestId, body, storeName, pay.Completion, ct).ConfigureAwait(false);

        // UPM: S = paid. OC: S = order code created, the customer has not paid yet.
        var subject = new FactSubject(asked.PaymentRequestId, PaymentCode: RequestJson.Is(body, "PaymentCode", "paymentFactor", "inStorePaymentScenario"));
        // The body whose first attempt the reservation recorded is the one sent (its completion is not changed after).
        return pay.UpstreamBody is { } planned
            ? await ForwardAsync(Pay, planned, record, subject, ct, pay.Attempt!.StoredBody).ConfigureAwait(false)
            : await ForwardAsync(Pay, pay.Completion.Write(body), record, subject, ct).ConfigureAwait(false);
    }

    private async Task<OperationResult> InquiryPaymentAsync(Device device, byte[] body, AttemptRecorder? record, PaymentLookup? looked, CancellationToken ct)
    {
        // The lookup that ran with the claim was made for a body with this paymentRequestId and no paymentId.
        string? paymentRequestId = looked is { Ran: true } ? looked.PaymentRequestId : RequestJson.Str(body, "paymentRequestId");
        string? paymentId = looked is { Ran: true } ? null : RequestJson.Str(body, "paymentId");
        if (string.IsNullOrEmpty(paymentRequestId) && string.IsNullOrEmpty(paymentId)) return ParamIllegal("paymentRequestId or paymentId: one is required");
        bool fromNotification = settings.Options.AnswerInquiryFromNotification;
        var (payment, notification) = looked is { Ran: true } ? (looked.Payment, looked.Final)
            : string.IsNullOrEmpty(paymentId) && fromNotification
            ? await store.FindPaymentWithFinalNotificationAsync(paymentRequestId!, ct).ConfigureAwait(false)
            : (await store.FindPaymentAsync(paymentRequestId, paymentId, ct).ConfigureAwait(false), null);
        if (payment != null && !SameBinding(payment, device))
            return OperationResult.Local("F", ResultCodes.AccessDenied, "the payment belongs to another merchant or store");

        // Antom's own word that the payment is cancelled (its cancel answered S, or an inquiry answered CANCELLED) is final:
        // nothing at Antom moves a cancelled payment, so asking again can only add an unknown answer to a known one.
        if (payment is { Status: PaymentStatuses.Cancelled })
            return new OperationResult(InquiryFromCancelledRecord(payment), UpstreamOutcomes.FromRecord, null, "answered from the payment's record: CANCELLED by " + payment.StatusSource);

        // A cancel forwarded for the payment (answered or not) may have reversed what the notification reported.
        if (payment != null && payment.CancelForwardedAt == null && fromNotification)
        {
            notification ??= string.IsNullOrEmpty(paymentId) ? null
                : await store.FindFinalNotificationAsync(payment.PaymentRequestId, payment.PaymentId, ct).ConfigureAwait(false);
            if (notification != null)
                return new OperationResult(InquiryFromNotification(notification), UpstreamOutcomes.FromNotification, null, "answered from notification " + notification.NotificationKey);
        }

        return await ForwardAsync(InquiryPayment, body, record, payment == null ? null : new FactSubject(payment.PaymentRequestId), ct,
            looked is { Ran: true } ? looked.Attempt?.StoredBody : null).ConfigureAwait(false);
    }

    private async Task<OperationResult> CancelAsync(Device device, byte[] body, AttemptRecorder? record, CancellationToken ct)
    {
        string? paymentRequestId = RequestJson.Str(body, "paymentRequestId");
        string? paymentId = RequestJson.Str(body, "paymentId");
        if (string.IsNullOrEmpty(paymentRequestId) && string.IsNullOrEmpty(paymentId)) return ParamIllegal("paymentRequestId or paymentId: one is required");
        var payment = await FindPaymentAsync(paymentRequestId, paymentId, ct).ConfigureAwait(false);
        if (payment == null) return OperationResult.Local("F", ResultCodes.OrderNotExist, "no payment with this id was sent through this gateway");
        if (!SameBinding(payment, device)) return OperationResult.Local("F", ResultCodes.AccessDenied, "the payment belongs to another merchant or store");

        await store.MarkCancelForwardedAsync(payment.PaymentRequestId, Now, ct).ConfigureAwait(false);
        return await ForwardAsync(Cancel, body, record, new FactSubject(payment.PaymentRequestId), ct).ConfigureAwait(false);
    }

    private async Task<OperationResult> RefundAsync(Device device, byte[] body, AttemptRecorder? record, CancellationToken ct)
    {
        string? refundRequestId = RequestJson.Str(body, "refundRequestId");
        string? paymentId = RequestJson.Str(body, "paymentId");
        if (!IsRequestId(refundRequestId)) return ParamIllegal("refundRequestId: required string of 1 to 64 characters");
        if (string.IsNullOrEmpty(paymentId)) return ParamIllegal("paymentId: required");
        if (!RequestJson.TryAmount(body, "refundAmount", out string currency, out long amount))
            return ParamIllegal("refundAmount: needs currency and a positive integer value in minor units");
        if (!device.AllowsCurrency(currency))
            return OperationResult.Local("F", ResultCodes.CurrencyNotSupport, $"currency {currency} is not enabled for this device");
        if (device.MaxAmountMinor is long max && amount > max)
            return OperationResult.Local("F", ResultCodes.PaymentAmountExceedLimit, $"amount {amount} exceeds this device's limit of {max}");
        var payment = await FindPaymentAsync(null, paymentId, ct).ConfigureAwait(false);
        if (payment == null) return OperationResult.Local("F", ResultCodes.AccessDenied, "paymentId is not a payment made through this gateway");
        if (!SameBinding(payment, device)) return OperationResult.Local("F", ResultCodes.AccessDenied, "the payment belongs to another merchant or store");

        long now = Now;
        var refund = await store.ReserveRefundAsync(new RefundRecord(refundRequestId!, device.DeviceId, paymentId, currency, amount, null, PaymentStatuses.Pending, now, now),
            now + StaleAfterMs, ct).ConfigureAwait(false);
        if (refund.DeviceId != device.DeviceId)
            return OperationResult.Local("F", ResultCodes.AccessDenied, "refundRequestId is already used by another device");
        if (refund.PaymentId != paymentId || refund.Currency != currency || refund.AmountMinor != amount)
            return OperationResult.Local("F", ResultCodes.RepeatReqInconsistent, "refundRequestId was used before with another paymentId or refundAmount");

        return await ForwardAsync(Refund, body, record, new FactSubject(refundRequestId), ct).ConfigureAwait(false);
    }

    private async Task<OperationResult> InquiryRefundAsync(Device device, byte[] body, AttemptRecorder? record, CancellationToken ct)
    {
        string? refundRequestId = RequestJson.Str(body, "refundRequestId");
        string? refundId = RequestJson.Str(body, "refundId");
        if (string.IsNullOrEmpty(refundRequestId) && string.IsNullOrEmpty(refundId)) return ParamIllegal("refundRequestId or refundId: one is required");
        var refund = await store.FindRefundAsync(refundRequestId, refundId, ct).ConfigureAwait(false);
        if (refund != null)
        {
            var payment = await store.FindPaymentAsync(null, refund.PaymentId, ct).ConfigureAwait(false);
            if (payment != null && !SameBinding(payment, device))
                return OperationResult.Local("F", ResultCodes.AccessDenied, "the refund belongs to another merchant or store");
        }
        return await ForwardAsync(InquiryRefund, body, record, refund == null ? null : new FactSubject(refund.RefundRequestId), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The payment a cancel or refund names. When the gateway's records do not know its paymentId (the answer that
    /// carried it was lost under an older version, or the row's repair is not due yet), Antom is asked which payment it
    /// is (<see cref="Resolution.Resolver.IdentifyPaymentAsync"/>): the device's own ids are never trusted for that.
    /// </summary>
    private async Task<PaymentRecord?> FindPaymentAsync(string? paymentRequestId, string? paymentId, CancellationToken ct)
    {
        var payment = await store.FindPaymentAsync(paymentRequestId, paymentId, ct).ConfigureAwait(false);
        if (payment != null || string.IsNullOrEmpty(paymentId)) return payment;
        return await resolver.IdentifyPaymentAsync(paymentId, ct).ConfigureAwait(false);
    }

    /// <summary>The payment or refund (by its request id) an operation's verified answer may prove something about;
    /// <see cref="PaymentCode"/>: a pay with a payment code, whose S means paid.</summary>
    private readonly record struct FactSubject(string? RequestId, bool PaymentCode = false);

    /// <summary>The source recorded with a fact learnt from an operation's answer.</summary>
    private static string AnswerSource(string operation) => operation switch
    {
        Pay => "pay answer",
        InquiryPayment => "inquiryPayment answer",
        Cancel => "cancel answer",
        Refund => "refund answer",
        _ => "inquiryRefund answer",
    };

    /// <summary>Sends the body (a pay's completed, any other as the device sent it) to Antom; anything but a verified
    /// answer becomes U for the device. A verified answer comes with what it proves about <paramref name="subject"/>
    /// (<see cref="OperationResult.Fact"/>; nothing without a subject).</summary>
    /// <param name="stored">The body as stored (masked), when already made.</param>
    private async Task<OperationResult> ForwardAsync(string operation, byte[] utf8, AttemptRecorder? record, FactSubject? subject, CancellationToken ct,
        Utf8Text? stored = null)
    {
        stored ??= PaymentCodes.ForStorageUtf8(utf8); // masked once, for every attempt's record and the completion
        var upstream = await antom.SendAsync(operation, Paths[operation], utf8, ct, record, stored).ConfigureAwait(false);
        if (upstream.Outcome == UpstreamOutcomes.Ok)
        {
            var fact = subject is { } s ? PaymentFacts.FromAnswer(operation, s.RequestId, s.PaymentCode, AntomAnswer.Read(upstream.Body), AnswerSource(operation)) : null;
            return new OperationResult(upstream.Body!, upstream.Outcome, upstream, upstream.Detail, stored, fact);
        }
        if (upstream.Outcome == UpstreamOutcomes.NotSent) return OperationResult.NothingSent("its record of the request could not be written: " + upstream.Detail);
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
    /// An inquiryPayment answer for a payment the gateway's record shows CANCELLED (docs/gateway.md, "Inquiries answered
    /// from notifications"): result S, paymentStatus CANCELLED and the ids and amount the record holds.
    /// </summary>
    internal static string InquiryFromCancelledRecord(PaymentRecord p)
    {
        var answer = new JsonObject
        {
            ["result"] = AntomJson.ResultObject("S", ResultCodes.Success, "success"),
            ["paymentRequestId"] = p.PaymentRequestId,
            ["paymentStatus"] = PaymentStatuses.Cancelled,
            ["paymentAmount"] = new JsonObject { ["currency"] = p.Currency, ["value"] = p.AmountMinor.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        if (p.PaymentId != null) answer["paymentId"] = p.PaymentId;
        return AntomJson.Serialize(answer);
    }

    /// <summary>order.referenceOrderId when it is a short printable string (what the console searches by), else null.</summary>
    private static string? ReferenceOf(byte[] body) => RequestJson.Str(body, "order", "referenceOrderId") is { Length: > 0 and <= 64 } r ? r : null;

    private static bool SameBinding(PaymentRecord p, Device d) => p.ReferenceMerchantId == d.ReferenceMerchantId && p.ReferenceStoreId == d.ReferenceStoreId;

    private static bool IsRequestId(string? id) => id is { Length: > 0 and <= 64 };

    private static OperationResult ParamIllegal(string message) => OperationResult.Local("F", ResultCodes.ParamIllegal, message);
}
