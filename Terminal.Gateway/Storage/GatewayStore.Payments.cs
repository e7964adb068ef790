using System.Data.Common;
using Npgsql;
using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.Storage;

/// <summary>
/// Payments and refunds: ownership, Antom ids and the state learnt from verified answers and notifications, which only
/// moves forward (<see cref="PaymentStatuses"/>) whoever writes it.
/// </summary>
public sealed partial class GatewayStore
{
    /// <summary>
    /// Inserts the payment unless its paymentRequestId is known; returns the row now stored (maybe an older one). A new
    /// row is due for the repair pass at <paramref name="checkAfterMs"/> unless an answer has settled it by then.
    /// </summary>
    public async Task<PaymentRecord> ReservePaymentAsync(PaymentRecord p, long checkAfterMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var reservation = new PaymentReservation(p, checkAfterMs);
        var parameters = new (string, object?)[reservation.ParameterCount];
        reservation.WriteParameters(parameters);
        await database.BatchAsync(connection, PaymentReservation.AloneSql, reservation.Read, parameters).ConfigureAwait(false);
        return reservation.Row!;
    }

    /// <summary>
    /// Finds a payment by paymentId (which wins, as at Antom), else by paymentRequestId. A paymentId the row does not
    /// carry yet (its answer was lost before this version kept answers and state together, or a repair is still due)
    /// is looked up in what Antom itself said about it: recorded notifications and the resolver's inquiries; never in a
    /// device's request, which could name any id (a device's paymentRequestId is not trusted to say which payment a
    /// paymentId is: a cancel or refund is forwarded with the paymentId, and Antom acts on that one).
    /// </summary>
    public async Task<PaymentRecord?> FindPaymentAsync(string? paymentRequestId, string? paymentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(paymentId))
        {
            return string.IsNullOrEmpty(paymentRequestId) ? null
                : await Sql.QuerySingleAsync(connection, null, PaymentSelect + " WHERE payment_request_id = @prid", ReadPayment, ("prid", paymentRequestId)).ConfigureAwait(false);
        }
        var byId = await Sql.QuerySingleAsync(connection, null, PaymentSelect + " WHERE payment_id = @pid", ReadPayment, ("pid", paymentId)).ConfigureAwait(false);
        if (byId != null) return byId;
        var evidence = await Sql.QueryAsync(connection, null,
            "SELECT payment_request_id FROM notifications WHERE payment_id = @pid AND payment_request_id IS NOT NULL UNION " +
            "SELECT request_id FROM resolution_steps WHERE learnt_antom_id = @pid AND subject = 'payment'",
            r => r.GetString(0), ("pid", paymentId)).ConfigureAwait(false);
        if (evidence.Count != 1) return null;
        var row = await Sql.QuerySingleAsync(connection, null, PaymentSelect + " WHERE payment_request_id = @prid", ReadPayment, ("prid", evidence[0])).ConfigureAwait(false);
        return row != null && row.PaymentId == null ? row with { PaymentId = paymentId } : null;
    }

    /// <summary>Applies what a verified message proved about a payment or refund (forward-only); null if no row has its id.</summary>
    public async Task<AppliedFact?> ApplyFactAsync(StateFact fact, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        AppliedFact? applied = null;
        await ApplyingFactAsync(connection, FactSql(fact), r => applied = ReadApplied(r, fact), null,
            FactParameters(fact, nowMs)).ConfigureAwait(false);
        return applied;
    }

    /// <summary>
    /// Runs a batch that applies a fact (<paramref name="read"/> must assign what it reads, as a second run reads it
    /// again; <paramref name="beforeRetry"/> resets what it only sets). The fact SQL leaves an Antom id that another row
    /// has with that row, but on PostgreSQL a statement sees only what was committed before it began: two transactions
    /// giving one id to two rows at once both find it free, and when the first commits the unique index refuses the
    /// second one whole (23505), record and all. Run again, the second sees the id taken and applies the rest of its
    /// fact, as if the two had come one after the other. Once is enough: the index refuses only after the other
    /// transaction committed, so the id is taken for good. SQLite's writers are serialized (BEGIN IMMEDIATE) and always
    /// see the other's id.
    /// </summary>
    private async Task ApplyingFactAsync(DbConnection connection, string sql, Action<DbDataReader> read, Action? beforeRetry, (string, object?)[] parameters)
    {
        try
        {
            await database.BatchAsync(connection, sql, read, parameters).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is "ux_payments_payment_id" or "ux_refunds_refund_id")
        {
            beforeRetry?.Invoke();
            await database.BatchAsync(connection, sql, read, parameters).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The forward-only update of a payment or refund (parameters @f_*), with the SELECT of the row as it then is: the
    /// status moves only to a higher rank (<see cref="PaymentStatuses"/>), the first Antom id stays (one another row
    /// already has is not taken: the unique index would refuse the whole transaction; see <see cref="ApplyingFactAsync"/>
    /// for one taken at the same time), <c>status_source</c> says what moved it. A fact that moves nothing (an inquiry
    /// confirming the status, a terminal's poll) does not write the row: an update would write a new version of it and of
    /// its index entries for the same values.
    /// </summary>
    /// <remarks>A fact without an Antom id has a text of its own. With one text for both, and a table whose rows had no
    /// Antom id yet (order codes waiting; the gateway benchmark's answers carry none), PostgreSQL planned the prepared
    /// UPDATE again on every run: by the statistics the id's subquery finds nothing, a plan made for a null id leaves it
    /// out and looks cheaper than the generic plan, so the generic plan was never chosen (pg_stat_statements: plans =
    /// calls, 0.17 ms of planning each; <c>FactPlanTests</c>).</remarks>
    internal static string FactSql(StateFact fact) => fact.Subject == StateSubject.Payment
        ? fact.AntomId == null ? FactTexts.PaymentStatus : FactTexts.Payment
        : fact.AntomId == null ? FactTexts.RefundStatus : FactTexts.Refund;

    /// <summary>The completion of a device request's record with the fact its answer proved (<see cref="CompleteAsync"/>).</summary>
    private static string CompleteSqlFor(StateFact? fact) => fact == null ? CompleteSql : fact.Subject == StateSubject.Payment
        ? fact.AntomId == null ? FactTexts.CompleteWithPaymentStatus : FactTexts.CompleteWithPayment
        : fact.AntomId == null ? FactTexts.CompleteWithRefundStatus : FactTexts.CompleteWithRefund;

    /// <summary>The texts, made once (a nested class: its fields are set on first use, whatever order the partial files'
    /// own static fields are set in).</summary>
    private static class FactTexts
    {
        public static readonly string Payment = FactSql("payments", "payment_request_id", "payment_id");
        public static readonly string PaymentStatus = StatusFactSql("payments", "payment_request_id", "payment_id");
        public static readonly string Refund = FactSql("refunds", "refund_request_id", "refund_id");
        public static readonly string RefundStatus = StatusFactSql("refunds", "refund_request_id", "refund_id");
        public static readonly string CompleteWithPayment = CompleteSql + "; " + Payment;
        public static readonly string CompleteWithPaymentStatus = CompleteSql + "; " + PaymentStatus;
        public static readonly string CompleteWithRefund = CompleteSql + "; " + Refund;
        public static readonly string CompleteWithRefundStatus = CompleteSql + "; " + RefundStatus;
    }

    private static string FactSql(string table, string key, string antomId)
    {
        string moves = PaymentStatuses.MovesForwardSql("@f_st");
        string learns = $"({antomId} IS NULL AND CAST(@f_aid AS TEXT) IS NOT NULL)";
        return $"UPDATE {table} SET " +
            $"{antomId} = CASE WHEN {antomId} IS NULL AND CAST(@f_aid AS TEXT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {table} o WHERE o.{antomId} = CAST(@f_aid AS TEXT)) " +
            $"THEN CAST(@f_aid AS TEXT) ELSE {antomId} END, " +
            $"status_source = CASE WHEN {moves} THEN CAST(@f_src AS TEXT) ELSE status_source END, " +
            $"updated_at = CASE WHEN {moves} OR {learns} THEN @f_now ELSE updated_at END, " +
            $"status = {PaymentStatuses.AdvanceSql("@f_st")} " +
            $"WHERE {key} = @f_rid AND ({moves} OR {learns}); " +
            RowAfterFactSql(table, key, antomId);
    }

    /// <summary>A fact that says nothing about the Antom id: it can only move the status.</summary>
    private static string StatusFactSql(string table, string key, string antomId) =>
        $"UPDATE {table} SET status = CAST(@f_st AS TEXT), status_source = CAST(@f_src AS TEXT), updated_at = @f_now " +
        $"WHERE {key} = @f_rid AND {PaymentStatuses.MovesForwardSql("@f_st")}; " +
        RowAfterFactSql(table, key, antomId);

    private static string RowAfterFactSql(string table, string key, string antomId) =>
        $"SELECT status AS fact_status, {antomId} AS fact_antom_id FROM {table} WHERE {key} = @f_rid";

    internal static (string, object?)[] FactParameters(StateFact fact, long nowMs)
    {
        var parameters = new (string, object?)[FactParameterCount];
        WriteFactParameters(fact, nowMs, parameters);
        return parameters;
    }

    private const int FactParameterCount = 5;

    /// <summary>The fact's values into <paramref name="into"/> (<see cref="FactParameterCount"/> of them), after a
    /// statement's own.</summary>
    private static void WriteFactParameters(StateFact fact, long nowMs, Span<(string, object?)> into)
    {
        into[0] = ("f_rid", fact.RequestId);
        into[1] = ("f_aid", fact.AntomId);
        into[2] = ("f_st", fact.Status);
        into[3] = ("f_src", fact.Source);
        into[4] = ("f_now", nowMs);
    }

    private static AppliedFact ReadApplied(DbDataReader r, StateFact fact)
    {
        string status = r.GetString(0);
        return new AppliedFact(status, Sql.Text(r, 1), PaymentStatuses.Contradicts(status, fact.Status));
    }

    /// <summary>Notes, before a cancel is forwarded, that one was (the first time counts).</summary>
    public async Task MarkCancelForwardedAsync(string paymentRequestId, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            "UPDATE payments SET cancel_forwarded_at = COALESCE(cancel_forwarded_at, @now), updated_at = @now WHERE payment_request_id = @prid",
            ("now", nowMs), ("prid", paymentRequestId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, PaymentSelect + " ORDER BY created_at, payment_request_id", ReadPayment).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> open payments (PENDING, PROCESSING) whose next check is due, for the repair
    /// pass: their check_after moves to <paramref name="leaseUntilMs"/> (the lease: another instance skips them until
    /// then) and their check count goes up.
    /// </summary>
    internal async Task<IReadOnlyList<PaymentRecord>> ClaimDuePaymentsAsync(long nowMs, long leaseUntilMs, int limit, CancellationToken ct = default) =>
        await ClaimDueAsync("payments", "payment_request_id", PaymentColumns, ReadPayment, nowMs, leaseUntilMs, limit, ct).ConfigureAwait(false);

    internal async Task<IReadOnlyList<RefundRecord>> ClaimDueRefundsAsync(long nowMs, long leaseUntilMs, int limit, CancellationToken ct = default) =>
        await ClaimDueAsync("refunds", "refund_request_id", RefundColumns, ReadRefund, nowMs, leaseUntilMs, limit, ct).ConfigureAwait(false);

    private async Task<IReadOnlyList<T>> ClaimDueAsync<T>(string table, string key, string columns, Func<DbDataReader, T> read, long nowMs, long leaseUntilMs, int limit,
        CancellationToken ct)
    {
        // A payment or refund with a device request still pending is left alone: the request is either live (its answer
        // will settle the row) or stale, and the stale-request pass resolves it first.
        string sql =
            $"UPDATE {table} SET check_after = @lease, checks = checks + 1 WHERE {key} IN (" +
            $"SELECT {key} FROM {table} WHERE status IN {PaymentStatuses.OpenSql} AND check_after <= @now " +
            $"AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.{key} = {table}.{key} AND t.upstream_outcome = '{UpstreamOutcomes.Pending}') " +
            $"ORDER BY check_after LIMIT @n{database.SkipLocked}) " +
            $"RETURNING {columns}";
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, tx, sql, read, ("lease", leaseUntilMs), ("now", nowMs), ("n", (long)limit)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>When the repair pass looks at an open payment or refund again; null: not any more (an operator's, or
    /// the resolution queue's, matter from then on).</summary>
    internal async Task ScheduleCheckAsync(StateSubject subject, string requestId, long? checkAfterMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string sql = subject == StateSubject.Payment
            ? "UPDATE payments SET check_after = @at WHERE payment_request_id = @id"
            : "UPDATE refunds SET check_after = @at WHERE refund_request_id = @id";
        await Sql.ExecAsync(connection, null, sql, ("at", checkAfterMs), ("id", requestId)).ConfigureAwait(false);
    }

    internal const string PaymentColumns =
        "payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at, " +
        "cancel_forwarded_at, payment_code_hash, status_source, check_after, checks";

    internal const string PaymentSelect = "SELECT " + PaymentColumns + " FROM payments";

    internal static PaymentRecord ReadPayment(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.LongOr0(r, 5), Sql.Text(r, 6), r.GetString(7), Sql.LongOr0(r, 8), Sql.LongOr0(r, 9),
        Sql.Long(r, 10), Sql.Text(r, 11), Sql.Text(r, 12), Sql.Long(r, 13), (int)Sql.LongOr0(r, 14));

    /// <summary>
    /// The refunds row for a refund about to be sent (or the row already there under its refundRequestId).
    /// <paramref name="checkAfterMs"/>: when the repair pass looks at it if it is still open then; null for a refund whose
    /// owner follows it itself (the resolution queue's own refund of an abandoned payment: a repair pass that took it
    /// over would put it into the queue a second time).
    /// </summary>
    public async Task<RefundRecord> ReserveRefundAsync(RefundRecord f, long? checkAfterMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        RefundRecord? row = null;
        await database.BatchAsync(connection,
            "INSERT INTO refunds (refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at, check_after) " +
            "VALUES (@rrid, @d, @pid, @cur, @amt, NULL, @st, @now, @now, @check) ON CONFLICT (refund_request_id) DO NOTHING; " +
            RefundSelect + " WHERE refund_request_id = @rrid",
            r => row = ReadRefund(r),
            ("rrid", f.RefundRequestId), ("d", f.DeviceId), ("pid", f.PaymentId), ("cur", f.Currency), ("amt", f.AmountMinor), ("st", f.Status), ("now", f.CreatedAt),
            ("check", checkAfterMs)).ConfigureAwait(false);
        return row!;
    }

    /// <summary>Finds a refund by refundId (which wins, as at Antom) or refundRequestId.</summary>
    public async Task<RefundRecord?> FindRefundAsync(string? refundRequestId, string? refundId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(refundId))
        {
            var byId = await Sql.QuerySingleAsync(connection, null, RefundSelect + " WHERE refund_id = @rid", ReadRefund, ("rid", refundId)).ConfigureAwait(false);
            if (byId != null || string.IsNullOrEmpty(refundRequestId)) return byId;
        }
        if (!string.IsNullOrEmpty(refundRequestId))
        {
            var byRequest = await Sql.QuerySingleAsync(connection, null, RefundSelect + " WHERE refund_request_id = @rrid", ReadRefund, ("rrid", refundRequestId)).ConfigureAwait(false);
            if (byRequest != null && (string.IsNullOrEmpty(refundId) || byRequest.RefundId == null || byRequest.RefundId == refundId)) return byRequest;
        }
        return null;
    }

    /// <summary>The refunds of one payment (by its paymentId), oldest first.</summary>
    public async Task<IReadOnlyList<RefundRecord>> ListRefundsForPaymentAsync(string paymentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, RefundSelect + " WHERE payment_id = @pid ORDER BY created_at, refund_request_id", ReadRefund, ("pid", paymentId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RefundRecord>> ListRefundsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, RefundSelect + " ORDER BY created_at, refund_request_id", ReadRefund).ConfigureAwait(false);
    }

    private const string RefundColumns =
        "refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at, status_source, check_after, checks";

    private const string RefundSelect = "SELECT " + RefundColumns + " FROM refunds";

    private static RefundRecord ReadRefund(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), Sql.Text(r, 5), r.GetString(6), Sql.LongOr0(r, 7), Sql.LongOr0(r, 8),
        Sql.Text(r, 9), Sql.Long(r, 10), (int)Sql.LongOr0(r, 11));
}
