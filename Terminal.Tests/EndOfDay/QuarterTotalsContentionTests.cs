using Npgsql;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// The quarter totals' triggers (migrations 0014, 0015) run inside every payment write. With one row per quarter hour,
/// currency and status, two payments written at once queued for that row: the second writer waited for the first one's
/// commit. Now server processes add to their own slot, so the second insert goes through while the first is still open.
/// </summary>
public sealed class QuarterTotalsContentionTests
{
    private const long CreatedAt = 1_796_400_000_000; // one quarter hour for both payments

    [Theory, PostgresProvider]
    public async Task Two_payments_of_one_quarter_hour_are_written_at_once_without_waiting_for_each_other(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using (var database = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString)) await Migrator.MigrateAsync(database, 1);

        // Two server processes whose ids fall into different slots (16 of them: among 17 processes two always do).
        var opened = new List<NpgsqlConnection>();
        try
        {
            NpgsqlConnection? first = null, second = null;
            string direct = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString;
            while (second == null)
            {
                var connection = new NpgsqlConnection(direct);
                await connection.OpenAsync();
                opened.Add(connection);
                if (first == null) first = connection;
                else if (connection.ProcessID % 16 != first.ProcessID % 16) second = connection;
            }

            await using var open = await first!.BeginTransactionAsync();
            await InsertAsync(first, open, "P-held");
            // Before the slots this waited for the open transaction's lock on the one totals row, until lock_timeout.
            await using (var timeout = new NpgsqlCommand("SET lock_timeout = '5s'", second)) await timeout.ExecuteNonQueryAsync();
            await InsertAsync(second, null, "P-meanwhile");
            await open.CommitAsync();

            await using var reading = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString);
            var quarter = Assert.Single(await new EndOfDayStore(reading).QuartersAsync(0, long.MaxValue / 2));
            Assert.Equal((2L, 1500L), (quarter.Records, quarter.AmountMinor));
        }
        finally
        {
            foreach (var connection in opened) await connection.DisposeAsync();
        }
    }

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string requestId)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, status, created_at, updated_at) " +
            "VALUES (@id, 'T0001', 'M001', 'S001', 'USD', 750, 'SUCCESS', @at, @at)", connection, tx);
        cmd.Parameters.AddWithValue("id", requestId);
        cmd.Parameters.AddWithValue("at", CreatedAt);
        await cmd.ExecuteNonQueryAsync();
    }
}
