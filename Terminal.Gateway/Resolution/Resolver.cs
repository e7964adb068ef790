using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Operations;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.Resolution;

/// <summary>
/// The resolver: brings what the gateway does not know yet about a payment or refund to what its records and Antom
/// say (docs/gateway.md, "The resolver"). One component, used three ways:
/// <list type="bullet">
/// <item>its API, for other components: <see cref="ResolvePaymentAsync"/> / <see cref="ResolveRefundAsync"/> ("resolve
/// this one now"), <see cref="RunStepAsync"/> ("record a resolution step": one call to Antom, recorded before it is
/// sent and completed with what it proved) and <see cref="IdentifyPaymentAsync"/> (which payment a paymentId is);</item>
/// <item>the stale-request pass (<see cref="ResolveStaleRequestsAsync"/>): device requests a crash left pending are
/// resolved by inquiry, so the same signed request sent again gets an answer (<see cref="ResolvedAnswers"/>);</item>
/// <item>the repair pass (<see cref="RepairDueAsync"/>): open payments and refunds whose check is due are settled from
/// everything recorded about them (answers, notifications, earlier steps), and asked about at Antom when the records do
/// not settle them; what stays open enters the resolution queue (<see cref="ResolutionQueue"/>).</item>
/// </list>
/// Every state change goes through <see cref="PaymentFacts"/> and the store's forward-only update, in the same database
/// transaction as the record it came from. Nothing is ever re-sent: the resolver only inquires (a pay whose answer was
/// lost is never paid again). Several instances on one database share the work through leases.
/// </summary>
public sealed class Resolver(GatewaySettings settings, GatewayStore store, AntomClient antom, ReplayWaiters waiters, GatewayMetrics metrics, ILogger<Resolver> log)
{
    private const int Batch = 100;

    /// <summary>Tries at storing a step's answer before the error goes to the caller.</summary>
    private const int StoreAttempts = 4;

    /// <summary>Longest pause between two checks of one stale request or queue item.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    private long Now => settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    private long StaleAfterMs => settings.Options.Recovery.StaleAfterSeconds * 1000L;

    // ================================================================ API

    /// <summary>
    /// Settles one payment now: applies everything recorded about it, then, if it is still open, asks Antom
    /// (inquiryPayment, recorded as a step with <paramref name="reason"/>). Returns the row afterwards (null if unknown).
    /// </summary>
    public async Task<PaymentRecord?> ResolvePaymentAsync(string paymentRequestId, string reason, CancellationToken ct = default)
    {
        var payment = await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
        if (payment == null) return null;
        await ApplyRecordsAsync(StateSubject.Payment, paymentRequestId, ct).ConfigureAwait(false);
        payment = await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
        if (payment == null || PaymentStatuses.IsFinal(payment.Status)) return payment;
        await RunStepAsync(InquiryOf(StateSubject.Payment, paymentRequestId, reason), ct).ConfigureAwait(false);
        return await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
    }

