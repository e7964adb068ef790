using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// A pay's reservation and an inquiry's lookup go with the claim of the device request (<see cref="ClaimRider"/>): one
/// round trip and one transaction. The reservation must be written only when the claim is made (a copy of a request
/// that another copy holds executes nothing), and what either step reads must be what the step alone reads.
/// </summary>
public sealed class ClaimRiderTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_reservation_is_written_with_its_claim_and_only_then(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = await StoreAsync(db);

        var first = new PaymentReservation(Payment("P-1", "T0001", 500), Now + 60_000);
        var claim = await store.ClaimAsync("key-1", Now + 600_000, Transaction("tx-1", "P-1"), first);
        Assert.True(claim.Claimed);
        Assert.True(first.Ran);
        Assert.Equal(("P-1", "T0001", 500L, PaymentStatuses.Pending, "hash-P-1", (long?)(Now + 60_000)),
            (first.Row!.PaymentRequestId, first.Row.DeviceId, first.Row.AmountMinor, first.Row.Status, first.Row.PaymentCodeHash, first.Row.CheckAfter));

        // Another copy of the same signed request (same replay key): not claimed, so its step neither writes nor counts.
        var copy = new PaymentReservation(Payment("P-2", "T0001", 700), Now + 60_000);
        claim = await store.ClaimAsync("key-1", Now + 600_000, Transaction("tx-2", "P-2"), copy);
        Assert.False(claim.Claimed);
        Assert.False(copy.Ran);
        Assert.Null(await store.FindPaymentAsync("P-2", null));
        Assert.NotNull(await store.FindPaymentAsync("P-1", null));
        Assert.Null(await store.FindTransactionAsync("tx-2"));

        // A new request for a paymentRequestId another device holds reads the older row back (the pay refuses it).
        var other = new PaymentReservation(Payment("P-1", "T0002", 900), Now + 60_000);
        claim = await store.ClaimAsync("key-3", Now + 600_000, Transaction("tx-3", "P-1"), other);
        Assert.True(other.Ran);
        Assert.Equal(("T0001", 500L), (other.Row!.DeviceId, other.Row.AmountMinor));
        Assert.Equal(first.Row, await store.ReservePaymentAsync(Payment("P-1", "T0003", 1), Now));
    }

    /// <summary>A pay's first attempt goes with its claim and reservation only when the pay will send it: the claim made,
    /// and the row stored the one asked for (the pay refuses any other before sending).</summary>
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_first_attempt_is_recorded_with_the_claim_only_for_the_row_asked_for(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = await StoreAsync(db);
        var attempt = new FirstAttempt(new Utf8Text("{\"masked\":true}"u8.ToArray()), Now + 5, Now + 60_000);

        var first = new PaymentReservation(Payment("P-1", "T0001", 500), Now + 60_000, attempt);
        Assert.True((await store.ClaimAsync("key-1", Now + 600_000, Transaction("tx-1", "P-1"), first)).Claimed);
        Assert.True(first.RecordedFirstAttempt);
        var record = (await store.FindTransactionAsync("tx-1"))!;
        Assert.Equal(("{\"masked\":true}", (long?)(Now + 5), 1, UpstreamOutcomes.Pending),
            (record.UpstreamRequestBody, record.UpstreamSentAt, record.UpstreamAttempts, record.UpstreamOutcome));
        // It holds the record's lease as an attempt recorded alone does: the resolver does not claim it meanwhile.
        Assert.Empty(await store.ClaimStaleAsync("resolver", Now + 30_000, Now + 30_000, Now + 90_000, 10));

        // The same paymentRequestId again: from another device, with another amount, with another payment code; and a
        // copy of a request another copy holds. None may be sent, so none records an attempt.
        var refused = new[]
        {
            ("key-2", "tx-2", Payment("P-1", "T0002", 500)),
            ("key-3", "tx-3", Payment("P-1", "T0001", 501)),
            ("key-4", "tx-4", Payment("P-1", "T0001", 500) with { PaymentCodeHash = "hash-other" }),
            ("key-1", "tx-5", Payment("P-1", "T0001", 500)),
        };
        foreach (var (key, id, payment) in refused)
        {
            var again = new PaymentReservation(payment, Now + 60_000, attempt);
            await store.ClaimAsync(key, Now + 600_000, Transaction(id, "P-1"), again);
            Assert.False(again.RecordedFirstAttempt, id);
            Assert.Null((await store.FindTransactionAsync(id))?.UpstreamSentAt);
        }

        // A pay sent again as a new request (new replay key) for its own row sends again: recorded (negative control of
        // the loop above), also without a payment code on either side.
        var repeat = new PaymentReservation(Payment("P-1", "T0001", 500), Now + 60_000, attempt);
        await store.ClaimAsync("key-6", Now + 600_000, Transaction("tx-6", "P-1"), repeat);
        Assert.True(repeat.RecordedFirstAttempt);
        var noCode = new PaymentReservation(Payment("P-7", "T0001", 500) with { PaymentCodeHash = null }, Now + 60_000, attempt);
        await store.ClaimAsync("key-7", Now + 600_000, Transaction("tx-7", "P-7"), noCode);
        Assert.True(noCode.RecordedFirstAttempt);
        Assert.Equal(1, (await store.FindTransactionAsync("tx-7"))!.UpstreamAttempts);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_lookup_with_the_claim_reads_what_the_lookup_alone_reads(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = await StoreAsync(db);
        await store.ReservePaymentAsync(Payment("P-n", "T0001", 500), Now + 60_000);
        var fact = new StateFact(StateSubject.Payment, "P-n", "A-n", PaymentStatuses.Success, "notification");
        await store.RecordNotificationAsync(new NotificationRecord("PAYMENT_RESULT|id:A-n", "PAYMENT_RESULT", "P-n", "A-n", "S", "SUCCESS", "C1", "1", "{}", Now, 0, Now), fact);

        var lookup = new PaymentLookup("P-n");
        Assert.True((await store.ClaimAsync("key-n", Now + 600_000, Transaction("tx-n", "P-n"), lookup)).Claimed);
        Assert.True(lookup.Ran);
        var alone = await store.FindPaymentWithFinalNotificationAsync("P-n");
        Assert.Equal(("A-n", PaymentStatuses.Success), (lookup.Payment!.PaymentId, lookup.Payment.Status));
        Assert.Equal(alone.Payment, lookup.Payment);
        Assert.Equal("PAYMENT_RESULT|id:A-n", lookup.Final!.NotificationKey);
        Assert.Equal(alone.Final, lookup.Final);

        // With its first attempt: recorded when the claim is made, whatever the lookup finds; a copy records nothing.
        var attempt = new FirstAttempt(new Utf8Text("{\"paymentRequestId\":\"P-n\"}"u8.ToArray()), Now + 1, Now + 60_000);
        var sending = new PaymentLookup("P-n", attempt);
        Assert.True((await store.ClaimAsync("key-s", Now + 600_000, Transaction("tx-s", "P-n"), sending)).Claimed);
        Assert.Equal((true, alone.Payment, "PAYMENT_RESULT|id:A-n"), (sending.RecordedFirstAttempt, sending.Payment, sending.Final!.NotificationKey));
        Assert.Equal(((long?)(Now + 1), 1), ((await store.FindTransactionAsync("tx-s"))!.UpstreamSentAt, (await store.FindTransactionAsync("tx-s"))!.UpstreamAttempts));
        var copy = new PaymentLookup("P-n", attempt);
        Assert.False((await store.ClaimAsync("key-s", Now + 600_000, Transaction("tx-c", "P-n"), copy)).Claimed);
        Assert.False(copy.RecordedFirstAttempt);

        // An unknown payment: nothing found, and no notification without a payment.
        var none = new PaymentLookup("P-none");
        Assert.True((await store.ClaimAsync("key-none", Now + 600_000, Transaction("tx-none", "P-none"), none)).Claimed);
        Assert.True(none.Ran);
        Assert.Null(none.Payment);
        Assert.Null(none.Final);
    }

    private static async Task<GatewayStore> StoreAsync(TestDatabase db)
    {
        var database = new GatewayDatabase(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await Migrator.MigrateAsync(database, 1);
        return new GatewayStore(database);
    }

    private static PaymentRecord Payment(string id, string device, long amount) =>
        new(id, device, "M001", "S001", "USD", amount, null, PaymentStatuses.Pending, Now, Now, PaymentCodeHash: "hash-" + id);

    private static NewTransaction Transaction(string id, string paymentRequestId) =>
        new(id, "T0001", "pay", "/ams/api/v1/payments/pay", Now, Now, paymentRequestId, null, null, "{}", "gw-test");
}
