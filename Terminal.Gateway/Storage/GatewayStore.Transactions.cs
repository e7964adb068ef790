using System.Data.Common;
using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.Storage;

/// <summary>Replay keys and the record of each device request (transactions).</summary>
public sealed partial class GatewayStore
{
    private long _recordedResponseReads;

    /// <summary>How often <see cref="RecordedResponseAsync"/> went to the database (waiting replays; tests and metrics).</summary>
    internal long RecordedResponseReads => Interlocked.Read(ref _recordedResponseReads);

    /// <summary>
    /// Claims <paramref name="replayKey"/> and records the request in one transaction. If the key exists (the same
    /// signed request was seen before), nothing is written and the recorded answer is returned instead (null while the
    /// first request is still being processed, possibly by another instance).
    /// </summary>
    /// <param name="rider">The operation's first database step, run in the same round trip and transaction when the
    /// claim is made (<see cref="ClaimRider.Ran"/>).</param>
    public async Task<ReplayClaim> ClaimAsync(string replayKey, long expiresAt, NewTransaction t, ClaimRider? rider = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var parameters = new (string, object?)[ClaimParameterCount + (rider?.ParameterCount ?? 0)];
        parameters[0] = ("k", replayKey);
        parameters[1] = ("d", t.DeviceId);
        parameters[2] = ("id", t.Id);
        parameters[3] = ("now", t.ReceivedAt);
        parameters[4] = ("exp", expiresAt);
        parameters[5] = ("op", t.Operation);
        parameters[6] = ("path", t.RequestPath);
        parameters[7] = ("rt", t.RequestTime);
        parameters[8] = ("prid", t.PaymentRequestId);
        parameters[9] = ("pid", t.PaymentId);
        parameters[10] = ("rrid", t.RefundRequestId);
        parameters[11] = ("body", t.DeviceRequestBody);
        parameters[12] = ("outcome", UpstreamOutcomes.Pending);
        parameters[13] = ("inst", t.Instance);
        rider?.WriteParameters(parameters.AsSpan(ClaimParameterCount));
        // One atomic round trip: the transaction row is written only if this request's id now owns the replay key; when
        // it does not, the same command reads the answer recorded for the key.
        ReplayClaim? claim = null;
        await database.BatchAsync(connection, rider?.ClaimSql ?? ClaimSql, r =>
        {
            if (r.GetName(0) == "transaction_id") claim = r.GetString(0) == t.Id ? ReplayClaim.New : new ReplayClaim(false, Sql.Text(r, 1));
            else rider!.Read(r);
        }, parameters).ConfigureAwait(false);
        if (rider != null) rider.Ran = claim is { Claimed: true };
        // No row: the key was purged between the statements (it had expired); the request is not executed.
        return claim ?? new ReplayClaim(false, null);
    }

    private const int ClaimParameterCount = 14;

    /// <summary>The claim of a replay key and the record of the request (parameters above): <see cref="KeyClaimSql"/>, the
    /// record's insert, <see cref="KeyReadSql"/>. A <see cref="ClaimRider"/>'s statements may follow, or go between the
    /// key's claim and the record (<see cref="ClaimRider"/>), and check the claim with @k and @id.</summary>
    internal const string ClaimSql =
        KeyClaimSql + "; INSERT INTO transactions (" + ClaimedColumns + ") SELECT " + ClaimedValues + " WHERE " + ClaimedSql + "; " + KeyReadSql;

    /// <summary>The replay key taken for this request (@id) unless it exists.</summary>
    internal const string KeyClaimSql =
        "INSERT INTO idempotency_keys (replay_key, device_id, transaction_id, created_at, expires_at) VALUES (@k, @d, @id, @now, @exp) ON CONFLICT (replay_key) DO NOTHING";

    /// <summary>The request's record as the claim writes it: its columns and their values.</summary>
    internal const string ClaimedColumns =
        "id, device_id, operation, request_path, request_time, received_at, payment_request_id, payment_id, refund_request_id, device_request_body, upstream_outcome, instance";

    internal const string ClaimedValues = "@id, @d, @op, @path, @rt, @now, @prid, @pid, @rrid, @body, @outcome, @inst";

    /// <summary>Who holds the replay key, and its recorded answer.</summary>
    internal const string KeyReadSql = "SELECT transaction_id, response_body FROM idempotency_keys WHERE replay_key = @k";

    /// <summary>True when this request (@id) owns the replay key (@k).</summary>
    internal const string ClaimedSql = "EXISTS (SELECT 1 FROM idempotency_keys WHERE replay_key = @k AND transaction_id = @id)";

    /// <summary>Reads the recorded answer of a replay key (null while still in flight, or when the key was released).</summary>
    public async Task<string?> RecordedResponseAsync(string replayKey, CancellationToken ct = default) =>
        (await ReplayAnswerAsync(replayKey, ct).ConfigureAwait(false)).Body;

