using Terminal.Gateway.Storage;

namespace Terminal.Benchmarks.OperationsConsole;

/// <summary>
/// Fills a gateway database with a fleet and its history in a few SQL statements (recursive CTEs, the same text for
/// SQLite and PostgreSQL): <c>devices</c> terminals in stores of 100, each with a latest heartbeat (5 % never seen, the
/// rest spread over the last hour so some are offline, 3 % degraded), and <c>payments</c> payments over the last 30 days
/// ending now — 93 % SUCCESS, 3 % FAIL, 2 % CANCELLED, 1 % PROCESSING, 1 % PENDING — with amounts from 1.00 to
/// 200.00, a reference each, a paymentId for the successful ones, and a refund for every 50th payment.
/// Values come from integer hashes of the row number, so two runs seed the same data.
/// </summary>
public static class ConsoleSeed
{
    public const long Day = 86_400_000L;

    /// <summary>The newest payment's time if the database was seeded before (a file kept with <c>--db</c>), else null.</summary>
    public static async Task<long?> SeededAtAsync(GatewayDatabase database)
    {
        await using var connection = await database.OpenAsync();
        var newest = await Sql.QueryAsync(connection, null, "SELECT MAX(created_at) FROM payments", r => Sql.Long(r, 0));
        return newest[0];
    }

    public static async Task RunAsync(GatewayDatabase database, int devices, int payments, long nowMs)
    {
        await using var connection = await database.OpenAsync();
        long start = nowMs - 30 * Day;
        // BIGINT throughout: PostgreSQL's integer (int4) overflows in the hashes and the 30-day span in milliseconds.
        string series(string limit) => $"WITH RECURSIVE c(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM c WHERE n < {limit}) ";
        await Sql.ExecAsync(connection, null,
            series(devices.ToString(System.Globalization.CultureInfo.InvariantCulture)) +
            "INSERT INTO devices (device_id, status, reference_merchant_id, reference_store_id, store_terminal_id, max_amount_minor, currencies, created_at, updated_at) " +
            "SELECT 'T' || CAST(100000 + n AS TEXT), 'active', 'M001', 'S' || CAST(100 + n % (@d / 100 + 1) AS TEXT), 'T' || CAST(100000 + n AS TEXT), NULL, '', @start, @start FROM c",
            ("d", (long)devices), ("start", start));
        await Sql.ExecAsync(connection, null,
            series(devices.ToString(System.Globalization.CultureInfo.InvariantCulture)) +
            "INSERT INTO device_health (device_id, received_at, request_time, interval_ms, firmware, degraded, body, beats) " +
            "SELECT 'T' || CAST(100000 + n AS TEXT), @now - (n * 7919) % 3600000, @now - (n * 7919) % 3600000, 60000, '1.4.' || CAST(n % 3 AS TEXT), " +
            "CASE WHEN n % 33 = 0 THEN 'scanner' ELSE NULL END, '{\"settings\":{\"applied\":0}}', 100 FROM c WHERE n % 20 <> 0",
            ("now", nowMs));
        await Sql.ExecAsync(connection, null,
            "INSERT INTO device_heartbeats (device_id, received_at, uptime_s, heap_bytes, wifi_rssi, degraded) " +
            "SELECT device_id, received_at, 3600, 60000 + (received_at % 20000), -40 - (received_at % 50), degraded FROM device_health");
        await Sql.ExecAsync(connection, null,
            series(payments.ToString(System.Globalization.CultureInfo.InvariantCulture)) +
            "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, " +
            "created_at, updated_at, checks, reference_order_id) " +
            "SELECT 'PR' || CAST(10000000 + n AS TEXT), 'T' || CAST(100000 + 1 + (n * 7907) % @d AS TEXT), 'M001', " +
            "'S' || CAST(100 + (1 + (n * 7907) % @d) % (@d / 100 + 1) AS TEXT), 'USD', 100 + (n * 104729) % 19901, " +
            "CASE WHEN n % 100 < 93 THEN 'PID' || CAST(50000000 + n AS TEXT) ELSE NULL END, " +
            "CASE WHEN n % 100 < 93 THEN 'SUCCESS' WHEN n % 100 < 96 THEN 'FAIL' WHEN n % 100 < 98 THEN 'CANCELLED' WHEN n % 100 < 99 THEN 'PROCESSING' ELSE 'PENDING' END, " +
            "@start + n * (@span / @p), @start + n * (@span / @p), 0, 'R' || CAST(n AS TEXT) FROM c",
            ("d", (long)devices), ("p", (long)payments), ("start", start), ("span", 30 * Day));
        await Sql.ExecAsync(connection, null,
            "INSERT INTO refunds (refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at) " +
            "SELECT 'RF' || payment_request_id, device_id, payment_id, currency, amount_minor / 2, 'RID' || payment_id, 'SUCCESS', created_at + 60000, created_at + 60000 " +
            "FROM payments WHERE payment_id IS NOT NULL AND CAST(SUBSTR(payment_request_id, 3) AS BIGINT) % 50 = 0");
        // Statistics as a gateway that has run a while has them (PostgreSQL's autovacuum; SQLite's ANALYZE or PRAGMA
        // optimize), and on PostgreSQL the visibility map that lets covering indexes answer without the table.
        await Sql.ExecAsync(connection, null, database.Provider == DatabaseProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE");
    }
}
