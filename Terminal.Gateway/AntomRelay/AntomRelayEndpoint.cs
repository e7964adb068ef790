using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The Antom relay's handler for the five Antom paths (route group <see cref="DeviceRouteGroups.MapAntomRelay"/>),
/// behind the shared <see cref="DeviceGate"/>: answer replays from the record, record the request, run the
/// operation, record the outcome. The gate signs the answer. Every request gets an Antom answer, whatever the database
/// does (docs/gateway.md, "Database outages"): when the request cannot be recorded nothing is sent and the device is
/// told to send it again; when the outcome cannot be stored it is kept (<see cref="UnsavedAnswers"/>) and stored when
/// the database is back, and the device gets the real answer meanwhile.
/// </summary>
public sealed class AntomRelayEndpoint(GatewaySettings settings, DeviceOperations operations, GatewayStore store, ReplayWaiters waiters, UnsavedAnswers unsaved,
    GatewayMetrics metrics, ILogger<AntomRelayEndpoint> log)
{
    /// <summary>First and longest pause between database checks of a waiting replay (doubling in between).</summary>
    private static readonly TimeSpan FirstRecheck = TimeSpan.FromMilliseconds(25), LongestRecheck = TimeSpan.FromSeconds(1);

    public async Task<DeviceAnswer> HandleAsync(DeviceRequest request)
    {
        string operation = request.Operation;
        var device = request.Device;
        byte[] body = request.Body;
        string path = request.Path;
        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        string replayKey;
        using (var content = SignContent.Rent(path, device.DeviceId, request.RequestTime.ToString(CultureInfo.InvariantCulture), body))
            replayKey = settings.DataKeys.ReplayKey(content.Span);
        string? paymentRequestId = RequestJson.Str(body, "paymentRequestId"), refundRequestId = RequestJson.Str(body, "refundRequestId"),
            paymentId = RequestJson.Str(body, "paymentId");
        string? requestId = paymentRequestId ?? refundRequestId;

        // A copy of a request whose answer is still waiting for the database (on this instance) gets that answer.
        if (unsaved.AnswerFor(replayKey) is { } kept) return new DeviceAnswer(kept, Replayed: true, requestId, "replayed");

        string transactionId = Guid.NewGuid().ToString("N");
        // A replay key must outlive every Request-Time that could still pass the window check.
        long expiresAt = Math.Max(now, request.RequestTime) + 2 * (long)settings.RequestTimeWindow.TotalMilliseconds;
        // The operation's first database step, and its first upstream attempt where it can, go with the claim: a pay or an
        // inquiry makes three round trips (device, claim, completion).
        var storedBody = PaymentCodes.ForStorageUtf8(body);
        var firstStep = operations.FirstStep(operation, device, body, storedBody, paymentRequestId, paymentId, now);
        ReplayClaim claim;
        try
        {
            claim = await store.ClaimAsync(replayKey, expiresAt, new NewTransaction(transactionId, device.DeviceId, operation, path, request.RequestTime, now,
                paymentRequestId, paymentId, refundRequestId,
                storedBody, settings.InstanceName), firstStep).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not recorded, so not executed: the same signed request is executed when sent again. Should the claim have
            // committed after all (its answer was lost), the record is released once the database answers: this process
            // knows nothing was sent, even if the claim recorded the first attempt.
            metrics.RecordDatabaseFault("claim");
            unsaved.KeepRelease(transactionId, replayKey, "the gateway lost the answer to the record of the request; nothing was sent");
            log.LogWarning("device request {Operation} (transaction {TransactionId}) could not be recorded ({Error}); answered U, nothing sent", operation, transactionId, e.Message);
            return new DeviceAnswer(OperationResult.NothingSent("the database did not take the record of the request").ResponseBody, Replayed: false, requestId, UpstreamOutcomes.NotSent);
        }

        if (!claim.Claimed)
        {
            string recorded = claim.RecordedResponse ?? await WaitForRecordAsync(replayKey).ConfigureAwait(false)
                ?? AntomJson.Result("U", ResultCodes.UnknownException, "gateway: the same request is still being processed; retry later");
            return new DeviceAnswer(recorded, Replayed: true, requestId, "replayed");
        }

        long staleAfterMs = settings.Options.Recovery.StaleAfterSeconds * 1000L;
        // The first attempt may have been recorded with the claim (ClaimRider.Attempt): it may be sent from then on.
        bool firstRecorded = firstStep is { RecordedFirstAttempt: true };
        bool attempted = firstRecorded;
        OperationResult result;
        try
        {
            result = await operations.ExecuteAsync(operation, device, body, CancellationToken.None, async (storedBody, sentAt, attempt) =>
            {
                if (attempt == 1 && firstRecorded) return true;
                bool mayAttempt = await store.RecordUpstreamAttemptAsync(transactionId, storedBody, sentAt, attempt, sentAt + staleAfterMs).ConfigureAwait(false);
                attempted |= mayAttempt;
                return mayAttempt;
            }, firstStep).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (GatewayDatabase.IsUnavailable(e)) metrics.RecordDatabaseFault("execute");
            log.LogError(e, "device request {Operation} failed inside the gateway (transaction {TransactionId})", operation, transactionId);
            result = attempted
                ? new OperationResult(AntomJson.Result("U", ResultCodes.UnknownException, "gateway: internal error; the result is unknown, inquire later"),
                    UpstreamOutcomes.TransportError, null, "gateway exception: " + e.GetType().Name)
                : OperationResult.NothingSent("gateway exception before sending: " + e.GetType().Name);
        }

        if (result.Release)
        {
            await unsaved.ReleaseAsync(transactionId, replayKey, result.Detail ?? "not sent").ConfigureAwait(false);
            return new DeviceAnswer(result.ResponseBody, Replayed: false, requestId, result.UpstreamOutcome);
        }
        var (status, code) = AntomJson.ReadResult(result.ResponseBody);
        long respondedAt = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var u = result.Upstream;
        var completion = new TransactionCompletion(result.StoredUpstreamBody, u?.SentAt, u?.CompletedAt, u?.Attempts ?? 0,
            result.UpstreamOutcome, u?.HttpStatus, result.Detail, result.ResponseBody, status, code, respondedAt);
        if (await unsaved.CompleteAsync(transactionId, replayKey, completion, result.Fact).ConfigureAwait(false) == null) metrics.RecordDatabaseFault("complete");
        return new DeviceAnswer(result.ResponseBody, Replayed: false, requestId, result.UpstreamOutcome);
    }

    /// <summary>
    /// Another request (maybe on another instance) holds the replay key: wait for its answer, up to the longest time an
    /// upstream call may take. Woken at once when the record completes in this process; otherwise the database is
    /// checked after 25 ms, 50 ms, ... up to once a second. Null when no answer came in time; "nothing was sent" (U) when the
    /// key was released (the request it waited for never reached Antom).
    /// </summary>
    private async Task<string?> WaitForRecordAsync(string replayKey)
    {
        var waited = Stopwatch.StartNew();
        var limit = TimeSpan.FromMilliseconds(settings.Options.Antom.TotalTimeoutMs + 2_000);
        var signal = waiters.WhenCompleted(replayKey);
        var pause = FirstRecheck;
        try
        {
            while (true)
            {
                if (unsaved.AnswerFor(replayKey) is { } kept) return kept;
                var recorded = await ReplayAnswerAsync(replayKey).ConfigureAwait(false);
                if (recorded.Body != null) return recorded.Body;
                // Released: the request this copy waited for was never sent to Antom; the copy says so at once, and the
                // same request sent again is executed as new.
                if (recorded.Gone) return OperationResult.NothingSent("the first copy was not sent").ResponseBody;
                if (signal.IsCompleted) signal = waiters.WhenCompleted(replayKey);
                var left = limit - waited.Elapsed;
                if (left <= TimeSpan.Zero) return null;
                await Task.WhenAny(signal, Task.Delay(pause < left ? pause : left)).ConfigureAwait(false);
                pause = pause * 2 < LongestRecheck ? pause * 2 : LongestRecheck;
            }
        }
        finally
        {
            waiters.GiveUp(replayKey, signal);
        }
    }

    /// <summary>What the replay key holds; "in flight" while the database cannot be read (the wait goes on).</summary>
    private async Task<ReplayAnswer> ReplayAnswerAsync(string replayKey)
    {
        try
        {
            return await store.ReplayAnswerAsync(replayKey).ConfigureAwait(false);
        }
        catch (Exception e) when (GatewayDatabase.IsUnavailable(e))
        {
            return new ReplayAnswer(false, null);
        }
    }
}
