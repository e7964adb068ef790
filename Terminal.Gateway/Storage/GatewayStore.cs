using System.Data.Common;

namespace Terminal.Gateway.Storage;

/// <summary>
/// Durable records of the gateway: transactions, replay (idempotency) keys, payments, refunds and notifications.
/// Every method opens its own pooled connection; the ones that must be atomic use one write transaction. All state
/// lives here, so any number of gateway instances can share one database.
/// </summary>
public sealed class GatewayStore(GatewayDatabase database)
{
    private long _recordedResponseReads;

    public GatewayDatabase Database => database;

    /// <summary>How often <see cref="RecordedResponseAsync"/> went to the database (waiting replays; tests and metrics).</summary>
    internal long RecordedResponseReads => Interlocked.Read(ref _recordedResponseReads);

    // ---------------------------------------------------------------- replay keys and transactions

    /// <summary>
    /// Claims <paramref name="replayKey"/> and records the request in one transaction. If the key exists (the same
    /// signed request was seen before), nothing is written and the recorded answer is returned instead (null while the
    /// first request is still being processed, possibly by another instance).
    /// </summary>
    public async Task<ReplayClaim> ClaimAsync(string replayKey, long expiresAt, NewTransaction t, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        // One atomic round trip: the transaction row is written only if this request's id now owns the replay key.
        int written = await database.ExecAtomicAsync(connection,
            "INSERT INTO idempotency_keys (replay_key, device_id, transaction_id, created_at, expires_at) VALUES (@k, @d, @id, @now, @exp) ON CONFLICT (replay_key) DO NOTHING; " +
            "INSERT INTO transactions (id, device_id, operation, request_path, request_time, received_at, payment_request_id, payment_id, refund_request_id, device_request_body, upstream_outcome, instance) " +
            "SELECT @id, @d, @op, @path, @rt, @now, @prid, @pid, @rrid, @body, @outcome, @inst WHERE EXISTS (SELECT 1 FROM idempotency_keys WHERE replay_key = @k AND transaction_id = @id)",
            ("k", replayKey), ("d", t.DeviceId), ("id", t.Id), ("now", t.ReceivedAt), ("exp", expiresAt), ("op", t.Operation), ("path", t.RequestPath),
            ("rt", t.RequestTime), ("prid", t.PaymentRequestId), ("pid", t.PaymentId), ("rrid", t.RefundRequestId), ("body", t.DeviceRequestBody),
            ("outcome", UpstreamOutcomes.Pending), ("inst", t.Instance)).ConfigureAwait(false);
        if (written == 2) return new ReplayClaim(true, null);
        var rows = await Sql.QueryAsync(connection, null, "SELECT response_body FROM idempotency_keys WHERE replay_key = @k", r => Sql.Text(r, 0), ("k", replayKey)).ConfigureAwait(false);
        return new ReplayClaim(false, rows.Count == 0 ? null : rows[0]);
    }

