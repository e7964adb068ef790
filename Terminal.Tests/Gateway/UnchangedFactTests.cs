using Npgsql;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// A terminal polls its payment every second or so, and each inquiry's answer is a fact about the payment. One that moves
/// nothing must not write the row: on PostgreSQL every update writes a new version of the row, and of its entries in
/// all of the payments table's indexes. The row's version (<c>xmin</c>, the transaction that wrote it) says whether it
/// was written.
/// </summary>
public sealed class UnchangedFactTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory, PostgresProvider]
    public async Task A_fact_that_moves_nothing_leaves_the_payment_row_as_it_was(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = new GatewayDatabase(DatabaseProvider.Postgres, db.ConnectionString);
        await Migrator.MigrateAsync(database, 1);
        var store = new GatewayStore(database);
        await store.ReservePaymentAsync(new PaymentRecord("P-poll", "T0001", "M001", "S001", "USD", 500, null, PaymentStatuses.Pending, Now, Now), Now + 60_000);

        var paid = await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-poll", "A-1", PaymentStatuses.Success, "pay answer"), Now);
        Assert.Equal((PaymentStatuses.Success, "A-1", false), (paid!.Status, paid.AntomId, paid.Contradicted));
        string written = await VersionAsync(db);

        // Inquiries that confirm or trail the status, and a contradicting one: answered from the row, which stays.
        foreach (var (status, contradicted) in new[] { (PaymentStatuses.Processing, false), (PaymentStatuses.Success, false), (PaymentStatuses.Fail, true) })
        {
            var applied = await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-poll", "A-1", status, "inquiry answer"), Now + 1);
            Assert.Equal((PaymentStatuses.Success, "A-1", contradicted), (applied!.Status, applied.AntomId, applied.Contradicted));
            Assert.Equal(written, await VersionAsync(db));
        }
        var row = (await store.FindPaymentAsync("P-poll", null))!;
        Assert.Equal(("pay answer", Now), (row.StatusSource, row.UpdatedAt));

        // A fact that moves the status still writes it (the check above is not vacuous).
        var cancelled = await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-poll", "A-1", PaymentStatuses.Cancelled, "cancel answer"), Now + 2);
        Assert.Equal(PaymentStatuses.Cancelled, cancelled!.Status);
        Assert.NotEqual(written, await VersionAsync(db));
        Assert.Null(await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-none", null, PaymentStatuses.Success, "pay answer"), Now));
    }

    private static async Task<string> VersionAsync(TestDatabase db)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT xmin::text FROM payments WHERE payment_request_id = 'P-poll'", connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
