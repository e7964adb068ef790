using System.Globalization;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Queries;

/// <summary>What the Transactions page searches by; every field optional. Times are epoch milliseconds, [From, To).</summary>
public sealed record TransactionFilter(
    long? From = null,
    long? To = null,
    string? Store = null,
    string? Device = null,
    string? Status = null,
    long? AmountMinor = null,
    string? Reference = null,
    string? PaymentRequestId = null,
    string? PaymentId = null);

/// <summary>One payment as the result list shows it, with what was refunded of it.</summary>
public sealed record TransactionRow(
    string PaymentRequestId,
    string DeviceId,
    string StoreId,
    string Currency,
    long AmountMinor,
    string? PaymentId,
    string Status,
    long CreatedAt,
    string? Reference,
    long RefundedMinor);

/// <summary>A page of results, newest first, and the cursor of the next (older) page, if there is one.</summary>
public sealed record TransactionPage(IReadOnlyList<TransactionRow> Rows, string? Next);

/// <summary>
/// The Transactions page's search over the payments table: each filter is a parameter (never SQL text), results
/// newest first, paged by keyset — the cursor is the last row's (created_at, payment_request_id), so page 1,000 costs
/// what page 1 costs (no OFFSET). Each selective filter has an index that also gives the order
/// (ix_payments_*_created, migration 0010); exact ids use their unique indexes. Figures: docs/benchmarks/console.md.
/// </summary>
public sealed class TransactionSearch(GatewayDatabase database)
{
    public const int PageSize = 50;

    public async Task<TransactionPage> SearchAsync(TransactionFilter f, string? cursor, CancellationToken ct = default)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        void Add(string condition, string name, object? value)
        {
            where.Add(condition);
            parameters.Add((name, value));
        }
        if (f.From != null) Add("p.created_at >= @from", "from", f.From);
        if (f.To != null) Add("p.created_at < @to", "to", f.To);
        if (!string.IsNullOrEmpty(f.Store)) Add("p.reference_store_id = @store", "store", f.Store);
        if (!string.IsNullOrEmpty(f.Device)) Add("p.device_id = @device", "device", f.Device);
        if (!string.IsNullOrEmpty(f.Status)) Add("p.status = @status", "status", f.Status);
        if (f.AmountMinor != null) Add("p.amount_minor = @amount", "amount", f.AmountMinor);
        if (!string.IsNullOrEmpty(f.Reference)) Add("p.reference_order_id = @ref", "ref", f.Reference);
        if (!string.IsNullOrEmpty(f.PaymentRequestId)) Add("p.payment_request_id = @prid", "prid", f.PaymentRequestId);
        if (!string.IsNullOrEmpty(f.PaymentId)) Add("p.payment_id = @pid", "pid", f.PaymentId);
        if (TryParseCursor(cursor, out long at, out string id))
        {
            where.Add("(p.created_at < @cat OR (p.created_at = @cat AND p.payment_request_id < @cid))");
            parameters.Add(("cat", at));
            parameters.Add(("cid", id));
        }
        parameters.Add(("n", (long)PageSize + 1));
        string sql =
            "SELECT p.payment_request_id, p.device_id, p.reference_store_id, p.currency, p.amount_minor, p.payment_id, p.status, p.created_at, p.reference_order_id " +
            "FROM payments p" + (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) +
            " ORDER BY p.created_at DESC, p.payment_request_id DESC LIMIT @n";
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, sql, r => new TransactionRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4),
            Sql.Text(r, 5), r.GetString(6), Sql.LongOr0(r, 7), Sql.Text(r, 8), 0), parameters.ToArray()).ConfigureAwait(false);
        string? next = null;
        if (rows.Count > PageSize)
        {
            rows.RemoveAt(PageSize);
            next = Cursor(rows[^1]);
        }
        await AddRefundedAsync(connection, rows).ConfigureAwait(false);
        return new TransactionPage(rows, next);
    }

    /// <summary>Fills <see cref="TransactionRow.RefundedMinor"/> (refunds that did not fail) for the page's payments in one query.</summary>
    private static async Task AddRefundedAsync(System.Data.Common.DbConnection connection, List<TransactionRow> rows)
    {
        var ids = rows.Where(r => r.PaymentId != null).Select(r => r.PaymentId!).ToList();
        if (ids.Count == 0) return;
        var names = ids.Select((_, i) => "@p" + i);
        var sums = (await Sql.QueryAsync(connection, null,
            $"SELECT payment_id, SUM(amount_minor) FROM refunds WHERE status <> 'FAIL' AND payment_id IN ({string.Join(", ", names)}) GROUP BY payment_id",
            r => (Id: r.GetString(0), Sum: Sql.LongOr0(r, 1)), ids.Select((id, i) => ("p" + i, (object?)id)).ToArray()).ConfigureAwait(false))
            .ToDictionary(s => s.Id, s => s.Sum, StringComparer.Ordinal);
        for (int i = 0; i < rows.Count; i++)
            if (rows[i].PaymentId is { } pid && sums.TryGetValue(pid, out long sum)) rows[i] = rows[i] with { RefundedMinor = sum };
    }

    /// <summary>"createdAt.paymentRequestId": opaque to the page, checked when read back.</summary>
    public static string Cursor(TransactionRow row) => row.CreatedAt.ToString(CultureInfo.InvariantCulture) + "." + row.PaymentRequestId;

    public static bool TryParseCursor(string? cursor, out long at, out string id)
    {
        at = 0;
        id = "";
        if (string.IsNullOrEmpty(cursor)) return false;
        int dot = cursor.IndexOf('.');
        if (dot <= 0 || !long.TryParse(cursor.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out at)) return false;
        id = cursor[(dot + 1)..];
        return id.Length is > 0 and <= 64;
    }
}