    /// <summary>The recorded answer of a replay key, or that there is none yet, or that the key is gone: released (the
    /// request was never sent, the same request is executed as new when it comes again) or expired.</summary>
    public async Task<ReplayAnswer> ReplayAnswerAsync(string replayKey, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _recordedResponseReads);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, "SELECT response_body FROM idempotency_keys WHERE replay_key = @k", r => Sql.Text(r, 0), ("k", replayKey)).ConfigureAwait(false);
        return rows.Count == 0 ? new ReplayAnswer(true, null) : new ReplayAnswer(false, rows[0]);
    }

    /// <summary>
    /// Records an upstream attempt BEFORE it is sent (the body as stored, masked), so that after a crash the record
    /// says whether Antom may have received the request (<see cref="ClaimStaleAsync"/>). The attempt also holds the
    /// record's lease until <paramref name="liveUntilMs"/> (its time plus <c>Recovery:StaleAfterSeconds</c>, longer than
    /// any attempt lasts): the resolver never claims a request whose own attempt may still be on its way to or from
    /// Antom, however long the request has taken so far. False when the record is no longer pending or the resolver
    /// holds it (it looked abandoned): then the attempt must not be sent, so the resolver's inquiry or release stays
    /// true.
    /// </summary>
    public async Task<bool> RecordUpstreamAttemptAsync(string transactionId, Utf8Text upstreamBody, long sentAt, int attempt, long liveUntilMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.ExecAsync(connection, null,
            "UPDATE transactions SET upstream_request_body = @ub, upstream_sent_at = COALESCE(upstream_sent_at, @us), upstream_attempts = @ua, resolve_lease_until = @live " +
            "WHERE id = @id AND upstream_outcome = @pending AND resolve_owner IS NULL",
            ("ub", upstreamBody), ("us", sentAt), ("ua", (long)attempt), ("live", liveUntilMs), ("id", transactionId), ("pending", UpstreamOutcomes.Pending))
            .ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Stores how the request ended, the answer that replays of it will get, and what the answer proves about the
    /// payment or refund (<paramref name="fact"/>, forward-only), all in one database transaction: the record and the
    /// payment state never disagree. A record the resolver completed meanwhile (this request was held up so long that it
    /// looked abandoned) is overwritten: the device got this answer, so replays get it too, and the resolver's
    /// detail is kept. <see cref="Completion.Stored"/> is false when the record was neither pending nor resolved.
    /// </summary>
    public async Task<Completion> CompleteAsync(string transactionId, string replayKey, TransactionCompletion c, StateFact? fact, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        bool stored = false;
        AppliedFact? applied = null;
        string sql = CompleteSqlFor(fact);
        var parameters = new (string, object?)[fact == null ? 13 : 13 + FactParameterCount];
        parameters[0] = ("ub", c.UpstreamRequestBody);
        parameters[1] = ("us", c.UpstreamSentAt);
        parameters[2] = ("uc", c.UpstreamCompletedAt);
        parameters[3] = ("ua", (long)c.UpstreamAttempts);
        parameters[4] = ("uo", c.UpstreamOutcome);
        parameters[5] = ("uh", c.UpstreamHttpStatus is int h ? (long)h : null);
        parameters[6] = ("ud", c.UpstreamDetail);
        parameters[7] = ("rb", c.ResponseBody);
        parameters[8] = ("rs", c.ResultStatus);
        parameters[9] = ("rc", c.ResultCode);
        parameters[10] = ("ra", c.RespondedAt);
        parameters[11] = ("id", transactionId);
        parameters[12] = ("k", replayKey);
        if (fact != null) WriteFactParameters(fact, nowMs, parameters.AsSpan(13));
        await ApplyingFactAsync(connection, sql, r =>
        {
            if (r.GetName(0) == "id") stored = true;
            else applied = ReadApplied(r, fact!);
        }, () =>
        {
            stored = false;
            applied = null;
        }, parameters).ConfigureAwait(false);
        return new Completion(stored, applied);
    }

    /// <summary>Outcomes of answers made without sending anything: a first attempt recorded with the claim
    /// (<see cref="ClaimRider"/>) is cleared by such a completion.</summary>
    private const string NothingSentOutcomes = "('" + UpstreamOutcomes.NotSent + "', '" + UpstreamOutcomes.FromNotification + "', '" + UpstreamOutcomes.FromRecord + "')";

    private const string CompleteSql =
        "UPDATE transactions SET upstream_request_body = CASE WHEN @uo IN " + NothingSentOutcomes + " THEN NULL ELSE COALESCE(@ub, upstream_request_body) END, " +
        "upstream_sent_at = CASE WHEN @uo IN " + NothingSentOutcomes + " THEN NULL ELSE COALESCE(@us, upstream_sent_at) END, upstream_completed_at = @uc, " +
        "upstream_attempts = CASE WHEN @uo IN " + NothingSentOutcomes + " THEN 0 WHEN @ua > 0 THEN @ua ELSE upstream_attempts END, upstream_outcome = @uo, upstream_http_status = @uh, " +
        // What RecordUpstreamAttemptAsync wrote stays when the completion knows less (an exception after the send).
        "upstream_detail = CASE WHEN upstream_outcome = '" + UpstreamOutcomes.Resolved + "' " +
        "THEN COALESCE(CAST(@ud AS TEXT), '') || ' (stored after the resolver had answered: ' || COALESCE(upstream_detail, '') || ')' ELSE CAST(@ud AS TEXT) END, " +
        "response_body = @rb, result_status = @rs, result_code = @rc, responded_at = @ra, resolve_lease_until = NULL " +
        "WHERE id = @id AND upstream_outcome IN ('" + UpstreamOutcomes.Pending + "', '" + UpstreamOutcomes.Resolved + "') RETURNING id; " +
        "UPDATE idempotency_keys SET response_body = @rb, completed_at = @ra WHERE replay_key = @k AND transaction_id = @id";


    // ---------------------------------------------------------------- requests left pending by a crash

    /// <summary>
    /// Claims up to <paramref name="limit"/> transactions still pending although received before
    /// <paramref name="staleBeforeMs"/> (no live request takes that long) whose lease is free, for
    /// <paramref name="owner"/> until <paramref name="leaseUntilMs"/>. Several instances on one database never claim
    /// the same row at once: PostgreSQL skips rows another claim holds (FOR UPDATE SKIP LOCKED), SQLite serializes
    /// writers. A claim whose owner dies is taken over once its lease ends.
    /// </summary>
    public async Task<IReadOnlyList<TransactionRecord>> ClaimStaleAsync(string owner, long staleBeforeMs, long nowMs, long leaseUntilMs, int limit, CancellationToken ct = default)
    {
        string sql =
            "UPDATE transactions SET resolve_owner = @owner, resolve_lease_until = @lease, resolve_attempts = resolve_attempts + 1 WHERE id IN (" +
            "SELECT id FROM transactions WHERE upstream_outcome = @pending AND received_at < @stale AND (resolve_lease_until IS NULL OR resolve_lease_until < @now) " +
            "ORDER BY received_at LIMIT @n" + database.SkipLocked + ") RETURNING " + TransactionColumns;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, tx, sql, ReadTransaction,
            ("owner", owner), ("lease", leaseUntilMs), ("pending", UpstreamOutcomes.Pending), ("stale", staleBeforeMs), ("now", nowMs), ("n", (long)limit)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// A pending transaction that never reached Antom: its replay key is released, so the same signed request sent again
    /// is executed as new, and the record says why. The resolver releases only records
    /// without a recorded attempt. Returns the replay key released (null if none was), whose waiting copies are to be
    /// woken: they answer "nothing was sent" at once instead of waiting out their limit. The live request itself passes <paramref name="knownUnsent"/>: it knows its first
    /// attempt was not sent even when the database took the attempt's record but the answer to that write was lost
    /// (the connection dropped after the commit), which would otherwise leave the record to an inquiry that can only
    /// say ORDER_NOT_EXIST, and the device a U for the life of the replay key.
    /// </summary>
    public async Task<string?> ReleaseUnsentAsync(string transactionId, string detail, long nowMs, bool knownUnsent = false, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string? released = null;
        await database.BatchAsync(connection,
            "UPDATE transactions SET upstream_outcome = @outcome, upstream_detail = @detail, upstream_completed_at = @now, resolve_lease_until = NULL " +
            "WHERE id = @id AND upstream_outcome = @pending AND (upstream_sent_at IS NULL OR @known = 1); " +
            "DELETE FROM idempotency_keys WHERE transaction_id = @id AND response_body IS NULL AND EXISTS " +
            "(SELECT 1 FROM transactions WHERE id = @id AND upstream_outcome = @outcome) RETURNING replay_key",
            r => released = r.GetString(0),
            ("outcome", UpstreamOutcomes.NotSent), ("detail", detail), ("now", nowMs), ("id", transactionId), ("pending", UpstreamOutcomes.Pending),
            ("known", knownUnsent ? 1L : 0L)).ConfigureAwait(false);
        return released;
    }

    /// <summary>
    /// Completes a stale transaction with the answer its resolution built; returns the replay key whose waiters can
    /// now be answered (null if the key expired, or the row was no longer pending).
    /// </summary>
    public async Task<string?> CompleteResolvedAsync(string transactionId, string responseBody, string? status, string? code, string detail, long nowMs,
        CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string? key = null;
        await database.BatchAsync(connection,
            "UPDATE transactions SET upstream_outcome = @outcome, upstream_detail = @detail, upstream_completed_at = @now, response_body = @rb, result_status = @rs, " +
            "result_code = @rc, responded_at = @now, resolve_lease_until = NULL WHERE id = @id AND upstream_outcome = @pending; " +
            "UPDATE idempotency_keys SET response_body = @rb, completed_at = @now WHERE transaction_id = @id AND response_body IS NULL " +
            "AND EXISTS (SELECT 1 FROM transactions WHERE id = @id AND upstream_outcome = @outcome AND responded_at = @now) RETURNING replay_key",
            r => key = r.GetString(0),
            ("outcome", UpstreamOutcomes.Resolved), ("detail", detail), ("now", nowMs), ("rb", responseBody), ("rs", status), ("rc", code),
            ("id", transactionId), ("pending", UpstreamOutcomes.Pending)).ConfigureAwait(false);
        return key;
    }

    /// <summary>A resolution that could not be made now (Antom unreachable): try again after <paramref name="retryAtMs"/>.</summary>
    public async Task PostponeResolutionAsync(string transactionId, long retryAtMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null, "UPDATE transactions SET resolve_lease_until = @at WHERE id = @id AND upstream_outcome = @pending",
            ("at", retryAtMs), ("id", transactionId), ("pending", UpstreamOutcomes.Pending)).ConfigureAwait(false);
    }

    /// <summary>Deletes replay keys past their expiry (a request that old fails the Request-Time check anyway).</summary>
    /// <remarks>In batches of 1,000 rows, each its own short write: at hundreds of requests a second a minute's
    /// expired keys are tens of thousands, and one DELETE of them all would hold SQLite's write lock for seconds
    /// while device requests wait (found by the fuzzer's long run).</remarks>
    public async Task<long> PurgeExpiredReplayKeysAsync(long nowMs, CancellationToken ct = default) =>
        await PurgeBatchesAsync("idempotency_keys", "replay_key", "expires_at < @cut", nowMs, 1000, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<TransactionRecord>> ListTransactionsAsync(string? deviceId = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string where = deviceId == null ? "" : " WHERE device_id = @d";
        return await Sql.QueryAsync(connection, null, TransactionSelect + where + " ORDER BY received_at, id", ReadTransaction, ("d", deviceId)).ConfigureAwait(false);
    }

    public async Task<TransactionRecord?> FindTransactionAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, TransactionSelect + " WHERE id = @id", ReadTransaction, ("id", id)).ConfigureAwait(false);
    }

    /// <summary>The answered device requests about one payment (by paymentRequestId) or refund (by refundRequestId),
    /// oldest first: what the repair pass derives the state from.</summary>
    internal async Task<IReadOnlyList<TransactionRecord>> AnsweredTransactionsAsync(string? paymentRequestId, string? refundRequestId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string where = paymentRequestId != null ? " WHERE payment_request_id = @id" : " WHERE refund_request_id = @id";
        return await Sql.QueryAsync(connection, null, TransactionSelect + where + " AND response_body IS NOT NULL ORDER BY received_at, id", ReadTransaction,
            ("id", paymentRequestId ?? refundRequestId)).ConfigureAwait(false);
    }

    /// <summary>Every device request about one payment or refund (by paymentRequestId or refundRequestId), oldest first.</summary>
    public async Task<IReadOnlyList<TransactionRecord>> TransactionsAboutAsync(string requestId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, TransactionSelect + " WHERE payment_request_id = @id OR refund_request_id = @id ORDER BY received_at, id",
            ReadTransaction, ("id", requestId)).ConfigureAwait(false);
    }

    private const string TransactionColumns =
        "id, device_id, operation, request_path, request_time, received_at, payment_request_id, payment_id, refund_request_id, device_request_body, " +
        "upstream_request_body, upstream_sent_at, upstream_completed_at, upstream_attempts, upstream_outcome, upstream_http_status, upstream_detail, " +
        "response_body, result_status, result_code, responded_at, instance, resolve_attempts";

    private const string TransactionSelect = "SELECT " + TransactionColumns + " FROM transactions";

    private static TransactionRecord ReadTransaction(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), Sql.LongOr0(r, 5), Sql.Text(r, 6), Sql.Text(r, 7), Sql.Text(r, 8),
        r.GetString(9), Sql.Text(r, 10), Sql.Long(r, 11), Sql.Long(r, 12), (int)Sql.LongOr0(r, 13), r.GetString(14), (int?)Sql.Long(r, 15), Sql.Text(r, 16),
        Sql.Text(r, 17), Sql.Text(r, 18), Sql.Text(r, 19), Sql.Long(r, 20), r.GetString(21), (int)Sql.LongOr0(r, 22));
}
