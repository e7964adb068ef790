using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Terminal.Gateway.EndOfDay;

namespace Terminal.Gateway.Storage;

/// <summary>
/// The SQL of the end-of-day queries: a day's figures grouped by store, device and currency, and a day's payments and
/// refunds for reconciliation. Read-only; a day is a range of <c>created_at</c> (epoch milliseconds) that the covering
/// indexes of the day_totals_indexes migration serve (docs/reconciliation.md).
/// </summary>
public sealed class EndOfDayStore(GatewayDatabase database)
{
    /// <summary>Ids per IN (...) lookup: well under SQLite's and PostgreSQL's parameter limits.</summary>
    private const int LookupChunk = 200;

    /// <summary>
    /// The figures of payments and refunds created in [<paramref name="startMs"/>, <paramref name="endMs"/>) per store,
    /// device and currency, in that order (ordinal: byte order of the UTF-8 text, PostgreSQL told so with COLLATE "C"
    /// whatever the database's collation), read from one statement as the rows arrive: a caller may write each line out
    /// before the next is read, and nothing holds the whole day.
    /// </summary>
    public async IAsyncEnumerable<StoreDeviceFigures> FiguresAsync(
        long startMs, long endMs, string? storeId, string? deviceId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var parameters = new List<(string, object?)> { ("from", startMs), ("to", endMs) };
        var paymentFilter = new StringBuilder();
        var refundFilter = new StringBuilder();
        if (storeId != null)
        {
            parameters.Add(("store", storeId));
            paymentFilter.Append(" AND reference_store_id = @store");
            // Through COALESCE, which no index serves: with a plain p.reference_store_id = @store the planners start from
            // every payment the store ever had (10,000 lookups) instead of the day's refunds. Same rows: a refund without
            // its payment has store '' and a store id is never empty.
            refundFilter.Append(" AND COALESCE(p.reference_store_id, '') = @store");
        }
        if (deviceId != null)
        {
            parameters.Add(("device", deviceId));
            paymentFilter.Append(" AND device_id = @device");
            refundFilter.Append(" AND r.device_id = @device");
        }
        // Grouped by status too, with plain COUNT and SUM: the database sorts fewer, shorter expressions than with one
        // CASE per figure (about a third faster on SQLite), and the statuses are folded into figures here.
        // A whole day unfiltered: SQLite, once it has statistics (ANALYZE), prefers a skip-scan of ix_payments_store_created
        // to the covering ix_payments_day and reads every payment's table row (about 3 times the time for a day of 33,000
        // payments, docs/benchmarks/console.md). With a store or device filter their own indexes are the right choice.
        bool postgres = database.Provider == DatabaseProvider.Postgres;
        string source = !postgres && storeId == null && deviceId == null ? "payments INDEXED BY ix_payments_day" : "payments";
        string ordinal = postgres ? " COLLATE \"C\"" : "";
        string sql =
            "SELECT store, device, currency, kind, status, records, amount FROM (" +
            "SELECT reference_store_id AS store, device_id AS device, currency, 0 AS kind, status, COUNT(*) AS records, SUM(amount_minor) AS amount " +
            "FROM " + source + " WHERE created_at >= @from AND created_at < @to" + paymentFilter + " GROUP BY reference_store_id, device_id, currency, status " +
            "UNION ALL " +
            "SELECT COALESCE(p.reference_store_id, ''), r.device_id, r.currency, 1, r.status, COUNT(*), SUM(r.amount_minor) " +
            "FROM refunds r LEFT JOIN payments p ON p.payment_id = r.payment_id WHERE r.created_at >= @from AND r.created_at < @to" + refundFilter +
            " GROUP BY COALESCE(p.reference_store_id, ''), r.device_id, r.currency, r.status" +
            ") figures ORDER BY store" + ordinal + ", device" + ordinal + ", currency" + ordinal;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var command = Sql.Command(connection, null, sql, parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        StoreDeviceFigures? line = null;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            string store = reader.GetString(0), device = reader.GetString(1), currency = reader.GetString(2), status = reader.GetString(4);
            long count = Sql.LongOr0(reader, 5), amount = Sql.LongOr0(reader, 6);
            var figures = Sql.LongOr0(reader, 3) == 0 ? DayFigures.OfPayments(status, count, amount) : DayFigures.OfRefunds(status, count, amount);
            if (line != null && line.Store == store && line.Device == device && line.Currency == currency)
            {
                line = line with { Figures = line.Figures.Plus(figures) };
                continue;
            }
            if (line != null) yield return line;
            line = new StoreDeviceFigures(store, device, currency, figures);
        }
        if (line != null) yield return line;
    }

