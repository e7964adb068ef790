using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Queries;

/// <summary>Successful sales in one UTC hour of today, per currency.</summary>
public sealed record HourlySales(int Hour, string Currency, int Count, long AmountMinor);

/// <summary>The Overview's figures.</summary>
public sealed record Overview(long DayStart, IReadOnlyList<HourlySales> Hours, IReadOnlyDictionary<string, int> Devices, int OpenPayments, int NeedsReview, int OpenRefunds);

/// <summary>
/// The Overview: today's successful sales per hour (UTC) by currency, the fleet by heartbeat status, and the payments
/// and refunds without a final status — <c>NeedsReview</c> counts those the repair pass has stopped retrying
/// (check_after cleared: a person's matter now).
/// </summary>
public sealed class OverviewQuery(GatewayDatabase database, FleetQuery fleet, TimeProvider clock)
{
    public async Task<Overview> TodayAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        long dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var hours = await Sql.QueryAsync(connection, null,
            "SELECT (created_at - @start) / 3600000 AS h, currency, COUNT(*), SUM(amount_minor) FROM payments " +
            "WHERE status = @ok AND created_at >= @start AND created_at < @end GROUP BY h, currency ORDER BY h, currency",
            r => new HourlySales((int)Sql.LongOr0(r, 0), r.GetString(1), (int)Sql.LongOr0(r, 2), Sql.LongOr0(r, 3)),
            ("start", dayStart), ("end", dayStart + 86_400_000L), ("ok", PaymentStatuses.Success)).ConfigureAwait(false);
        // "device_id > ''" (true of every row) lets SQLite count the small partial index ix_payments_needs_review instead of
        // reading every open row of the status index and its table row (0.5 ms against 200 ms at 1,000,000 payments).
        var open = await Sql.QueryAsync(connection, null,
            "SELECT (SELECT COUNT(*) FROM payments WHERE status IN " + PaymentStatuses.OpenSql + "), " +
            "(SELECT COUNT(*) FROM payments WHERE status IN " + PaymentStatuses.OpenSql + " AND check_after IS NULL AND device_id > ''), " +
            "(SELECT COUNT(*) FROM refunds WHERE status IN " + PaymentStatuses.OpenSql + ")",
            r => (Sql.LongOr0(r, 0), Sql.LongOr0(r, 1), Sql.LongOr0(r, 2))).ConfigureAwait(false);
        var devices = await fleet.CountsAsync(ct).ConfigureAwait(false);
        return new Overview(dayStart, hours, devices, (int)open[0].Item1, (int)open[0].Item2, (int)open[0].Item3);
    }
}
