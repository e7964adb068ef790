using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;

namespace Terminal.Tests.EndOfDay;

/// <summary>A migrated gateway database (SQLite file or PostgreSQL schema) with payments and refunds written straight
/// into its tables, as the relay would have left them, and the end-of-day queries over it.</summary>
internal sealed class DayRecords : IAsyncDisposable
{
    private readonly TestDatabase _db;

    private DayRecords(TestDatabase db, GatewayDatabase database, EndOfDayQueries queries)
    {
        _db = db;
        Database = database;
        Queries = queries;
    }

    public GatewayDatabase Database { get; }

    /// <summary>The same database as configuration of the gateway's commands.</summary>
    public DatabaseOptions Options => new() { Provider = _db.Provider, ConnectionString = _db.ConnectionString };
    public EndOfDayQueries Queries { get; }

    public static async Task<DayRecords> CreateAsync(string provider, string timeZone = "UTC", string? antomClientId = null, int maxReportBytes = 128 * 1024 * 1024)
    {
        var db = await TestDatabase.CreateAsync(provider);
        var database = new GatewayDatabase(provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await Migrator.MigrateAsync(database, 1);
        var options = new GatewayOptions { EndOfDay = new EndOfDayOptions { TimeZone = timeZone, MaxReportBytes = maxReportBytes } };
        options.Antom.ClientId = antomClientId;
        return new DayRecords(db, database, EndOfDayQueries.For(database, options, TimeProvider.System));
    }

    public static long Ms(string isoTime) => DateTimeOffset.Parse(isoTime, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    public async Task PaymentAsync(string requestId, string? paymentId, string status, long amount, string createdAt, string device = "T0001",
        string store = "S001", string currency = "USD", string? updatedAt = null)
    {
        await using var connection = await Database.OpenAsync();
        await Sql.ExecAsync(connection, null,
            "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at) " +
            "VALUES (@r, @d, 'M001', @s, @c, @a, @p, @st, @t, @u)",
            ("r", requestId), ("d", device), ("s", store), ("c", currency), ("a", amount), ("p", paymentId), ("st", status), ("t", Ms(createdAt)),
            ("u", Ms(updatedAt ?? createdAt)));
    }

    public async Task RefundAsync(string requestId, string? refundId, string paymentId, string status, long amount, string createdAt,
        string device = "T0001", string currency = "USD", string? updatedAt = null)
    {
        await using var connection = await Database.OpenAsync();
        await Sql.ExecAsync(connection, null,
            "INSERT INTO refunds (refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at) " +
            "VALUES (@r, @d, @p, @c, @a, @f, @st, @t, @u)",
            ("r", requestId), ("d", device), ("p", paymentId), ("c", currency), ("a", amount), ("f", refundId), ("st", status), ("t", Ms(createdAt)),
            ("u", Ms(updatedAt ?? createdAt)));
    }

    /// <summary>One payment row as <see cref="InsertAsync"/> writes it (times in epoch milliseconds).</summary>
    public sealed record PaymentRow(string RequestId, string? PaymentId, string Device, string Store, string Currency, long Amount, string Status,
        long CreatedAt, long UpdatedAt);

    /// <summary>One refund row as <see cref="InsertAsync"/> writes it (times in epoch milliseconds).</summary>
    public sealed record RefundRow(string RequestId, string? RefundId, string PaymentId, string Device, string Currency, long Amount, string Status,
        long CreatedAt, long UpdatedAt);

    /// <summary>
    /// Writes many rows in one transaction, then lets the database gather statistics (ANALYZE) as a gateway that has run
    /// a while has them: the planner's choices with statistics are the ones a fast path must survive.
    /// </summary>
    public async Task InsertAsync(IReadOnlyList<PaymentRow> payments, IReadOnlyList<RefundRow> refunds)
    {
        await using var connection = await Database.OpenAsync();
        await using (var tx = await GatewayDatabase.BeginWriteAsync(connection))
        {
            foreach (var chunk in payments.Chunk(100))
            {
                var values = chunk.Select((_, i) => $"(@r{i}, @d{i}, 'M001', @s{i}, @c{i}, @a{i}, @p{i}, @st{i}, @t{i}, @u{i})");
                var parameters = chunk.SelectMany((p, i) => new (string, object?)[]
                {
                    ("r" + i, p.RequestId), ("d" + i, p.Device), ("s" + i, p.Store), ("c" + i, p.Currency), ("a" + i, p.Amount), ("p" + i, p.PaymentId),
                    ("st" + i, p.Status), ("t" + i, p.CreatedAt), ("u" + i, p.UpdatedAt),
                }).ToArray();
                await Sql.ExecAsync(connection, tx,
                    "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at) " +
                    "VALUES " + string.Join(", ", values), parameters);
            }
            foreach (var chunk in refunds.Chunk(100))
            {
                var values = chunk.Select((_, i) => $"(@r{i}, @d{i}, @p{i}, @c{i}, @a{i}, @f{i}, @st{i}, @t{i}, @u{i})");
                var parameters = chunk.SelectMany((r, i) => new (string, object?)[]
                {
                    ("r" + i, r.RequestId), ("d" + i, r.Device), ("p" + i, r.PaymentId), ("c" + i, r.Currency), ("a" + i, r.Amount), ("f" + i, r.RefundId),
                    ("st" + i, r.Status), ("t" + i, r.CreatedAt), ("u" + i, r.UpdatedAt),
                }).ToArray();
                await Sql.ExecAsync(connection, tx,
                    "INSERT INTO refunds (refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at) " +
                    "VALUES " + string.Join(", ", values), parameters);
            }
            await tx.CommitAsync();
        }
        await Sql.ExecAsync(connection, null, "ANALYZE");
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await _db.DisposeAsync();
    }
}