    /// <summary>
    /// The first store after <paramref name="afterStore"/> (null: from the start, including '' of refunds whose payment
    /// is unknown) with a payment or refund created in [<paramref name="startMs"/>, <paramref name="endMs"/>), in the
    /// database's order of store ids; null when there is none. The payments' half reads ix_payments_store_created in
    /// store order and stops at the first entry of the day (ORDER BY ... LIMIT 1: SQLite's plan for MIN here visited every
    /// later store, 30 times the time); the refunds' half is the day's refunds joined to their payments. So the whole
    /// fleet's lines are walked a store at a time without reading the whole day.
    /// </summary>
    public async Task<string?> NextStoreAsync(long startMs, long endMs, string? afterStore, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null,
            "SELECT (SELECT reference_store_id FROM payments WHERE reference_store_id > @after AND created_at >= @from AND created_at < @to " +
            "ORDER BY reference_store_id LIMIT 1), " +
            "(SELECT MIN(COALESCE(p.reference_store_id, '')) FROM refunds r LEFT JOIN payments p ON p.payment_id = r.payment_id " +
            "WHERE r.created_at >= @from AND r.created_at < @to AND (@first = 1 OR COALESCE(p.reference_store_id, '') > @after))",
            r => (Sql.Text(r, 0), Sql.Text(r, 1)),
            ("after", afterStore ?? ""), ("first", afterStore == null ? 1L : 0L), ("from", startMs), ("to", endMs)).ConfigureAwait(false);
        var (payment, refund) = rows[0];
        if (payment == null) return refund;
        if (refund == null) return payment;
        return database.Provider == DatabaseProvider.Postgres
            ? (await Sql.QueryAsync(connection, null, "SELECT LEAST(@a, @b)", r => r.GetString(0), ("a", payment), ("b", refund)).ConfigureAwait(false))[0]
            : string.CompareOrdinal(payment, refund) <= 0 ? payment : refund;
    }

    /// <summary>
    /// The quarter-hour totals (migration 0014_quarter_hour_totals) of the quarters [<paramref name="startMs"/> / 900000,
    /// <paramref name="endMs"/> / 900000): counts and sums per quarter, kind (payment or refund), currency and status,
    /// kept by the database's triggers with every write of a payment or refund, in slots that are added up here
    /// (migration 0015_quarter_totals_in_slots).
    /// </summary>
    public async Task<List<QuarterFigures>> QuartersAsync(long startMs, long endMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            "SELECT quarter, kind, currency, status, SUM(records), SUM(amount_minor) FROM quarter_totals WHERE quarter >= @from AND quarter < @to " +
            "GROUP BY quarter, kind, currency, status HAVING SUM(records) <> 0",
            r => new QuarterFigures(Sql.LongOr0(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), Sql.LongOr0(r, 5)),
            ("from", startMs / QuarterFigures.QuarterMs), ("to", endMs / QuarterFigures.QuarterMs)).ConfigureAwait(false);
    }

    private const string PaymentColumns =
        "SELECT payment_request_id, payment_id, device_id, reference_store_id, currency, amount_minor, status, created_at, updated_at FROM payments";

    private const string RefundColumns =
        "SELECT r.refund_request_id, r.refund_id, r.payment_id, r.device_id, COALESCE(p.reference_store_id, ''), r.currency, r.amount_minor, r.status, " +
        "r.created_at, r.updated_at FROM refunds r LEFT JOIN payments p ON p.payment_id = r.payment_id";

    public async Task<List<GatewayPayment>> PaymentsCreatedAsync(long startMs, long endMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, PaymentColumns + " WHERE created_at >= @from AND created_at < @to", ReadPayment,
            ("from", startMs), ("to", endMs)).ConfigureAwait(false);
    }

    public async Task<List<GatewayRefund>> RefundsCreatedAsync(long startMs, long endMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, RefundColumns + " WHERE r.created_at >= @from AND r.created_at < @to", ReadRefund,
            ("from", startMs), ("to", endMs)).ConfigureAwait(false);
    }

    /// <summary>Payments whose paymentRequestId (or, with <paramref name="byAntomId"/>, paymentId) is one of <paramref name="ids"/>, whatever their day.</summary>
    public Task<List<GatewayPayment>> PaymentsByIdAsync(IReadOnlyCollection<string> ids, bool byAntomId, CancellationToken ct = default) =>
        LookupAsync(PaymentColumns + " WHERE " + (byAntomId ? "payment_id" : "payment_request_id"), ids, ReadPayment, ct);

    /// <summary>Refunds whose refundRequestId (or, with <paramref name="byAntomId"/>, refundId) is one of <paramref name="ids"/>.</summary>
    public Task<List<GatewayRefund>> RefundsByIdAsync(IReadOnlyCollection<string> ids, bool byAntomId, CancellationToken ct = default) =>
        LookupAsync(RefundColumns + " WHERE " + (byAntomId ? "r.refund_id" : "r.refund_request_id"), ids, ReadRefund, ct);

    private async Task<List<T>> LookupAsync<T>(string selectWhereColumn, IReadOnlyCollection<string> ids, Func<DbDataReader, T> read, CancellationToken ct)
    {
        var found = new List<T>();
        if (ids.Count == 0) return found;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        foreach (var chunk in ids.Chunk(LookupChunk))
        {
            var parameters = chunk.Select((id, i) => ("i" + i, (object?)id)).ToArray();
            string sql = selectWhereColumn + " IN (" + string.Join(", ", parameters.Select(p => "@" + p.Item1)) + ")";
            found.AddRange(await Sql.QueryAsync(connection, null, sql, read, parameters).ConfigureAwait(false));
        }
        return found;
    }

    private static GatewayPayment ReadPayment(DbDataReader r) => new(
        r.GetString(0), Sql.Text(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.LongOr0(r, 5), r.GetString(6), Sql.LongOr0(r, 7), Sql.LongOr0(r, 8));

    private static GatewayRefund ReadRefund(DbDataReader r) => new(
        r.GetString(0), Sql.Text(r, 1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Sql.LongOr0(r, 6), r.GetString(7),
        Sql.LongOr0(r, 8), Sql.LongOr0(r, 9));
}
