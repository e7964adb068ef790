using Npgsql;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Two writers that give one Antom id (paymentId, refundId) to two different rows at once. The fact SQL leaves an id
/// another row has with that row; on PostgreSQL two read-committed transactions each saw the id as free, both took it,
/// and the unique index refused the later writer's whole transaction (error 23505 thrown to the device, the
/// notification or the resolver). The interleaving is forced: the first writer holds its uncommitted fact until the
/// second is seen waiting for it (pg_blocking_pids), then commits. Every writer of facts is tried as the second one.
/// </summary>
public sealed class ConcurrentAntomIdTests
{
    public enum Writer
    {
        Repair,
        Notification,
        Answer,
        ResolverStep,
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_paymentId_another_payment_is_taking_at_the_same_time_stays_with_it_and_the_status_still_moves(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = await MigratedAsync(db);
        var store = new GatewayStore(database);
        foreach (var writer in Enum.GetValues<Writer>())
        {
            string first = "P-" + writer + "-1", second = "P-" + writer + "-2", paymentId = "A-" + writer;
            foreach (string prid in new[] { first, second })
                await store.ReservePaymentAsync(new PaymentRecord(prid, "T0001", "M001", "S001", "USD", 500, null, PaymentStatuses.Pending, Now, Now), Now + 60_000);

            var applied = await RaceAsync(database, store, writer,
                new StateFact(StateSubject.Payment, first, paymentId, PaymentStatuses.Success, "held"),
                new StateFact(StateSubject.Payment, second, paymentId, PaymentStatuses.Success, writer.ToString()));

            Assert.Equal((PaymentStatuses.Success, null, false), (applied!.Status, applied.AntomId, applied.Contradicted));
            var rows = (await store.ListPaymentsAsync()).Where(p => p.PaymentRequestId.StartsWith("P-" + writer + "-", StringComparison.Ordinal))
                .Select(p => (p.PaymentRequestId, p.PaymentId, p.Status, p.StatusSource));
            Assert.Equal([(first, paymentId, PaymentStatuses.Success, "held"), (second, null, PaymentStatuses.Success, writer.ToString())], rows);
        }
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_refundId_another_refund_is_taking_at_the_same_time_stays_with_it_and_the_status_still_moves(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = await MigratedAsync(db);
        var store = new GatewayStore(database);
        foreach (var writer in new[] { Writer.Repair, Writer.Answer, Writer.ResolverStep }) // notifications are about payments only
        {
            string first = "R-" + writer + "-1", second = "R-" + writer + "-2", refundId = "F-" + writer;
            foreach (string rrid in new[] { first, second })
                await store.ReserveRefundAsync(new RefundRecord(rrid, "T0001", "A-paid", "USD", 100, null, PaymentStatuses.Pending, Now, Now), Now + 60_000);

            var applied = await RaceAsync(database, store, writer,
                new StateFact(StateSubject.Refund, first, refundId, PaymentStatuses.Success, "held"),
                new StateFact(StateSubject.Refund, second, refundId, PaymentStatuses.Fail, writer.ToString()));

            Assert.Equal((PaymentStatuses.Fail, null, false), (applied!.Status, applied.AntomId, applied.Contradicted));
            var rows = (await store.ListRefundsAsync()).Where(r => r.RefundRequestId.StartsWith("R-" + writer + "-", StringComparison.Ordinal))
                .Select(r => (r.RefundRequestId, r.RefundId, r.Status, r.StatusSource));
            Assert.Equal([(first, refundId, PaymentStatuses.Success, "held"), (second, null, PaymentStatuses.Fail, writer.ToString())], rows);
        }
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_same_fact_from_two_writers_at_once_is_applied_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = await MigratedAsync(db);
        var store = new GatewayStore(database);
        await store.ReserveRefundAsync(new RefundRecord("R-same", "T0001", "A-paid", "USD", 100, null, PaymentStatuses.Pending, Now, Now), Now + 60_000);

        var applied = await RaceAsync(database, store, Writer.Answer,
            new StateFact(StateSubject.Refund, "R-same", "F-same", PaymentStatuses.Success, "held"),
            new StateFact(StateSubject.Refund, "R-same", "F-same", PaymentStatuses.Success, "refund answer"));

        Assert.Equal((PaymentStatuses.Success, "F-same", false), (applied!.Status, applied.AntomId, applied.Contradicted));
        var row = Assert.Single(await store.ListRefundsAsync());
        Assert.Equal(("F-same", PaymentStatuses.Success, "held"), (row.RefundId, row.Status, row.StatusSource)); // the second moved nothing
        var quarter = Assert.Single(await new EndOfDayStore(database).QuartersAsync(0, long.MaxValue / 2), q => q.Records != 0);
        Assert.Equal((PaymentStatuses.Success, 1L, 100L), (quarter.Status, quarter.Records, quarter.AmountMinor));
    }

    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static async Task<GatewayDatabase> MigratedAsync(TestDatabase db)
    {
        var database = new GatewayDatabase(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await Migrator.MigrateAsync(database, 1);
        return database;
    }

    /// <summary>
    /// Applies <paramref name="held"/> in a transaction left open, starts <paramref name="writer"/> with
    /// <paramref name="raced"/>, waits until that writer is blocked by the open transaction (PostgreSQL; SQLite's writers
    /// are serialized, so the second simply runs after the commit), commits, and returns what the writer applied.
    /// </summary>
    private static async Task<AppliedFact?> RaceAsync(GatewayDatabase database, GatewayStore store, Writer writer, StateFact held, StateFact raced)
    {
        await using var holder = await database.OpenAsync();
        await using var tx = await GatewayDatabase.BeginWriteAsync(holder);
        string sql = GatewayStore.FactSql(held);
        Assert.Equal(1, await Sql.ExecAsync(holder, tx, sql, GatewayStore.FactParameters(held, Now)));

        // A thread of its own: SQLite's BEGIN IMMEDIATE waits for the write lock synchronously.
        var writing = Task.Run(() => WriteAsync(store, writer, raced));
        if (holder is NpgsqlConnection postgres)
        {
            await using var observer = await database.OpenAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!await IsBlockedByAsync(observer, postgres.ProcessID))
            {
                Assert.False(writing.IsCompleted, "the second writer finished while the first held its uncommitted fact: " + writing.Exception?.InnerException?.Message);
                Assert.True(DateTime.UtcNow < deadline, "the second writer never waited for the first");
                await Task.Delay(10);
            }
        }
        await tx.CommitAsync();
        return await writing.WaitAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task<bool> IsBlockedByAsync(System.Data.Common.DbConnection observer, int holderPid) =>
        (await Sql.QueryAsync(observer, null, "SELECT pid FROM pg_stat_activity WHERE @holder = ANY(pg_blocking_pids(pid))", r => r.GetInt32(0), ("holder", holderPid)))
        .Count > 0;

    /// <summary>Applies <paramref name="fact"/> the way <paramref name="writer"/> does: with the record it came from.</summary>
    private static async Task<AppliedFact?> WriteAsync(GatewayStore store, Writer writer, StateFact fact)
    {
        bool payment = fact.Subject == StateSubject.Payment;
        string id = Guid.NewGuid().ToString("N");
        switch (writer)
        {
            case Writer.Repair:
                return await store.ApplyFactAsync(fact, Now);
            case Writer.Notification:
                return (await store.RecordNotificationAsync(new NotificationRecord("PAYMENT_RESULT|id:" + fact.AntomId + "|" + id, "PAYMENT_RESULT", fact.RequestId, fact.AntomId,
                    "S", "SUCCESS", "client", "2026-10-24T10:00:00Z", "{}", Now, 0, Now), fact)).Applied;
            case Writer.Answer:
                {
                    var claim = await store.ClaimAsync("key-" + id, Now + 600_000, new NewTransaction(id, "T0001", payment ? "pay" : "refund", "/path", Now, Now,
                        payment ? fact.RequestId : null, null, payment ? null : fact.RequestId, (Utf8Text)"{}", "gw-test"));
                    Assert.True(claim.Claimed);
                    var completion = await store.CompleteAsync(id, "key-" + id, new TransactionCompletion((Utf8Text)"{}", Now, Now, 1, UpstreamOutcomes.Ok, 200, null,
                        "{\"result\":{\"resultStatus\":\"S\"}}", "S", "SUCCESS", Now), fact, Now);
                    Assert.True(completion.Stored, "the answer is stored");
                    return completion.Applied;
                }
            default:
                await store.BeginStepAsync(new ResolutionStepRecord(id, GatewayStore.SubjectName(fact.Subject), fact.RequestId, null, "test",
                    payment ? "inquiryPayment" : "inquiryRefund", "{}", Now, UpstreamOutcomes.Pending, null, null, null, null, null, null, "gw-test"));
                return await store.CompleteStepAsync(id, UpstreamOutcomes.Ok, "{}", "S", "SUCCESS", fact, Now);
        }
    }
}
