using System.Data.Common;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>Schema migrations, the device registry and the records, on SQLite and on PostgreSQL.</summary>
public sealed class PersistenceTests
{
    private static GatewayDatabase Open(TestDatabase db) =>
        new(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Migrations_apply_once_and_record_their_version(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = Open(db);
        var first = await Migrator.MigrateAsync(database, 1);
        var second = await Migrator.MigrateAsync(database, 2);
        int latest = Migrator.LatestVersion(database.Provider);
        Assert.Equal(Enumerable.Range(1, latest), first);
        Assert.Empty(second);
        Assert.Equal(latest, await new GatewayStore(database).PingAsync());
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Concurrent_starts_migrate_exactly_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var databases = Enumerable.Range(0, 4).Select(_ => Open(db)).ToList();
        try
        {
            var results = await Task.WhenAll(databases.Select(d => Task.Run(() => Migrator.MigrateAsync(d, 1))));
            Assert.Equal(Migrator.LatestVersion(databases[0].Provider), results.Sum(r => r.Count));
            await using var connection = await databases[0].OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM schema_version";
            Assert.Equal(Migrator.LatestVersion(databases[0].Provider), Convert.ToInt32(await cmd.ExecuteScalarAsync()));
        }
        finally
        {
            foreach (var d in databases) await d.DisposeAsync();
        }
    }

    [Fact]
    public void Both_providers_have_the_same_migration_versions()
    {
        Assert.Equal(
            Migrator.Load(DatabaseProvider.Sqlite).Select(m => m.Name),
            Migrator.Load(DatabaseProvider.Postgres).Select(m => m.Name));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_registry_stores_devices_and_only_encrypted_keys(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = Open(db);
        await Migrator.MigrateAsync(database, 1);
        var protector = new KeyProtector(Convert.FromBase64String(TestKeys.KeyEncryptionKey));
        var registry = new DeviceRegistry(database, protector, new MerchantOptions { ReferenceMerchantId = "M1", ReferenceStoreId = "S1", Currencies = ["USD"] }, TimeProvider.System);

        var c1 = await registry.RegisterAsync(new DeviceRegistration("T0001", MaxAmountMinor: 100000));
        Assert.Equal(32, c1.KeyBytes.Length);
        await Assert.ThrowsAsync<DeviceExistsException>(() => registry.RegisterAsync(new DeviceRegistration("T0001")));
        var c2 = await registry.RotateKeyAsync("T0001");
        Assert.Equal(2, c2!.KeyVersion);
        Assert.NotEqual(c1.Key, c2.Key);
        Assert.Null(await registry.RotateKeyAsync("T0404"));

        var listed = Assert.Single(await registry.ListAsync());
        Assert.Equal(("T0001", "active", "M1", "S1", "T0001", 100000L), (listed.Device.DeviceId, listed.Device.Status, listed.Device.ReferenceMerchantId, listed.Device.ReferenceStoreId, listed.Device.StoreTerminalId, listed.Device.MaxAmountMinor!.Value));
        Assert.Equal(["USD"], listed.Device.Currencies);
        Assert.Equal([1, 2], listed.KeyVersions);

        // At rest: ciphertext only; it decrypts to the handed-out key.
        var found = await registry.FindWithKeysAsync("T0001");
        Assert.Equal(c2.KeyBytes, registry.Decrypt(found!.Value.Keys.Single(k => k.KeyVersion == 2)));
        string dump = await DumpAsync(database, "SELECT key_ciphertext FROM device_keys");
        Assert.DoesNotContain(c1.Key, dump);
        Assert.DoesNotContain(c2.Key, dump);

        await registry.RetireOlderKeysAsync("T0001", 2);
        Assert.Equal([2], (await registry.ListAsync()).Single().KeyVersions);
        Assert.Equal("revoked", (await registry.RevokeAsync("T0001"))!.Status);
        await Assert.ThrowsAsync<DeviceRevokedException>(() => registry.RotateKeyAsync("T0001"));
        Assert.Null(await registry.RevokeAsync("T0404"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Concurrent_rotations_get_distinct_versions(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var database = Open(db);
        await Migrator.MigrateAsync(database, 1);
        var registry = new DeviceRegistry(database, new KeyProtector(Convert.FromBase64String(TestKeys.KeyEncryptionKey)),
            new MerchantOptions { ReferenceMerchantId = "M1", ReferenceStoreId = "S1" }, TimeProvider.System);
        await registry.RegisterAsync(new DeviceRegistration("T0001"));
        var rotations = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => registry.RotateKeyAsync("T0001"))));
        Assert.Equal([2, 3, 4, 5], rotations.Select(r => r!.KeyVersion).Order());
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Each_request_is_recorded_with_bodies_times_and_statuses(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-rec"));
        var reply = await device.SendAsync(signed);

        var r = Assert.Single(await t.Gateway.Store.ListTransactionsAsync());
        Assert.Equal(("T0001", "pay", Bodies.Pay, "P-rec"), (r.DeviceId, r.Operation, r.RequestPath, r.PaymentRequestId));
        Assert.Equal(long.Parse(signed.RequestTime), r.RequestTime);
        // The bodies as sent, but for the customer's payment code, which is stored masked (ExposureTests).
        const string code = "\"paymentMethodId\":\"288888888888888888\"", masked = "\"paymentMethodId\":\"**************8888\"";
        Assert.Equal(signed.Body.Replace(code, masked, StringComparison.Ordinal), r.DeviceRequestBody);
        Assert.Equal(t.Antom.Requests.Single().Body.Replace(code, masked, StringComparison.Ordinal), r.UpstreamRequestBody);
        Assert.Equal(reply.Body, r.ResponseBody);
        Assert.Equal(("ok", 200, 1, "S", "SUCCESS"), (r.UpstreamOutcome, r.UpstreamHttpStatus!.Value, r.UpstreamAttempts, r.ResultStatus, r.ResultCode));
        Assert.True(r.ReceivedAt <= r.UpstreamSentAt && r.UpstreamSentAt <= r.UpstreamCompletedAt && r.UpstreamCompletedAt <= r.RespondedAt);

        var payment = await t.Gateway.Store.FindPaymentAsync("P-rec", null);
        Assert.Equal(("SUCCESS", reply["paymentId"], 1000L, "USD"), (payment!.Status, payment.PaymentId, payment.AmountMinor, payment.Currency));
        Assert.Equal("P-rec", (await t.Gateway.Store.FindPaymentAsync(null, reply["paymentId"]))!.PaymentRequestId);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Refunds_and_notifications_are_recorded(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-r")))["paymentId"]!;
        var refunded = await device.PostAsync(Bodies.Refund, Bodies.RefundBody("R-1", paymentId, 300));
        var refund = await t.Gateway.Store.FindRefundAsync("R-1", null);
        Assert.Equal(("SUCCESS", refunded["refundId"], paymentId, 300L), (refund!.Status, refund.RefundId, refund.PaymentId, refund.AmountMinor));

        string body = FakeAntom.NotificationBody("P-r", paymentId);
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, body);
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, body);
        var n = Assert.Single(await t.Gateway.Store.ListNotificationsAsync());
        Assert.Equal((body, 1L, t.Antom.ClientId), (n.Body, n.Duplicates, n.ClientId));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Expired_replay_keys_are_purged(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-purge"));
        var store = t.Gateway.Store;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(0, await store.PurgeExpiredReplayKeysAsync(now));
        Assert.Equal(1, await store.PurgeExpiredReplayKeysAsync(now + 11 * 60_000)); // 2 x the 5 min window, plus a minute
        Assert.Single(await store.ListTransactionsAsync()); // the transaction itself stays
    }

    private static async Task<string> DumpAsync(GatewayDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync();
        await using DbCommand cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return string.Join("\n", values);
    }
}
