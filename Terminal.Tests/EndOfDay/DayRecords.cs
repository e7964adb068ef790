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

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        await _db.DisposeAsync();
    }
}
