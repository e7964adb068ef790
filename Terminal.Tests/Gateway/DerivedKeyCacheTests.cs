using System.Security.Cryptography;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The cache of label keys derived from device keys (<see cref="DerivedKeyCache"/>) may save the decryption, never serve a
/// key the database no longer holds: a changed ciphertext, a rotation or a revocation made by another instance (which
/// cannot tell this one) must take effect on the next request.
/// </summary>
public sealed class DerivedKeyCacheTests
{
    private const string Label = "qr-terminal-hs256/antom-relay/device-to-gateway";

    [Fact]
    public void A_key_is_derived_once_per_stored_ciphertext_and_again_when_the_ciphertext_changes()
    {
        var cache = new DerivedKeyCache();
        byte[] first = RandomNumberGenerator.GetBytes(32), second = RandomNumberGenerator.GetBytes(32);
        int decrypted = 0;
        Func<byte[]> Decrypt(byte[] key) => () => { decrypted++; return (byte[])key.Clone(); };

        byte[] a = cache.Get("T0001", 1, "v1.first", Label, Decrypt(first));
        byte[] again = cache.Get("T0001", 1, "v1.first", Label, Decrypt(first));
        Assert.Equal(1, decrypted);
        Assert.Same(a, again);
        Assert.Equal(DeviceKeys.Derive(first, Label), a);

        // The same device and version stored with another ciphertext (re-encrypted, replaced): never the cached key.
        byte[] b = cache.Get("T0001", 1, "v1.second", Label, Decrypt(second));
        Assert.Equal(2, decrypted);
        Assert.Equal(DeviceKeys.Derive(second, Label), b);
        Assert.NotEqual(a, b);

        cache.Forget("T0001");
        Assert.Equal(0, cache.Count);
        cache.Get("T0001", 1, "v1.second", Label, Decrypt(second));
        Assert.Equal(3, decrypted);
    }

    [Fact]
    public void A_key_that_does_not_decrypt_is_not_cached()
    {
        var cache = new DerivedKeyCache();
        Assert.Throws<CryptographicException>(() => cache.Get("T0001", 1, "v1.bad", Label, () => throw new CryptographicException("wrong key-encryption key")));
        Assert.Equal(0, cache.Count);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_key_replaced_in_the_database_is_not_served_from_the_cache(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-c1"))).ResultStatus);
        Assert.True(t.Gateway.Devices.LabelKeys.Count > 0, "the first request cached the device's label keys");

        // Version 1 rewritten with another key, as another instance or an operator's tool would (this instance is not told).
        byte[] replacement = RandomNumberGenerator.GetBytes(32);
        await ReplaceKeyAsync(t.Database, "T0001", 1, replacement);

        var stale = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-c2"));
        Assert.Equal(("F", "INVALID_SIGNATURE"), (stale.ResultStatus, stale.ResultCode));
        Assert.False(stale.Signed);
        var current = await t.Device(new DeviceCredentials("T0001", 1, Convert.ToBase64String(replacement))).PostAsync(Bodies.Pay, Bodies.Upm("P-c3"));
        Assert.Equal("S", current.ResultStatus);
        Assert.True(current.SignatureValid, "the answer is signed with the answer key of the key now stored");
        Assert.Equal(2, t.Antom.CallCount("pay"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_rotation_and_a_revocation_on_another_instance_take_effect_at_once(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var antom = await FakeAntom.StartAsync();
        await using var a = await TestGateway.StartAsync(provider, antom: antom, database: db);
        await using var b = await TestGateway.StartAsync(provider, antom: antom, database: db);
        var oldKey = await a.AddDeviceAsync();
        Assert.Equal("S", (await oldKey.PostAsync(Bodies.Pay, Bodies.Upm("P-i1"))).ResultStatus); // cached on a

        var rotated = await b.Gateway.Devices.RotateKeyAsync("T0001");
        var newKey = a.Device(rotated!);
        Assert.Equal("S", (await newKey.PostAsync(Bodies.Pay, Bodies.Upm("P-i2"))).ResultStatus);
        var retired = await oldKey.PostAsync(Bodies.Pay, Bodies.Upm("P-i3"));
        Assert.Equal("KEY_NOT_FOUND", retired.ResultCode);

        await b.Gateway.Devices.RevokeAsync("T0001");
        var revoked = await newKey.PostAsync(Bodies.Pay, Bodies.Upm("P-i4"));
        Assert.Equal(("F", "ACCESS_DENIED"), (revoked.ResultStatus, revoked.ResultCode));
        Assert.Equal(2, antom.CallCount("pay"));
    }

    private static async Task ReplaceKeyAsync(TestDatabase db, string deviceId, int version, byte[] key)
    {
        var protector = new KeyProtector(Convert.FromBase64String(TestKeys.KeyEncryptionKey));
        await using var database = new GatewayDatabase(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString);
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE device_keys SET key_ciphertext = '{protector.Protect(deviceId, version, key)}' WHERE device_id = '{deviceId}' AND key_version = {version}";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
