using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// Resolves device requests a crash left pending (docs/gateway.md, "After a crash"), at start-up and every
/// <c>Gateway:Recovery:IntervalSeconds</c>. A transaction counts as stale when it is still pending
/// <c>Gateway:Recovery:StaleAfterSeconds</c> after it was received: no live request takes that long (the upstream
/// deadline is shorter), so its instance died. Each is claimed with a lease (<see cref="GatewayStore.ClaimStaleAsync"/>,
/// safe with several instances on one database), then:
/// <list type="bullet">
/// <item>no upstream attempt recorded (attempts are recorded before they are sent): nothing reached Antom; the replay
/// key is released, so the same signed request sent again is executed as new;</item>
/// <item>otherwise Antom is asked (inquiryPayment, or inquiryRefund for refunds), the payment or refund state is
/// updated, and the record completes with <see cref="ResolvedAnswers"/>; a replay waiting for it is woken;</item>
/// <item>Antom unreachable: tried again later, the pause doubling from StaleAfterSeconds up to an hour.</item>
/// </list>
/// Nothing is ever re-sent: a pay whose answer was lost is never paid again.
/// </summary>
public sealed class PendingResolver(GatewaySettings settings, GatewayStore store, AntomClient antom, ReplayWaiters waiters, ILogger<PendingResolver> log)
    : BackgroundService
{
    private const int Batch = 100;
    private static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    private long Now => settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.Options.Recovery.IntervalSeconds));
        do
        {
            try
            {
                await ResolveDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                log.LogWarning(e, "resolving pending requests failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Claims and resolves every stale pending transaction now; returns how many were claimed.</summary>
    public async Task<int> ResolveDueAsync(CancellationToken ct = default)
    {
        long staleAfter = settings.Options.Recovery.StaleAfterSeconds * 1000L;
        int claimed = 0;
        while (!ct.IsCancellationRequested)
        {
            long now = Now;
            var due = await store.ClaimStaleAsync(settings.InstanceName, now - staleAfter, now, now + staleAfter, Batch, ct).ConfigureAwait(false);
            claimed += due.Count;
            foreach (var record in due) await ResolveAsync(record, staleAfter, ct).ConfigureAwait(false);
            if (due.Count < Batch) break;
        }
        return claimed;
    }

    private async Task ResolveAsync(TransactionRecord record, long staleAfter, CancellationToken ct)
    {
        if (record.UpstreamSentAt == null)
        {
            await store.ReleaseUnsentAsync(record.Id, "gateway stopped before sending to Antom; replay key released, the same request is executed when sent again", Now, ct)
                .ConfigureAwait(false);
            log.LogInformation("pending {Operation} of device {DeviceId} (transaction {TransactionId}) was never sent to Antom: released", record.Operation, record.DeviceId, record.Id);
            return;
        }

        var request = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(record.DeviceRequestBody));
        bool refund = record.Operation is DeviceOperations.Refund or DeviceOperations.InquiryRefund;
        string inquiryOperation = refund ? DeviceOperations.InquiryRefund : DeviceOperations.InquiryPayment;
        var query = refund
            ? Identify("refundRequestId", record.RefundRequestId, "refundId", AntomJson.Str(request, "refundId"))
            : Identify("paymentRequestId", record.PaymentRequestId, "paymentId", record.PaymentId ?? AntomJson.Str(request, "paymentId"));
        if (query == null)
        {
            await CompleteAsync(record, AntomJson.Result("U", ResultCodes.UnknownException, "gateway: restarted while this request was in flight; inquire"), "no id to inquire by", ct)
                .ConfigureAwait(false);
            return;
        }

        var upstream = await antom.SendAsync(inquiryOperation, DeviceOperations.Paths[inquiryOperation], AntomJson.Serialize(query), ct).ConfigureAwait(false);
        if (upstream.Outcome != UpstreamOutcomes.Ok)
        {
            long pause = Math.Min(staleAfter << Math.Min(record.ResolveAttempts - 1, 20), (long)LongestPause.TotalMilliseconds);
            await store.PostponeResolutionAsync(record.Id, Now + pause, ct).ConfigureAwait(false);
            log.LogWarning("pending {Operation} (transaction {TransactionId}) not resolved: {Inquiry} {Outcome}; next try in {Seconds} s",
                record.Operation, record.Id, inquiryOperation, upstream.Outcome, pause / 1000);
            return;
        }

        var inquiry = AntomJson.TryParseObject(System.Text.Encoding.UTF8.GetBytes(upstream.Body!));
        await RememberAsync(record, refund, inquiry, ct).ConfigureAwait(false);
        string answer = ResolvedAnswers.For(record.Operation, request, inquiry, upstream.Body!);
        string status = AntomJson.Str(inquiry, refund ? "refundStatus" : "paymentStatus") ?? AntomJson.Str(inquiry, "result", "resultCode") ?? "?";
        await CompleteAsync(record, answer, $"resolved after a restart by {inquiryOperation}: {status}", ct).ConfigureAwait(false);
    }

    private async Task CompleteAsync(TransactionRecord record, string answer, string detail, CancellationToken ct)
    {
        var (status, code) = AntomJson.ReadResult(answer);
        string? key = await store.CompleteResolvedAsync(record.Id, answer, status, code, detail, Now, ct).ConfigureAwait(false);
        if (key != null) waiters.Completed(key);
        log.LogInformation("pending {Operation} of device {DeviceId} (transaction {TransactionId}) {Detail}; answer {ResultStatus}/{ResultCode}",
            record.Operation, record.DeviceId, record.Id, detail, status, code);
    }

    /// <summary>What the inquiry taught about the payment or refund (best effort, as for live answers).</summary>
    private async Task RememberAsync(TransactionRecord record, bool refund, JsonObject? inquiry, CancellationToken ct)
    {
        if (AntomJson.Str(inquiry, "result", "resultStatus") != "S") return;
        try
        {
            if (refund && record.RefundRequestId != null)
                await store.UpdateRefundAsync(record.RefundRequestId, AntomJson.Str(inquiry, "refundId"), DeviceOperations.KnownStatus(AntomJson.Str(inquiry, "refundStatus")), Now, ct).ConfigureAwait(false);
            else if (!refund && AntomJson.Str(inquiry, "paymentRequestId") is { } paymentRequestId)
                await store.UpdatePaymentAsync(paymentRequestId, AntomJson.Str(inquiry, "paymentId"), DeviceOperations.KnownStatus(AntomJson.Str(inquiry, "paymentStatus")), Now, ct).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            log.LogError(e, "could not record the payment/refund state learnt while resolving transaction {TransactionId}", record.Id);
        }
    }

    private static JsonObject? Identify(string requestIdName, string? requestId, string idName, string? id) =>
        !string.IsNullOrEmpty(requestId) ? new JsonObject { [requestIdName] = requestId }
        : !string.IsNullOrEmpty(id) ? new JsonObject { [idName] = id }
        : null;
}
