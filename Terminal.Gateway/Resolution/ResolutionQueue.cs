using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.Operations;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Resolution;

/// <summary>
/// The resolution queue (docs/resolution-queue.md): every transaction whose outcome a device still needs, driven to a
/// final status by the <see cref="Resolver"/>. Items enter when the repair pass cannot settle an open payment or refund
/// (<see cref="NoFinalAnswer"/>) and when a heartbeat reports a transaction the terminal ended for review
/// (<see cref="DeviceReview"/>). The job (<see cref="RunDueAsync"/>, run by <see cref="ResolverService"/>) claims due
/// items with a lease, settles each through the resolver (records first, then an inquiry step), and applies Antom's rule
/// to a payment its terminal gave up: cancel it, or refund it when Antom answers CANCEL_WINDOW_EXCEED, recorded as steps
/// with the reason <c>abandoned</c>. What stays unknown is asked again, the pause doubling from
/// <c>Recovery:StaleAfterSeconds</c> to an hour, until <c>Recovery:GiveUpAfterHours</c>; then, or when Antom refuses the
/// rule, the item becomes an exception for an operator (<see cref="RetryAsync"/>, <see cref="CloseAsync"/>). The final
/// status reaches the terminal in its heartbeat answers (<see cref="ForHeartbeatAsync"/>).
/// </summary>
public sealed class ResolutionQueue(GatewaySettings settings, GatewayStore store, Resolver resolver, GatewayMetrics metrics, ILogger<ResolutionQueue> log)
{
    public const string NoFinalAnswer = "no_final_answer";
    public const string DeviceReview = "device_review";

    /// <summary>Kinds as the terminal names them (docs/fleet-link.md, "Resolutions").</summary>
    public const string Sale = "sale";
    public const string Void = "void";
    public const string Refund = "refund";

    /// <summary>Statuses as the terminal reads them.</summary>
    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";
    public const string Cancelled = "CANCELLED";

    public static readonly string[] FinalStatuses = [Success, Failed, Cancelled];

    /// <summary>Exceptions: why the job left an item to an operator (docs/resolution-queue.md, runbook).</summary>
    public const string StillUnknown = "still_unknown";
    public const string Refused = "refused";
    public const string UnknownReference = "unknown_reference";
    public const string Contradiction = "contradiction";

    private const int Batch = 100;

    /// <summary>Most resolutions in one heartbeat answer: as many as the terminal takes (HeartbeatAnswer.MaxResolutions).</summary>
    public const int MaxPerAnswer = 16;

    private long Now => settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private long StaleAfterMs => settings.Options.Recovery.StaleAfterSeconds * 1000L;

    private long GiveUpAfterMs => settings.Options.Recovery.GiveUpAfterHours * 3_600_000L;

    // ================================================================ entering, and the way back to the terminal

    /// <summary>
    /// A heartbeat's review references: each enters the queue (abandoned, due now) unless it is there; returns the final
    /// status of those the queue has resolved or an operator closed, for the heartbeat's answer.
    /// </summary>
    public async Task<IReadOnlyList<ResolutionItem>> ForHeartbeatAsync(string deviceId, IReadOnlyList<JournalReference> review, CancellationToken ct = default)
    {
        if (review.Count == 0) return [];
        var known = (await store.ItemsOfDeviceAsync(deviceId, review.Select(r => r.RequestId).Distinct(StringComparer.Ordinal).ToList(), ct).ConfigureAwait(false))
            .ToDictionary(i => (i.Kind, i.RequestId));
        var final = new List<ResolutionItem>();
        foreach (var reference in review)
        {
            if (!known.TryGetValue((reference.Kind, reference.RequestId), out var item) || !item.Abandoned)
            {
                long now = Now;
                item = await store.EnterResolutionAsync(new NewResolutionItem(Guid.NewGuid().ToString("N"), deviceId, reference.Kind, reference.RequestId, DeviceReview,
                    true, now, now, now + GiveUpAfterMs, "device " + deviceId,
                    $"the terminal ended its {reference.Kind} for review (register reference {reference.Reference ?? "none"})"), ct).ConfigureAwait(false);
            }
            if (item.IsFinal && final.Count < MaxPerAnswer) final.Add(item);
        }
        return final;
    }

