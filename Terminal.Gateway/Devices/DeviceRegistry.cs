using System.Data.Common;
using System.Security.Cryptography;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Devices;

public sealed class DeviceExistsException(string deviceId) : Exception($"device {deviceId} exists");

public sealed class DeviceRevokedException(string deviceId) : Exception($"device {deviceId} is revoked");

/// <summary>A device with the versions of its key that are still accepted (for listings; never any key).</summary>
public sealed record DeviceSummary(Device Device, IReadOnlyList<int> KeyVersions);

/// <summary>
/// The device registry: registration, listing, revocation and key rotation (shared by the admin API, the CLI and the
/// embedded host), and key lookup for request authentication. Keys are generated here (32 random bytes), handed out
/// once, and stored only encrypted.
/// </summary>
public sealed class DeviceRegistry(GatewayDatabase database, KeyProtector protector, MerchantOptions defaults, TimeProvider clock)
{
    public const int KeyBytes = 32;

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <exception cref="ArgumentException">A field is invalid (message starts with the field name).</exception>
    /// <exception cref="DeviceExistsException">The id is taken.</exception>
    public async Task<DeviceCredentials> RegisterAsync(DeviceRegistration registration, CancellationToken ct = default)
    {
        var r = registration with
        {
            ReferenceMerchantId = registration.ReferenceMerchantId ?? defaults.ReferenceMerchantId,
            ReferenceStoreId = registration.ReferenceStoreId ?? defaults.ReferenceStoreId,
            StoreTerminalId = registration.StoreTerminalId ?? registration.DeviceId,
            MaxAmountMinor = registration.MaxAmountMinor ?? defaults.MaxAmountMinor,
            Currencies = registration.Currencies ?? defaults.Currencies,
        };
        string? problem = DeviceValidation.Check(r);
        if (problem == null && r.ReferenceMerchantId == null) problem = "referenceMerchantId: required (no Gateway:Merchant:ReferenceMerchantId default)";
        if (problem == null && r.ReferenceStoreId == null) problem = "referenceStoreId: required (no Gateway:Merchant:ReferenceStoreId default)";
        if (problem != null) throw new ArgumentException(problem);

        byte[] key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            long now = Now;
            await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            int inserted = await Sql.ExecAsync(connection, tx,
                "INSERT INTO devices (device_id, status, reference_merchant_id, reference_store_id, store_terminal_id, max_amount_minor, currencies, created_at, updated_at) " +
                "VALUES (@id, @status, @m, @s, @t, @max, @cur, @now, @now) ON CONFLICT (device_id) DO NOTHING",
                ("id", r.DeviceId), ("status", DeviceStatus.Active), ("m", r.ReferenceMerchantId), ("s", r.ReferenceStoreId), ("t", r.StoreTerminalId),
                ("max", r.MaxAmountMinor), ("cur", string.Join(',', r.Currencies!)), ("now", now)).ConfigureAwait(false);
            if (inserted == 0) throw new DeviceExistsException(r.DeviceId);
            await InsertKeyAsync(connection, tx, r.DeviceId, 1, key, now).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return new DeviceCredentials(r.DeviceId, 1, Convert.ToBase64String(key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public async Task<IReadOnlyList<DeviceSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var devices = await Sql.QueryAsync(connection, null, DeviceSelect + " ORDER BY device_id", ReadDevice).ConfigureAwait(false);
        var versions = await Sql.QueryAsync(connection, null,
            "SELECT device_id, key_version FROM device_keys WHERE retired_at IS NULL ORDER BY device_id, key_version",
            r => (Id: r.GetString(0), Version: (int)Sql.LongOr0(r, 1))).ConfigureAwait(false);
        return devices.Select(d => new DeviceSummary(d, versions.Where(v => v.Id == d.DeviceId).Select(v => v.Version).ToList())).ToList();
    }

    public async Task<Device?> FindAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, DeviceSelect + " WHERE device_id = @id", ReadDevice, ("id", deviceId)).ConfigureAwait(false);
    }

