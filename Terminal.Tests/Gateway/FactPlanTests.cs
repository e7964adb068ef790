using Npgsql;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Every relayed answer, notification and inquiry applies a fact with a prepared UPDATE. PostgreSQL plans a prepared
/// statement for its values five times, then keeps a generic plan unless the plans for the values look cheaper: with one
/// text for facts with and without an Antom id, the plan for a null id (no subquery for the id) always looked cheaper, and
/// the UPDATE was planned again on every run. The server's own count per prepared statement
/// (<c>pg_prepared_statements</c>, one pooled connection, so one session) says which plans it made.
/// </summary>
public sealed class FactPlanTests
{
    private const int Runs = 30;
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory, PostgresProvider]
    public async Task Fact_updates_are_planned_once_not_on_every_run(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString, pool: new DatabasePool(MaxPoolSize: 1));
        await Migrator.MigrateAsync(database, 1);
        var store = new GatewayStore(database);
        // A table of payments none of which has its Antom id yet (order codes waiting, a day's first answers without one):
        // the statistics then say the id's subquery finds nothing, and only a plan for a null id leaves it out.
        await using (var setup = new NpgsqlConnection(db.ConnectionString))
        {
            await setup.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, status, created_at, updated_at) " +
                $"SELECT 'P-' || g, 'T0001', 'M001', 'S001', 'USD', 500 + g, 'PENDING', {Now}, {Now} FROM generate_series(0, 1999) g; ANALYZE payments", setup);
            await insert.ExecuteNonQueryAsync();
        }
        for (int i = 0; i < Runs; i++)
        {
            // An order code's answer (no paymentId yet), then polls: one that moves nothing, one that moves the status.
            await store.ApplyFactAsync(new StateFact(StateSubject.Payment, $"P-{i}", null, PaymentStatuses.Processing, "pay answer"), Now);
            await store.ApplyFactAsync(new StateFact(StateSubject.Payment, $"P-{i}", null, PaymentStatuses.Processing, "inquiry answer"), Now + 1);
            await store.ApplyFactAsync(new StateFact(StateSubject.Payment, $"P-{i}", null, PaymentStatuses.Fail, "inquiry answer"), Now + 2);
        }

        await using var connection = (NpgsqlConnection)await database.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE 'UPDATE payments SET%'", connection);
        var plans = new List<(long Generic, long Custom)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plans.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        // Not vacuous: the fact UPDATEs were prepared in this session and ran prepared from their second run on.
        Assert.NotEmpty(plans);
        Assert.Equal(3 * Runs - plans.Count, plans.Sum(p => p.Generic + p.Custom));
        // PostgreSQL's first five runs of a statement are always planned for their values; after that, none.
        Assert.All(plans, p => Assert.True(p.Custom <= 5, $"{p.Custom} plans made for the values, {p.Generic} generic runs"));
    }
}