    /// <summary>The same for a refund (inquiryRefund).</summary>
    public async Task<RefundRecord?> ResolveRefundAsync(string refundRequestId, string reason, CancellationToken ct = default)
    {
        var refund = await store.FindRefundAsync(refundRequestId, null, ct).ConfigureAwait(false);
        if (refund == null) return null;
        await ApplyRecordsAsync(StateSubject.Refund, refundRequestId, ct).ConfigureAwait(false);
        refund = await store.FindRefundAsync(refundRequestId, null, ct).ConfigureAwait(false);
        if (refund == null || PaymentStatuses.IsFinal(refund.Status)) return refund;
        await RunStepAsync(InquiryOf(StateSubject.Refund, refundRequestId, reason), ct).ConfigureAwait(false);
        return await store.FindRefundAsync(refundRequestId, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one request to Antom as a resolution step: recorded before it is sent (table resolution_steps), completed
    /// with Antom's answer and what the answer proves about the payment or refund (forward-only), in one database
    /// transaction. Antom's own idempotency applies to a resent cancel or refund; the step never re-sends a pay.
    /// </summary>
    public async Task<StepResult> RunStepAsync(ResolutionStep step, CancellationToken ct = default)
    {
        if (step.Operation == DeviceOperations.Pay) throw new ArgumentException("the resolver never sends a pay", nameof(step));
        string id = Guid.NewGuid().ToString("N");
        await store.BeginStepAsync(new ResolutionStepRecord(id, GatewayStore.SubjectName(step.Subject), step.RequestId, step.TransactionId, step.Reason, step.Operation,
            step.Body, Now, UpstreamOutcomes.Pending, null, null, null, null, null, null, settings.InstanceName), ct).ConfigureAwait(false);
        var upstream = await antom.SendAsync(step.Operation, DeviceOperations.Paths[step.Operation], step.Body, ct).ConfigureAwait(false);
        var answer = upstream.Outcome == UpstreamOutcomes.Ok ? AntomAnswer.Read(upstream.Body) : default;
        var fact = upstream.Outcome == UpstreamOutcomes.Ok
            ? PaymentFacts.FromAnswer(step.Operation, step.RequestId, step.PaymentCode, answer, $"resolver {step.Operation}, step {id}")
            : null;
        // An answer about another payment than the one asked about is recorded but proves nothing here.
        if (fact != null && fact.RequestId != step.RequestId) fact = null;
        var applied = await CompleteStepAsync(id, upstream.Outcome, upstream.Body, answer, fact, ct).ConfigureAwait(false);
        metrics.RecordResolutionStep(step.Operation, step.Reason, upstream.Outcome);
        Report(fact, applied);
        return new StepResult(id, upstream.Outcome, upstream.Body, answer, applied);
    }

    /// <summary>
    /// The payment a paymentId belongs to when the gateway's rows do not carry that id yet: Antom is asked
    /// (inquiryPayment by paymentId, recorded as an <c>identify</c> step) and its answer repairs the row it names.
    /// Null when Antom does not know the id or names a payment this gateway did not make.
    /// </summary>
    public async Task<PaymentRecord?> IdentifyPaymentAsync(string paymentId, CancellationToken ct = default)
    {
        string body = AntomJson.Serialize(new JsonObject { ["paymentId"] = paymentId });
        var upstream = await antom.SendAsync(DeviceOperations.InquiryPayment, DeviceOperations.Paths[DeviceOperations.InquiryPayment], body, ct).ConfigureAwait(false);
        if (upstream.Outcome != UpstreamOutcomes.Ok) return null;
        var answer = AntomAnswer.Read(upstream.Body);
        if (answer.ResultStatus != "S" || answer.PaymentId != paymentId || answer.PaymentRequestId is not { } paymentRequestId) return null;
        var payment = await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
        if (payment == null || payment.PaymentId != null && payment.PaymentId != paymentId) return null;

        string id = Guid.NewGuid().ToString("N");
        long now = Now;
        await store.BeginStepAsync(new ResolutionStepRecord(id, "payment", paymentRequestId, null, "identify", DeviceOperations.InquiryPayment, body, now,
            UpstreamOutcomes.Pending, null, null, null, null, null, null, settings.InstanceName), ct).ConfigureAwait(false);
        var fact = PaymentFacts.FromAnswer(DeviceOperations.InquiryPayment, paymentRequestId, false, answer, $"resolver inquiryPayment, step {id}");
        var applied = await CompleteStepAsync(id, upstream.Outcome, upstream.Body, answer, fact, ct).ConfigureAwait(false);
        metrics.RecordResolutionStep(DeviceOperations.InquiryPayment, "identify", upstream.Outcome);
        Report(fact, applied);
        log.LogWarning("payment {PaymentRequestId} did not carry its paymentId; Antom named it, the record is repaired", paymentRequestId);
        return await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a step's answer and what it proved. The answer is in hand, so a database that fails for a moment (a
    /// failover, a full pool) is tried again a few times, 0.2 s, 0.4 s, 0.8 s apart; if it still fails the exception goes
    /// to the caller (the queue item stays due and asks again later) and the step row, still pending, is marked
    /// <see cref="UpstreamOutcomes.Unrecorded"/> by the next pass (<see cref="MarkUnrecordedStepsAsync"/>).
    /// </summary>
    private async Task<AppliedFact?> CompleteStepAsync(string id, string outcome, string? body, AntomAnswer answer, StateFact? fact, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await store.CompleteStepAsync(id, outcome, body, answer.ResultStatus, answer.ResultCode, fact, Now, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < StoreAttempts && GatewayDatabase.IsUnavailable(e))
            {
                log.LogWarning("step {StepId}: storing Antom's answer failed ({Error}); trying again", id, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 << (attempt - 1)), ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Marks steps still pending <c>Recovery:StaleAfterSeconds</c> after they started (longer than any call to Antom lasts)
    /// as <see cref="UpstreamOutcomes.Unrecorded"/>: their answer was lost to a database fault or a crash. Returns how many.
    /// </summary>
    public async Task<int> MarkUnrecordedStepsAsync(CancellationToken ct = default)
    {
        long now = Now;
        int n = await store.MarkUnrecordedStepsAsync(now - StaleAfterMs, now, ct).ConfigureAwait(false);
        if (n > 0) log.LogWarning("{Count} resolution steps had no stored answer (database fault or crash after the call); marked unrecorded, later steps ask again", n);
        return n;
    }

    // ================================================================ stale device requests

    /// <summary>
    /// Claims and resolves every device request still pending <c>Recovery:StaleAfterSeconds</c> after it was received
    /// (its instance died: no live request takes that long); returns how many were claimed. Without a recorded upstream
    /// attempt nothing reached Antom and the request is released (the same signed request is executed as new when it
    /// comes again); otherwise Antom is asked and the record completes with what the answer proves.
    /// </summary>
    public async Task<int> ResolveStaleRequestsAsync(CancellationToken ct = default)
    {
        int claimed = 0;
        while (!ct.IsCancellationRequested)
        {
            long now = Now;
            var due = await store.ClaimStaleAsync(settings.InstanceName, now - StaleAfterMs, now, now + StaleAfterMs, Batch, ct).ConfigureAwait(false);
            claimed += due.Count;
            foreach (var record in due) await ResolveStaleAsync(record, ct).ConfigureAwait(false);
            if (due.Count < Batch) break;
        }
        return claimed;
    }

    private async Task ResolveStaleAsync(TransactionRecord record, CancellationToken ct)
    {
        if (record.UpstreamSentAt == null)
        {
            string? released = await store.ReleaseUnsentAsync(record.Id,
                "gateway stopped before sending to Antom; replay key released, the same request is executed when sent again", Now, ct: ct).ConfigureAwait(false);
            if (released != null) waiters.Completed(released);
            log.LogInformation("pending {Operation} of device {DeviceId} (transaction {TransactionId}) was never sent to Antom: released", record.Operation, record.DeviceId, record.Id);
            return;
        }

        var request = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(record.DeviceRequestBody));
        bool refund = record.Operation is DeviceOperations.Refund or DeviceOperations.InquiryRefund;
        var subject = refund ? StateSubject.Refund : StateSubject.Payment;
        string? requestId = refund ? record.RefundRequestId : record.PaymentRequestId;
        string? antomId = refund ? AntomJson.Str(request, "refundId") : record.PaymentId ?? AntomJson.Str(request, "paymentId");
        if (requestId == null && antomId == null)
        {
            await CompleteStaleAsync(record, AntomJson.Result("U", ResultCodes.UnknownException, "gateway: restarted while this request was in flight; inquire"),
                "no id to inquire by", ct).ConfigureAwait(false);
            return;
        }

        string operation = refund ? DeviceOperations.InquiryRefund : DeviceOperations.InquiryPayment;
        string body = AntomJson.Serialize(requestId != null
            ? new JsonObject { [refund ? "refundRequestId" : "paymentRequestId"] = requestId }
            : new JsonObject { [refund ? "refundId" : "paymentId"] = antomId });
        // A step's row is keyed by the request id; an inquiry by Antom id alone records under the Antom id.
        var step = await RunStepAsync(new ResolutionStep(subject, requestId ?? antomId!, operation, body, "stale_request", record.Id), ct).ConfigureAwait(false);
        if (!step.Answered)
        {
            long pause = Math.Min(StaleAfterMs << Math.Min(record.ResolveAttempts - 1, 20), (long)LongestPause.TotalMilliseconds);
            await store.PostponeResolutionAsync(record.Id, Now + pause, ct).ConfigureAwait(false);
            log.LogWarning("pending {Operation} (transaction {TransactionId}) not resolved: {Inquiry} {Outcome}; next try in {Seconds} s",
                record.Operation, record.Id, operation, step.Outcome, pause / 1000);
            return;
        }

        var inquiry = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(step.ResponseBody!));
        string answer = ResolvedAnswers.For(record.Operation, request, inquiry, step.ResponseBody!);
        string status = (refund ? step.Answer.RefundStatus : step.Answer.PaymentStatus) ?? step.Answer.ResultCode ?? "?";
        await CompleteStaleAsync(record, answer, $"resolved after a restart by {operation}: {status}", ct).ConfigureAwait(false);
    }

    private async Task CompleteStaleAsync(TransactionRecord record, string answer, string detail, CancellationToken ct)
    {
        var (status, code) = AntomJson.ReadResult(answer);
        string? key = await store.CompleteResolvedAsync(record.Id, answer, status, code, detail, Now, ct).ConfigureAwait(false);
        if (key != null) waiters.Completed(key);
        log.LogInformation("pending {Operation} of device {DeviceId} (transaction {TransactionId}) {Detail}; answer {ResultStatus}/{ResultCode}",
            record.Operation, record.DeviceId, record.Id, detail, status, code);
    }

    // ================================================================ the repair pass

    /// <summary>
    /// Settles every open payment and refund whose check is due (claimed with a lease, so instances share the work):
    /// first from the records, then by asking Antom. One that stays open enters the resolution queue
    /// (<see cref="ResolutionQueue"/>), which asks again with a backoff and applies Antom's rule; the repair pass does
    /// not visit it again. Returns how many were visited.
    /// </summary>
    public async Task<int> RepairDueAsync(CancellationToken ct = default)
    {
        int visited = 0;
        while (!ct.IsCancellationRequested)
        {
            long now = Now;
            var payments = await store.ClaimDuePaymentsAsync(now, now + StaleAfterMs, Batch, ct).ConfigureAwait(false);
            foreach (var p in payments)
                await RepairAsync(StateSubject.Payment, p.PaymentRequestId, p.DeviceId, p.CancelForwardedAt != null, ct).ConfigureAwait(false);
            var refunds = await store.ClaimDueRefundsAsync(now, now + StaleAfterMs, Batch, ct).ConfigureAwait(false);
            foreach (var r in refunds) await RepairAsync(StateSubject.Refund, r.RefundRequestId, r.DeviceId, false, ct).ConfigureAwait(false);
            visited += payments.Count + refunds.Count;
            if (payments.Count < Batch && refunds.Count < Batch) break;
        }
        return visited;
    }

    private async Task RepairAsync(StateSubject subject, string requestId, string deviceId, bool cancelForwarded, CancellationToken ct)
    {
        string? status = await ApplyRecordsAsync(subject, requestId, ct).ConfigureAwait(false);
        string? detail = null;
        if (!PaymentStatuses.IsFinal(status))
        {
            var inquiry = InquiryOf(subject, requestId, "repair");
            var step = await RunStepAsync(inquiry, ct).ConfigureAwait(false);
            status = step.Applied?.Status ?? status;
            detail = step.Answered ? $"{inquiry.Operation} answered {step.Answer.ResultStatus}/{step.Answer.ResultCode}" : $"{inquiry.Operation}: {step.Outcome}";
        }
        if (PaymentStatuses.IsFinal(status))
        {
            metrics.RecordRepair(subject, "settled");
            return;
        }
        long now = Now;
        // A payment whose cancel was forwarded was given up by its terminal: Antom's rule for abandoned payments applies.
        await store.EnterResolutionAsync(new NewResolutionItem(Guid.NewGuid().ToString("N"), deviceId, subject == StateSubject.Payment ? "sale" : "refund", requestId,
            ResolutionQueue.NoFinalAnswer, cancelForwarded, now, now + StaleAfterMs, now + (long)settings.Options.Recovery.GiveUpAfterHours * 3_600_000, settings.InstanceName,
            $"still {status} after the repair pass: {detail}"), ct).ConfigureAwait(false);
        await store.ScheduleCheckAsync(subject, requestId, null, ct).ConfigureAwait(false);
        metrics.RecordRepair(subject, "queued");
    }

    /// <summary>
    /// Applies every fact the records hold about one payment or refund, oldest first: answers of device requests that
    /// came from Antom (or were built from its verified messages), recorded notifications, completed steps. Returns the
    /// status afterwards (null if there is no row).
    /// </summary>
    private async Task<string?> ApplyRecordsAsync(StateSubject subject, string requestId, CancellationToken ct)
    {
        var facts = new List<StateFact>();
        bool payment = subject == StateSubject.Payment;
        foreach (var t in await store.AnsweredTransactionsAsync(payment ? requestId : null, payment ? null : requestId, ct).ConfigureAwait(false))
        {
            if (t.UpstreamOutcome is not (UpstreamOutcomes.Ok or UpstreamOutcomes.Resolved or UpstreamOutcomes.FromNotification)) continue;
            // from_notification answers are inquiry answers; resolved answers have the shape of the operation's own.
            bool paymentCode = t.Operation == DeviceOperations.Pay
                && AntomJson.Str(AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(t.DeviceRequestBody)), "paymentFactor", "inStorePaymentScenario") == "PaymentCode";
            var fact = PaymentFacts.FromAnswer(t.Operation, requestId, paymentCode, AntomAnswer.Read(t.ResponseBody), $"{t.Operation} answer, transaction {t.Id} (repair)");
            if (fact != null && fact.Subject == subject && fact.RequestId == requestId) facts.Add(fact);
        }
        if (payment)
        {
            foreach (var n in await store.NotificationsOfAsync(requestId, ct).ConfigureAwait(false))
            {
                var fact = PaymentFacts.FromNotification(AntomAnswer.Read(n.Body), $"notification {n.NotificationKey} (repair)");
                if (fact != null) facts.Add(fact);
            }
        }
        foreach (var s in await store.StepsOfAsync(subject, requestId, ct).ConfigureAwait(false))
        {
            if (s.LearntAntomId != null || s.LearntStatus != null)
                facts.Add(new StateFact(subject, requestId, s.LearntAntomId, s.LearntStatus, $"resolver {s.Operation}, step {s.Id} (repair)"));
        }

        string? status = null;
        foreach (var fact in facts)
        {
            var applied = await store.ApplyFactAsync(fact, Now, ct).ConfigureAwait(false);
            Report(fact, applied);
            status = applied?.Status ?? status;
        }
        if (status == null)
        {
            status = payment
                ? (await store.FindPaymentAsync(requestId, null, ct).ConfigureAwait(false))?.Status
                : (await store.FindRefundAsync(requestId, null, ct).ConfigureAwait(false))?.Status;
        }
        return status;
    }

    internal static ResolutionStep InquiryOf(StateSubject subject, string requestId, string reason) => subject == StateSubject.Payment
        ? new ResolutionStep(subject, requestId, DeviceOperations.InquiryPayment, AntomJson.Serialize(new JsonObject { ["paymentRequestId"] = requestId }), reason)
        : new ResolutionStep(subject, requestId, DeviceOperations.InquiryRefund, AntomJson.Serialize(new JsonObject { ["refundRequestId"] = requestId }), reason);

    /// <summary>A fact that contradicted a final status (SUCCESS against FAIL) is an error to look at; the row kept its status.</summary>
    internal void Report(StateFact? fact, AppliedFact? applied)
    {
        if (fact == null || applied == null) return;
        if (applied.Contradicted)
        {
            metrics.RecordStateConflict(fact.Subject);
            log.LogError("{Subject} {RequestId}: {Source} says {Status}, but {Recorded} was recorded before; the record keeps {Recorded}",
                GatewayStore.SubjectName(fact.Subject), fact.RequestId, fact.Source, fact.Status, applied.Status, applied.Status);
        }
        if (fact.AntomId != null && applied.AntomId != fact.AntomId)
            log.LogError("{Subject} {RequestId}: could not record Antom id {AntomId} from {Source}: the record holds {Recorded} (the id belongs to another record, or a first one stays)",
                GatewayStore.SubjectName(fact.Subject), fact.RequestId, fact.AntomId, fact.Source, applied.AntomId ?? "none");
    }
}