    /// <summary>Reads the recorded answer of a replay key (null while still in flight).</summary>
    public async Task<string?> RecordedResponseAsync(string replayKey, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _recordedResponseReads);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, "SELECT response_body FROM idempotency_keys WHERE replay_key = @k", r => Sql.Text(r, 0), ("k", replayKey)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Records an upstream attempt BEFORE it is sent (the body as stored, masked), so that after a crash the record
    /// says whether Antom may have received the request (<see cref="ClaimStaleAsync"/>).
    /// </summary>
    public async Task RecordUpstreamAttemptAsync(string transactionId, string upstreamBody, long sentAt, int attempt, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "UPDATE transactions SET upstream_request_body = @ub, upstream_sent_at = COALESCE(upstream_sent_at, @us), upstream_attempts = @ua " +
            "WHERE id = @id AND upstream_outcome = @pending",
            ("ub", upstreamBody), ("us", sentAt), ("ua", (long)attempt), ("id", transactionId), ("pending", UpstreamOutcomes.Pending)).ConfigureAwait(false);
    }

    /// <summary>Stores how the request ended and the answer that replays of it will get, unless the record was already
    /// completed (by the resolver, after this instance looked dead). True if this call completed it.</summary>
    public async Task<bool> CompleteAsync(string transactionId, string replayKey, TransactionCompletion c, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        int n = await database.ExecAtomicAsync(connection,
            // What RecordUpstreamAttemptAsync wrote stays when the completion knows less (an exception after the send).
            "UPDATE transactions SET upstream_request_body = COALESCE(@ub, upstream_request_body), upstream_sent_at = COALESCE(@us, upstream_sent_at), " +
            "upstream_completed_at = @uc, upstream_attempts = CASE WHEN @ua > 0 THEN @ua ELSE upstream_attempts END, upstream_outcome = @uo, " +
            "upstream_http_status = @uh, upstream_detail = @ud, response_body = @rb, result_status = @rs, result_code = @rc, responded_at = @ra, resolve_lease_until = NULL " +
            "WHERE id = @id AND upstream_outcome = @pending; " +
            "UPDATE idempotency_keys SET response_body = @rb, completed_at = @ra WHERE replay_key = @k AND response_body IS NULL",
            ("ub", c.UpstreamRequestBody), ("us", c.UpstreamSentAt), ("uc", c.UpstreamCompletedAt), ("ua", (long)c.UpstreamAttempts), ("uo", c.UpstreamOutcome),
            ("uh", c.UpstreamHttpStatus is int h ? (long)h : null), ("ud", c.UpstreamDetail), ("rb", c.ResponseBody), ("rs", c.ResultStatus), ("rc", c.ResultCode),
            ("ra", c.RespondedAt), ("id", transactionId), ("k", replayKey), ("pending", UpstreamOutcomes.Pending)).ConfigureAwait(false);
        return n > 0;
    }

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
        string skipLocked = database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        string sql =
            "UPDATE transactions SET resolve_owner = @owner, resolve_lease_until = @lease, resolve_attempts = resolve_attempts + 1 WHERE id IN (" +
            "SELECT id FROM transactions WHERE upstream_outcome = @pending AND received_at < @stale AND (resolve_lease_until IS NULL OR resolve_lease_until < @now) " +
            "ORDER BY received_at LIMIT @n" + skipLocked + ") RETURNING " + TransactionColumns;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, tx, sql, ReadTransaction,
            ("owner", owner), ("lease", leaseUntilMs), ("pending", UpstreamOutcomes.Pending), ("stale", staleBeforeMs), ("now", nowMs), ("n", (long)limit)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// A stale transaction that never reached Antom (no attempt recorded): its replay key is released, so the same
    /// signed request sent again is executed as new, and the record says why. True if it was still pending.
    /// </summary>
    public async Task<bool> ReleaseUnsentAsync(string transactionId, string detail, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        int n = await database.ExecAtomicAsync(connection,
            "UPDATE transactions SET upstream_outcome = @outcome, upstream_detail = @detail, upstream_completed_at = @now, resolve_lease_until = NULL WHERE id = @id AND upstream_outcome = @pending; " +
            "DELETE FROM idempotency_keys WHERE transaction_id = @id AND response_body IS NULL",
            ("outcome", UpstreamOutcomes.NotSent), ("detail", detail), ("now", nowMs), ("id", transactionId), ("pending", UpstreamOutcomes.Pending)).ConfigureAwait(false);
        return n > 0;
    }

    /// <summary>
    /// Completes a stale transaction with the answer its resolution built; returns the replay key whose waiters can
    /// now be answered (null if the key expired, or the row was no longer pending).
    /// </summary>
    public async Task<string?> CompleteResolvedAsync(string transactionId, string responseBody, string? status, string? code, string detail, long nowMs,
        CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, tx,
            "UPDATE transactions SET upstream_outcome = @outcome, upstream_detail = @detail, upstream_completed_at = @now, response_body = @rb, result_status = @rs, " +
            "result_code = @rc, responded_at = @now, resolve_lease_until = NULL WHERE id = @id AND upstream_outcome = @pending",
            ("outcome", UpstreamOutcomes.Resolved), ("detail", detail), ("now", nowMs), ("rb", responseBody), ("rs", status), ("rc", code),
            ("id", transactionId), ("pending", UpstreamOutcomes.Pending)).ConfigureAwait(false);
        string? key = null;
        if (n > 0)
        {
            var keys = await Sql.QueryAsync(connection, tx,
                "UPDATE idempotency_keys SET response_body = @rb, completed_at = @now WHERE transaction_id = @id AND response_body IS NULL RETURNING replay_key",
                r => r.GetString(0), ("rb", responseBody), ("now", nowMs), ("id", transactionId)).ConfigureAwait(false);
            key = keys.Count > 0 ? keys[0] : null;
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
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

    private const string TransactionColumns =
        "id, device_id, operation, request_path, request_time, received_at, payment_request_id, payment_id, refund_request_id, device_request_body, " +
        "upstream_request_body, upstream_sent_at, upstream_completed_at, upstream_attempts, upstream_outcome, upstream_http_status, upstream_detail, " +
        "response_body, result_status, result_code, responded_at, instance, resolve_attempts";

    private const string TransactionSelect = "SELECT " + TransactionColumns + " FROM transactions";

    private static TransactionRecord ReadTransaction(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), Sql.LongOr0(r, 5), Sql.Text(r, 6), Sql.Text(r, 7), Sql.Text(r, 8),
        r.GetString(9), Sql.Text(r, 10), Sql.Long(r, 11), Sql.Long(r, 12), (int)Sql.LongOr0(r, 13), r.GetString(14), (int?)Sql.Long(r, 15), Sql.Text(r, 16),
        Sql.Text(r, 17), Sql.Text(r, 18), Sql.Text(r, 19), Sql.Long(r, 20), r.GetString(21), (int)Sql.LongOr0(r, 22));

    // ---------------------------------------------------------------- payments and refunds

    /// <summary>Inserts the payment unless its paymentRequestId is known; returns the row now stored (maybe an older one).</summary>
    public async Task<PaymentRecord> ReservePaymentAsync(PaymentRecord p, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await Sql.QuerySingleAsync(connection, null,
            "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at, payment_code_hash) " +
            "VALUES (@prid, @d, @m, @s, @cur, @amt, NULL, @st, @now, @now, @code) ON CONFLICT (payment_request_id) DO NOTHING; " +
            PaymentSelect + " WHERE payment_request_id = @prid", ReadPayment,
            ("prid", p.PaymentRequestId), ("d", p.DeviceId), ("m", p.ReferenceMerchantId), ("s", p.ReferenceStoreId), ("cur", p.Currency),
            ("amt", p.AmountMinor), ("st", p.Status), ("now", p.CreatedAt), ("code", p.PaymentCodeHash)).ConfigureAwait(false))!;
    }

    /// <summary>Finds a payment by paymentId (which wins, as at Antom) or paymentRequestId.</summary>
    public async Task<PaymentRecord?> FindPaymentAsync(string? paymentRequestId, string? paymentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(paymentId))
            return await Sql.QuerySingleAsync(connection, null, PaymentSelect + " WHERE payment_id = @pid", ReadPayment, ("pid", paymentId)).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(paymentRequestId))
            return await Sql.QuerySingleAsync(connection, null, PaymentSelect + " WHERE payment_request_id = @prid", ReadPayment, ("prid", paymentRequestId)).ConfigureAwait(false);
        return null;
    }

    /// <summary>Records Antom's paymentId (first one wins) and the latest known status; null arguments change nothing.</summary>
    public async Task UpdatePaymentAsync(string paymentRequestId, string? paymentId, string? status, long nowMs, CancellationToken ct = default)
    {
        if (paymentId == null && status == null) return;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "UPDATE payments SET payment_id = COALESCE(payment_id, @pid), status = COALESCE(@st, status), updated_at = @now WHERE payment_request_id = @prid",
            ("pid", paymentId), ("st", status), ("now", nowMs), ("prid", paymentRequestId)).ConfigureAwait(false);
    }

    /// <summary>Notes, before a cancel is forwarded, that one was (the first time counts).</summary>
    public async Task MarkCancelForwardedAsync(string paymentRequestId, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "UPDATE payments SET cancel_forwarded_at = COALESCE(cancel_forwarded_at, @now), updated_at = @now WHERE payment_request_id = @prid",
            ("now", nowMs), ("prid", paymentRequestId)).ConfigureAwait(false);
    }

    private const string PaymentSelect =
        "SELECT payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at, " +
        "cancel_forwarded_at, payment_code_hash FROM payments";

    private static PaymentRecord ReadPayment(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.LongOr0(r, 5), Sql.Text(r, 6), r.GetString(7), Sql.LongOr0(r, 8), Sql.LongOr0(r, 9),
        Sql.Long(r, 10), Sql.Text(r, 11));

    public async Task<RefundRecord> ReserveRefundAsync(RefundRecord f, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await Sql.QuerySingleAsync(connection, null,
            "INSERT INTO refunds (refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at) " +
            "VALUES (@rrid, @d, @pid, @cur, @amt, NULL, @st, @now, @now) ON CONFLICT (refund_request_id) DO NOTHING; " +
            RefundSelect + " WHERE refund_request_id = @rrid", ReadRefund,
            ("rrid", f.RefundRequestId), ("d", f.DeviceId), ("pid", f.PaymentId), ("cur", f.Currency), ("amt", f.AmountMinor), ("st", f.Status), ("now", f.CreatedAt)).ConfigureAwait(false))!;
    }

    /// <summary>Finds a refund by refundId (which wins, as at Antom) or refundRequestId.</summary>
    public async Task<RefundRecord?> FindRefundAsync(string? refundRequestId, string? refundId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(refundId))
            return await Sql.QuerySingleAsync(connection, null, RefundSelect + " WHERE refund_id = @rid", ReadRefund, ("rid", refundId)).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(refundRequestId))
            return await Sql.QuerySingleAsync(connection, null, RefundSelect + " WHERE refund_request_id = @rrid", ReadRefund, ("rrid", refundRequestId)).ConfigureAwait(false);
        return null;
    }

    public async Task UpdateRefundAsync(string refundRequestId, string? refundId, string? status, long nowMs, CancellationToken ct = default)
    {
        if (refundId == null && status == null) return;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "UPDATE refunds SET refund_id = COALESCE(refund_id, @rid), status = COALESCE(@st, status), updated_at = @now WHERE refund_request_id = @rrid",
            ("rid", refundId), ("st", status), ("now", nowMs), ("rrid", refundRequestId)).ConfigureAwait(false);
    }

    private const string RefundSelect =
        "SELECT refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at FROM refunds";

    private static RefundRecord ReadRefund(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), Sql.Text(r, 5), r.GetString(6), Sql.LongOr0(r, 7), Sql.LongOr0(r, 8));

    // ---------------------------------------------------------------- notifications

    /// <summary>Records a verified notification; a duplicate only bumps the row's counter. True if it was new.</summary>
    public async Task<bool> RecordNotificationAsync(NotificationRecord n, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        int inserted = await Sql.ExecAsync(connection, tx,
            "INSERT INTO notifications (notification_key, notify_type, payment_request_id, payment_id, result_status, result_code, client_id, request_time, body, received_at, duplicates, last_received_at) " +
            "VALUES (@k, @type, @prid, @pid, @rs, @rc, @cid, @rt, @body, @now, 0, @now) ON CONFLICT (notification_key) DO NOTHING",
            ("k", n.NotificationKey), ("type", n.NotifyType), ("prid", n.PaymentRequestId), ("pid", n.PaymentId), ("rs", n.ResultStatus), ("rc", n.ResultCode),
            ("cid", n.ClientId), ("rt", n.RequestTime), ("body", n.Body), ("now", n.ReceivedAt)).ConfigureAwait(false);
        if (inserted == 0)
            await Sql.ExecAsync(connection, tx, "UPDATE notifications SET duplicates = duplicates + 1, last_received_at = @now WHERE notification_key = @k",
                ("now", n.ReceivedAt), ("k", n.NotificationKey)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>The final (PAYMENT_RESULT with S or F) notification of a payment, if one was recorded.</summary>
    public async Task<NotificationRecord?> FindFinalNotificationAsync(string? paymentRequestId, string? paymentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        const string final = " AND notify_type = 'PAYMENT_RESULT' AND result_status IN ('S', 'F') ORDER BY received_at DESC";
        if (!string.IsNullOrEmpty(paymentId))
        {
            var byId = await Sql.QuerySingleAsync(connection, null, NotificationSelect + " WHERE payment_id = @pid" + final, ReadNotification, ("pid", paymentId)).ConfigureAwait(false);
            if (byId != null) return byId;
        }
        if (!string.IsNullOrEmpty(paymentRequestId))
            return await Sql.QuerySingleAsync(connection, null, NotificationSelect + " WHERE payment_request_id = @prid" + final, ReadNotification, ("prid", paymentRequestId)).ConfigureAwait(false);
        return null;
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListNotificationsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, NotificationSelect + " ORDER BY received_at, notification_key", ReadNotification).ConfigureAwait(false);
    }

    private const string NotificationSelect =
        "SELECT notification_key, notify_type, payment_request_id, payment_id, result_status, result_code, client_id, request_time, body, received_at, duplicates, last_received_at FROM notifications";

    private static NotificationRecord ReadNotification(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Sql.Text(r, 2), Sql.Text(r, 3), Sql.Text(r, 4), Sql.Text(r, 5), r.GetString(6), r.GetString(7), r.GetString(8),
        Sql.LongOr0(r, 9), Sql.LongOr0(r, 10), Sql.LongOr0(r, 11));

    // ---------------------------------------------------------------- retention

    /// <summary>
    /// Deletes what the retention period no longer needs, in batches of <paramref name="batch"/> rows: transactions
    /// received before <paramref name="cutoffMs"/> (but those still pending, or of a payment or refund still open),
    /// notifications last received before it, and final payments and refunds last changed before it (a payment only
    /// once none of its refunds is left). Open payments and refunds stay until an operator resolves them.
    /// </summary>
    public async Task<PurgeCounts> PurgeAsync(long cutoffMs, int batch = 1000, CancellationToken ct = default)
    {
        const string open = "('PENDING', 'PROCESSING')";
        long transactions = await PurgeBatchesAsync("transactions", "id",
            "received_at < @cut AND upstream_outcome <> @pending " +
            "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.payment_request_id = transactions.payment_request_id AND p.status IN " + open + ") " +
            "AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.refund_request_id = transactions.refund_request_id AND f.status IN " + open + ")",
            cutoffMs, batch, ct).ConfigureAwait(false);
        long notifications = await PurgeBatchesAsync("notifications", "notification_key", "last_received_at < @cut", cutoffMs, batch, ct).ConfigureAwait(false);
        long refunds = await PurgeBatchesAsync("refunds", "refund_request_id", "updated_at < @cut AND status NOT IN " + open, cutoffMs, batch, ct).ConfigureAwait(false);
        long payments = await PurgeBatchesAsync("payments", "payment_request_id",
            "updated_at < @cut AND status NOT IN " + open + " AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.payment_id = payments.payment_id)",
            cutoffMs, batch, ct).ConfigureAwait(false);
        return new PurgeCounts(transactions, notifications, payments, refunds);
    }

    private async Task<long> PurgeBatchesAsync(string table, string key, string where, long cutoffMs, int batch, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            int n = await database.ExecAtomicAsync(connection,
                $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {where} LIMIT @batch)",
                ("cut", cutoffMs), ("pending", UpstreamOutcomes.Pending), ("batch", (long)batch)).ConfigureAwait(false);
            total += n;
            if (n < batch) return total;
        }
    }

    // ---------------------------------------------------------------- health

    /// <summary>Round trip to the database; returns the schema version (for /readyz).</summary>
    public async Task<int> PingAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Migrator.CurrentVersionAsync(connection).ConfigureAwait(false);
    }
}