    // ================================================================ the job

    /// <summary>Claims and works on every due item (several instances share them by lease); returns how many it worked on.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        int worked = 0;
        while (!ct.IsCancellationRequested)
        {
            long now = Now;
            var due = await store.ClaimDueItemsAsync(settings.InstanceName, now, now + StaleAfterMs, Batch, null, ct).ConfigureAwait(false);
            foreach (var item in due) await WorkAsync(item, ct).ConfigureAwait(false);
            worked += due.Count;
            if (due.Count < Batch) break;
        }
        return worked;
    }

    /// <summary>One pass over an item this instance holds; a fault leaves it to the next pass once its lease ends.</summary>
    private async Task WorkAsync(ResolutionItem item, CancellationToken ct)
    {
        ItemOutcome outcome;
        try
        {
            outcome = item.Kind == Refund ? await RefundOutcomeAsync(item, ct).ConfigureAwait(false) : await PaymentOutcomeAsync(item, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("resolution item {ItemId} ({Kind} {RequestId}): pass failed ({Error}); tried again when its lease ends", item.Id, item.Kind, item.RequestId, e.Message);
            return;
        }
        if (outcome.State == ResolutionStates.Open && Now >= item.GiveUpAt)
            outcome = outcome with { State = ResolutionStates.Exception, DueAt = null, Exception = StillUnknown,
                Detail = $"no final status after {settings.Options.Recovery.GiveUpAfterHours} h: {outcome.Detail}" };
        if (!await store.FinishItemAsync(item.Id, settings.InstanceName, outcome, settings.InstanceName, Now, ct).ConfigureAwait(false)) return;
        metrics.RecordQueuePass(outcome.State);
        if (outcome.State == ResolutionStates.Exception)
            log.LogWarning("resolution item {ItemId} ({Kind} {RequestId} of device {DeviceId}) is an exception: {Exception}, {Detail}",
                item.Id, item.Kind, item.RequestId, item.DeviceId, outcome.Exception, outcome.Detail);
        else if (outcome.State == ResolutionStates.Resolved)
            log.LogInformation("resolution item {ItemId} ({Kind} {RequestId} of device {DeviceId}) resolved: {Status} {ResultCode}, {Detail}",
                item.Id, item.Kind, item.RequestId, item.DeviceId, outcome.Status, outcome.ResultCode, outcome.Detail);
    }

    private async Task<ItemOutcome> PaymentOutcomeAsync(ResolutionItem item, CancellationToken ct)
    {
        var payment = await store.FindPaymentAsync(item.RequestId, null, ct).ConfigureAwait(false);
        if (payment == null) return await UnknownAsync(item, StateSubject.Payment, ct).ConfigureAwait(false);
        if (payment.DeviceId != item.DeviceId)
            return Exception(UnknownReference, $"the payment belongs to device {payment.DeviceId}, not to the device that reported it");

        payment = await resolver.ResolvePaymentAsync(item.RequestId, "queue", ct).ConfigureAwait(false) ?? payment;
        bool voiding = item.Kind == Void;
        bool abandoned = item.Abandoned || voiding || payment.CancelForwardedAt != null;
        switch (payment.Status)
        {
            case PaymentStatuses.Cancelled:
                return Resolved(voiding ? Success : Cancelled, "GATEWAY_CANCELLED", "Antom reports the payment cancelled");
            case PaymentStatuses.Fail:
                return voiding
                    ? Exception(Contradiction, "the terminal voided a sale it had as paid, but Antom reports the payment failed")
                    : Resolved(Failed, "GATEWAY_NOT_PAID", "Antom reports the payment failed");
            case PaymentStatuses.Success when !abandoned:
                return Resolved(Success, "GATEWAY_CONFIRMED", "Antom reports the payment paid");
        }
        if (!abandoned) return Waiting(item, $"Antom has no final status yet (payment {payment.Status})");
        return await UndoAsync(item, payment, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Antom's rule for a payment its terminal gave up: the customer must not pay for goods not handed over, so the payment
    /// is cancelled (also one not final yet: after a cancel it can no longer complete); when Antom answers
    /// CANCEL_WINDOW_EXCEED, a paid payment is refunded in full instead (docs/antom-protocol.md 3.4, 3.5).
    /// </summary>
    private async Task<ItemOutcome> UndoAsync(ResolutionItem item, PaymentRecord payment, CancellationToken ct)
    {
        bool voiding = item.Kind == Void;
        var cancel = await resolver.RunStepAsync(new ResolutionStep(StateSubject.Payment, payment.PaymentRequestId, DeviceOperations.Cancel,
            AntomJson.Serialize(new JsonObject { ["paymentRequestId"] = payment.PaymentRequestId }), "abandoned"), ct).ConfigureAwait(false);
        if (cancel.Applied?.Status == PaymentStatuses.Cancelled)
        {
            return Resolved(voiding ? Success : Cancelled, "GATEWAY_CANCELLED",
                payment.Status == PaymentStatuses.Success ? "the terminal gave up a payment Antom had completed: cancelled, the money returns to the customer"
                    : $"the terminal gave up the payment ({payment.Status} at Antom): cancelled, it cannot complete any more", cancel.StepId);
        }
        if (!cancel.Answered) return Waiting(item, $"cancel: {cancel.Outcome}", cancel.StepId);
        string? code = cancel.Answer.ResultCode;
        if (cancel.Answer.ResultStatus == "F" && code == "CANCEL_WINDOW_EXCEED" && payment.Status == PaymentStatuses.Success)
            return await RefundInFullAsync(item, payment, ct).ConfigureAwait(false);
        if (cancel.Answer.ResultStatus == "F" && code is "ORDER_NOT_EXIST" or "PAYMENT_NOT_EXIST" && payment.Status == PaymentStatuses.Pending)
        {
            return voiding
                ? Exception(Contradiction, "the terminal voided a sale it had as paid, but Antom does not know the payment", cancel.StepId)
                : Resolved(Failed, "GATEWAY_NOT_PAID", "Antom does not know the payment (it never arrived): nothing to cancel", cancel.StepId);
        }
        if (cancel.Answer.ResultStatus == "F" && code is not ("ORDER_STATUS_INVALID" or "PROCESS_FAIL" or "SYSTEM_ERROR"))
            return Exception(Refused, $"Antom refused the cancel of an abandoned payment: {code}", cancel.StepId);
        // U, or a refusal that may pass once the payment's status settles: asked again later.
        return Waiting(item, $"cancel answered {cancel.Answer.ResultStatus}/{code}", cancel.StepId);
    }

    private async Task<ItemOutcome> RefundInFullAsync(ResolutionItem item, PaymentRecord payment, CancellationToken ct)
    {
        if (payment.PaymentId == null) return Waiting(item, "the cancel window has passed, and the payment's paymentId is not known yet for a refund");
        // One refund id per payment: a refund sent again (after a lost answer, or by another instance) is the same refund at Antom.
        string refundRequestId = GatewayRefundId(payment.PaymentRequestId);
        long now = Now;
        // No repair-pass check: this item owns the refund and asks again itself until it is final.
        var refund = await store.ReserveRefundAsync(new RefundRecord(refundRequestId, payment.DeviceId, payment.PaymentId, payment.Currency, payment.AmountMinor, null,
            PaymentStatuses.Pending, now, now), null, ct).ConfigureAwait(false);
        if (refund.Status == PaymentStatuses.Success)
            return Resolved(item.Kind == Void ? Success : Cancelled, "GATEWAY_REFUNDED", $"refunded in full ({refundRequestId})");
        var body = new JsonObject
        {
            ["refundRequestId"] = refundRequestId,
            ["paymentId"] = payment.PaymentId,
            ["refundAmount"] = new JsonObject { ["currency"] = payment.Currency, ["value"] = payment.AmountMinor.ToString(CultureInfo.InvariantCulture) },
            ["refundReason"] = "abandoned by the terminal; cancel window passed",
        };
        var step = await resolver.RunStepAsync(new ResolutionStep(StateSubject.Refund, refundRequestId, DeviceOperations.Refund, AntomJson.Serialize(body), "abandoned"), ct)
            .ConfigureAwait(false);
        if (step.Applied?.Status == PaymentStatuses.Success)
        {
            return Resolved(item.Kind == Void ? Success : Cancelled, "GATEWAY_REFUNDED",
                $"the terminal gave up a payment Antom had completed; the cancel window had passed: refunded in full ({refundRequestId})", step.StepId);
        }
        if (step.Applied?.Status == PaymentStatuses.Fail)
            return Exception(Refused, $"Antom refused the refund of an abandoned payment: {step.Answer.ResultCode}", step.StepId);
        return Waiting(item, $"refund {refundRequestId}: {(step.Answered ? step.Answer.ResultStatus + "/" + step.Answer.ResultCode : step.Outcome)}", step.StepId);
    }

    /// <summary>The gateway's own refundRequestId for refunding a payment in full (at most 64 characters, as Antom allows).</summary>
    public static string GatewayRefundId(string paymentRequestId) =>
        "GWR-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(paymentRequestId)))[..40];

    private async Task<ItemOutcome> RefundOutcomeAsync(ResolutionItem item, CancellationToken ct)
    {
        var refund = await store.FindRefundAsync(item.RequestId, null, ct).ConfigureAwait(false);
        if (refund == null) return await UnknownAsync(item, StateSubject.Refund, ct).ConfigureAwait(false);
        if (refund.DeviceId != item.DeviceId)
            return Exception(UnknownReference, $"the refund belongs to device {refund.DeviceId}, not to the device that reported it");
        refund = await resolver.ResolveRefundAsync(item.RequestId, "queue", ct).ConfigureAwait(false) ?? refund;
        switch (refund.Status)
        {
            case PaymentStatuses.Success:
                return Resolved(Success, "GATEWAY_CONFIRMED", "Antom reports the refund done");
            case PaymentStatuses.Fail:
                return Resolved(Failed, "GATEWAY_FAILED", "Antom reports the refund failed");
            case PaymentStatuses.Pending:
                // Never acknowledged by Antom, and its inquiry (just now, no device request in flight) says Antom does not know it:
                // the refund never got through, so nothing was refunded.
                var inquiry = (await store.StepsOfAsync(StateSubject.Refund, item.RequestId, ct).ConfigureAwait(false))
                    .LastOrDefault(s => s.Operation == DeviceOperations.InquiryRefund && s.UpstreamOutcome == UpstreamOutcomes.Ok);
                if (inquiry is { ResultStatus: "F" } && NotKnown(inquiry.ResultCode))
                    return Resolved(Failed, "GATEWAY_FAILED", "Antom does not know the refund: it never got through", inquiry.Id);
                break;
        }
        return Waiting(item, $"Antom has no final status yet (refund {refund.Status})");
    }

    /// <summary>Antom's answers to an inquiry about something it never received.</summary>
    private static bool NotKnown(string? resultCode) => resultCode is "ORDER_NOT_EXIST" or "PAYMENT_NOT_EXIST" or "REFUND_NOT_EXIST";

    /// <summary>
    /// A transaction a terminal reported that this gateway has no record of: Antom is asked (an inquiry step). If Antom
    /// does not know it either, the request never got through and nothing was paid or refunded; if Antom knows it, the
    /// gateway cannot tell whose it is, and an operator must look.
    /// </summary>
    private async Task<ItemOutcome> UnknownAsync(ResolutionItem item, StateSubject subject, CancellationToken ct)
    {
        var inquiry = Resolver.InquiryOf(subject, item.RequestId, "queue");
        var step = await resolver.RunStepAsync(inquiry, ct).ConfigureAwait(false);
        if (!step.Answered) return Waiting(item, $"not in the gateway's records; {inquiry.Operation}: {step.Outcome}", step.StepId);
        if (step.Answer.ResultStatus == "F" && NotKnown(step.Answer.ResultCode))
        {
            if (item.Kind == Void)
                return Exception(Contradiction, "the terminal voided a sale neither the gateway nor Antom knows", step.StepId);
            return Resolved(Failed, item.Kind == Refund ? "GATEWAY_FAILED" : "GATEWAY_NOT_PAID",
                "neither the gateway nor Antom knows it: the request never got through", step.StepId);
        }
        if (step.Answer.ResultStatus == "S")
            return Exception(UnknownReference, $"Antom knows this {item.Kind} but the gateway has no record of it from this device", step.StepId);
        return Waiting(item, $"not in the gateway's records; {inquiry.Operation} answered {step.Answer.ResultStatus}/{step.Answer.ResultCode}", step.StepId);
    }

    private ItemOutcome Waiting(ResolutionItem item, string detail, string? stepId = null)
    {
        long pause = Math.Min(StaleAfterMs << Math.Min(Math.Max(item.Attempts - 1, 0), 20), (long)Resolver.LongestPause.TotalMilliseconds);
        return new ItemOutcome(ResolutionStates.Open, Now + pause, null, null, null, detail, stepId);
    }

    private static ItemOutcome Resolved(string status, string resultCode, string detail, string? stepId = null) =>
        new(ResolutionStates.Resolved, null, status, resultCode, null, detail, stepId);

    private static ItemOutcome Exception(string exception, string detail, string? stepId = null) =>
        new(ResolutionStates.Exception, null, null, null, exception, detail, stepId);

    // ================================================================ operators

    /// <summary>
    /// An operator's "try again now" (admin API; audited with <paramref name="by"/> and <paramref name="note"/>): an
    /// exception goes back into the queue with a fresh give-up time, and this instance works on it at once.
    /// </summary>
    public async Task<OperatorResult> RetryAsync(string itemId, string by, string note, CancellationToken ct = default)
    {
        long now = Now;
        var (item, changed) = await store.ReopenItemAsync(itemId, by, note, now, now + GiveUpAfterMs, ct).ConfigureAwait(false);
        if (item == null) return new OperatorResult(null, false);
        if (!changed) return new OperatorResult(item, false);
        log.LogInformation("resolution item {ItemId}: retried by {By} ({Note})", itemId, by, note);
        foreach (var claimed in await store.ClaimDueItemsAsync(settings.InstanceName, now, now + StaleAfterMs, 1, itemId, ct).ConfigureAwait(false))
            await WorkAsync(claimed, ct).ConfigureAwait(false);
        return new OperatorResult(await store.FindItemAsync(itemId, ct).ConfigureAwait(false), true);
    }

    /// <summary>
    /// An operator closes an open item or an exception with the final status they established (e.g. in Antom's merchant
    /// portal), a note and their name: the terminal gets that status with OPERATOR_CLOSED. The payment's own state is not
    /// touched: it moves only on Antom's word.
    /// </summary>
    public async Task<OperatorResult> CloseAsync(string itemId, string by, string note, string status, CancellationToken ct = default)
    {
        if (!FinalStatuses.Contains(status)) throw new ArgumentException("status: SUCCESS, FAILED or CANCELLED");
        var (item, changed) = await store.CloseItemAsync(itemId, by, note, status, Now, ct).ConfigureAwait(false);
        if (changed) log.LogInformation("resolution item {ItemId}: closed as {Status} by {By} ({Note})", itemId, status, by, note);
        return new OperatorResult(item, changed);
    }
}

/// <summary>An operator's action on an item: the item afterwards (null if there is none) and whether the action applied.</summary>
public sealed record OperatorResult(ResolutionItem? Item, bool Applied);