    /// <summary>Marks the device revoked (its requests are refused from now on). Null if unknown.</summary>
    public async Task<Device?> RevokeAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, null, "UPDATE devices SET status = @st, updated_at = @now WHERE device_id = @id",
            ("st", DeviceStatus.Revoked), ("now", Now), ("id", deviceId)).ConfigureAwait(false);
        if (n == 0) return null;
        _labelKeys.Forget(deviceId);
        return await Sql.QuerySingleAsync(connection, null, DeviceSelect + " WHERE device_id = @id", ReadDevice, ("id", deviceId)).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds a new key version and returns it once. Older versions stay valid until the device first signs with the
    /// new one (see <see cref="RetireOlderKeysAsync"/>), so a device being re-provisioned never loses service.
    /// Null if the device is unknown.
    /// </summary>
    /// <exception cref="DeviceRevokedException">A revoked device gets no new key.</exception>
    public async Task<DeviceCredentials?> RotateKeyAsync(string deviceId, CancellationToken ct = default)
    {
        byte[] key = RandomNumberGenerator.GetBytes(KeyBytes);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
                await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
                var device = await Sql.QuerySingleAsync(connection, tx, DeviceSelect + " WHERE device_id = @id", ReadDevice, ("id", deviceId)).ConfigureAwait(false);
                if (device == null) return null;
                if (!device.IsActive) throw new DeviceRevokedException(deviceId);
                var max = await Sql.QueryAsync(connection, tx, "SELECT MAX(key_version) FROM device_keys WHERE device_id = @id", r => Sql.Long(r, 0), ("id", deviceId)).ConfigureAwait(false);
                int version = (int)(max[0] ?? 0) + 1;
                if (await InsertKeyAsync(connection, tx, deviceId, version, key, Now).ConfigureAwait(false))
                {
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    _labelKeys.Forget(deviceId);
                    return new DeviceCredentials(deviceId, version, Convert.ToBase64String(key));
                }
                // Another admin rotated at the same moment: take the next number.
                if (attempt >= 5) throw new InvalidOperationException($"could not allocate a key version for {deviceId}");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The device and all its key versions, for request authentication. Null if the device is unknown.</summary>
    public async Task<(Device Device, IReadOnlyList<DeviceKey> Keys)?> FindWithKeysAsync(string deviceId, CancellationToken ct = default)
    {
        // One round trip per request: the device row repeated for each of its keys.
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null,
            "SELECT d.device_id, d.status, d.reference_merchant_id, d.reference_store_id, d.store_terminal_id, d.max_amount_minor, d.currencies, d.created_at, d.updated_at, " +
            "k.key_version, k.key_ciphertext, k.created_at, k.retired_at FROM devices d LEFT JOIN device_keys k ON k.device_id = d.device_id WHERE d.device_id = @id ORDER BY k.key_version",
            r => (Device: ReadDevice(r), Key: r.IsDBNull(9) ? null : new DeviceKey(r.GetString(0), (int)Sql.LongOr0(r, 9), r.GetString(10), Sql.LongOr0(r, 11), Sql.Long(r, 12))),
            ("id", deviceId)).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var keys = new List<DeviceKey>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Key != null) keys.Add(row.Key);
        }
        return (rows[0].Device, keys);
    }

    /// <exception cref="CryptographicException">The key-encryption key does not match the one the key was stored with.</exception>
    public byte[] Decrypt(DeviceKey key) => protector.Unprotect(key.DeviceId, key.KeyVersion, key.Ciphertext);

    /// <summary>The signing key of <paramref name="label"/> derived from a stored device key (docs/gateway.md, "Signing keys"),
    /// cached for exactly that stored ciphertext (<see cref="DerivedKeyCache"/>). Shared: the caller never changes or clears it.</summary>
    /// <exception cref="CryptographicException">The key-encryption key does not match the one the key was stored with.</exception>
    public byte[] LabelKey(DeviceKey key, string label) => _labelKeys.Get(key.DeviceId, key.KeyVersion, key.Ciphertext, label, (Registry: this, Key: key), static s => s.Registry.Decrypt(s.Key));

    private readonly DerivedKeyCache _labelKeys = new();

    /// <summary>The cache of label keys (tests).</summary>
    internal DerivedKeyCache LabelKeys => _labelKeys;

    /// <summary>Called when a device first signs with <paramref name="keyVersion"/>: the versions before it stop being accepted.</summary>
    public async Task RetireOlderKeysAsync(string deviceId, int keyVersion, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null, "UPDATE device_keys SET retired_at = @now WHERE device_id = @id AND key_version < @v AND retired_at IS NULL",
            ("now", Now), ("id", deviceId), ("v", (long)keyVersion)).ConfigureAwait(false);
    }

    private async Task<bool> InsertKeyAsync(DbConnection connection, DbTransaction tx, string deviceId, int version, byte[] key, long now)
    {
        int n = await Sql.ExecAsync(connection, tx,
            "INSERT INTO device_keys (device_id, key_version, key_ciphertext, created_at) VALUES (@id, @v, @c, @now) ON CONFLICT (device_id, key_version) DO NOTHING",
            ("id", deviceId), ("v", (long)version), ("c", protector.Protect(deviceId, version, key)), ("now", now)).ConfigureAwait(false);
        return n == 1;
    }

    private const string DeviceSelect =
        "SELECT device_id, status, reference_merchant_id, reference_store_id, store_terminal_id, max_amount_minor, currencies, created_at, updated_at FROM devices";

    private static Device ReadDevice(DbDataReader r)
    {
        string currencies = r.GetString(6);
        return new Device(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Sql.Long(r, 5),
            currencies.Length == 0 ? [] : currencies.Split(','), Sql.LongOr0(r, 7), Sql.LongOr0(r, 8));
    }
}
