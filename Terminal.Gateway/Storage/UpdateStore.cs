using System.Data.Common;

namespace Terminal.Gateway.Storage;

/// <summary>An uploaded bundle: its manifest's exact bytes and what the gateway read from them; <see cref="DeletedAt"/>
/// set once its files were deleted (the row stays, so the version can never name another bundle).</summary>
public sealed record BundleRecord(string Version, byte[] Manifest, string ManifestSha256, string Entry, int FileCount, long TotalBytes, long UploadedAt,
    string UploadedBy, long? DeletedAt);

/// <summary>One file of a bundle as stored (without its bytes).</summary>
public sealed record BundleFileRecord(string Name, int Position, int Size, string Sha256);

/// <summary>A planned rollout of a version. <see cref="Devices"/> or <see cref="Stores"/> (at most one) narrows the fleet,
/// <see cref="Percent"/> takes a stable share of what is left. <see cref="State"/>: active, paused or aborted.</summary>
public sealed record RolloutRecord(long RolloutId, string Version, IReadOnlyList<string> Devices, IReadOnlyList<string> Stores, int Percent, long StartsAt,
    bool AllowDowngrade, string State, long CreatedAt, string CreatedBy, long ChangedAt, string ChangedBy);

/// <summary>A device's update state within a rollout, as its heartbeats reported it (or "offered").</summary>
public sealed record DeviceUpdateRecord(long RolloutId, string DeviceId, string Version, string State, long? Bytes, string? Reason, long Since, long UpdatedAt);

/// <summary>
/// The over-the-air update records (docs/ota.md, "At the gateway"): bundles with their files, rollouts, and each
/// device's state within a rollout. Bundle files live in the database (not a folder) so that every gateway instance on
/// one PostgreSQL database serves the same bytes; they are small (at most 16 files of 256 KB) and read by range.
/// </summary>
public sealed class UpdateStore(GatewayDatabase database)
{
    private const string BundleColumns = "version, manifest, manifest_sha256, entry, file_count, total_bytes, uploaded_at, uploaded_by, deleted_at";
    private const string RolloutColumns = "rollout_id, version, devices, stores, percent, starts_at, allow_downgrade, state, created_at, created_by, changed_at, changed_by";
    private const string DeviceUpdateColumns = "rollout_id, device_id, version, state, bytes, reason, since, updated_at";

    public GatewayDatabase Database => database;

    // ---------------------------------------------------------------- bundles

    public async Task<BundleRecord?> BundleAsync(string version, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, $"SELECT {BundleColumns} FROM update_bundles WHERE version = @v", MapBundle, ("v", version))
            .ConfigureAwait(false);
    }

    /// <summary>Every bundle, deleted ones included, newest upload first.</summary>
    public async Task<List<BundleRecord>> BundlesAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, $"SELECT {BundleColumns} FROM update_bundles ORDER BY uploaded_at DESC, version", MapBundle).ConfigureAwait(false);
    }

    public async Task<List<BundleFileRecord>> FilesAsync(string version, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, "SELECT name, position, size, sha256 FROM update_bundle_files WHERE version = @v ORDER BY position",
            r => new BundleFileRecord(r.GetString(0), (int)Sql.LongOr0(r, 1), (int)Sql.LongOr0(r, 2), r.GetString(3)), ("v", version)).ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a checked bundle with its files in one transaction. A bundle whose version is taken is refused by the
    /// primary key (two uploads at once, two instances: one wins); a tombstone of the same manifest gets its files back.
    /// Returns false when the version is taken.
    /// </summary>
    public async Task<bool> AddBundleAsync(BundleRecord bundle, IReadOnlyList<(BundleFileRecord File, byte[] Content)> files, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        int claimed = await Sql.ExecAsync(connection, tx,
            $"INSERT INTO update_bundles ({BundleColumns}) VALUES (@v, @m, @sha, @entry, @n, @total, @at, @by, NULL) ON CONFLICT (version) DO NOTHING",
            ("v", bundle.Version), ("m", bundle.Manifest), ("sha", bundle.ManifestSha256), ("entry", bundle.Entry), ("n", (long)bundle.FileCount),
            ("total", bundle.TotalBytes), ("at", bundle.UploadedAt), ("by", bundle.UploadedBy)).ConfigureAwait(false);
        if (claimed == 0)
        {
            claimed = await Sql.ExecAsync(connection, tx,
                "UPDATE update_bundles SET deleted_at = NULL, uploaded_at = @at, uploaded_by = @by WHERE version = @v AND manifest_sha256 = @sha AND deleted_at IS NOT NULL",
                ("v", bundle.Version), ("sha", bundle.ManifestSha256), ("at", bundle.UploadedAt), ("by", bundle.UploadedBy)).ConfigureAwait(false);
            if (claimed == 0) return false;
        }
        foreach (var (file, content) in files)
        {
            await Sql.ExecAsync(connection, tx, "INSERT INTO update_bundle_files (version, name, position, size, sha256, content) VALUES (@v, @n, @p, @s, @h, @c)",
                ("v", bundle.Version), ("n", file.Name), ("p", (long)file.Position), ("s", (long)file.Size), ("h", file.Sha256), ("c", content)).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Deletes a bundle's files and leaves its tombstone; false when there is no such bundle or it is deleted.</summary>
    public async Task<bool> DeleteBundleAsync(string version, long now, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        int n = await database.ExecAtomicAsync(connection,
            "DELETE FROM update_bundle_files WHERE version = @v; UPDATE update_bundles SET deleted_at = @now WHERE version = @v AND deleted_at IS NULL",
            ("v", version), ("now", now)).ConfigureAwait(false);
        return n > 0;
    }

    /// <summary>A file's size, or null when the bundle (not deleted) has no such file.</summary>
    public async Task<int?> FileSizeAsync(string version, string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, "SELECT size FROM update_bundle_files WHERE version = @v AND name = @n",
            r => (int)Sql.LongOr0(r, 0), ("v", version), ("n", name)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary><paramref name="length"/> bytes of a file from <paramref name="from"/> (0-based), read by the database
    /// itself (substr/substring), so that a range request moves only its range.</summary>
    public async Task<byte[]?> FileRangeAsync(string version, string name, int from, int length, CancellationToken ct = default)
    {
        string slice = database.Provider == DatabaseProvider.Postgres ? "substring(content FROM @from FOR @len)" : "substr(content, @from, @len)";
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, $"SELECT {slice} FROM update_bundle_files WHERE version = @v AND name = @n",
            r => (byte[])r.GetValue(0), ("v", version), ("n", name), ("from", from + 1), ("len", length)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    // ---------------------------------------------------------------- rollouts

    /// <summary>Stores a new rollout under the next id (the primary key keeps two instances from taking one id).</summary>
    public async Task<RolloutRecord> AddRolloutAsync(RolloutRecord rollout, CancellationToken ct = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            try
            {
                var ids = await Sql.QueryAsync(connection, null,
                    $"INSERT INTO update_rollouts ({RolloutColumns}) SELECT COALESCE(MAX(rollout_id), 0) + 1, @v, @d, @s, @p, @start, @down, @state, @at, @by, @at, @by " +
                    "FROM update_rollouts RETURNING rollout_id",
                    r => Sql.LongOr0(r, 0), ("v", rollout.Version), ("d", Join(rollout.Devices)), ("s", Join(rollout.Stores)), ("p", (long)rollout.Percent),
                    ("start", rollout.StartsAt), ("down", rollout.AllowDowngrade ? 1L : 0L), ("state", rollout.State), ("at", rollout.CreatedAt),
                    ("by", rollout.CreatedBy)).ConfigureAwait(false);
                return rollout with { RolloutId = ids[0] };
            }
            catch (DbException e) when (attempt < 5 && GatewayDatabase.IsConstraintViolation(e))
            {
                await Task.Delay(10 * attempt, ct).ConfigureAwait(false);
            }
        }
    }

    public async Task<RolloutRecord?> RolloutAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, $"SELECT {RolloutColumns} FROM update_rollouts WHERE rollout_id = @id", MapRollout, ("id", id))
            .ConfigureAwait(false);
    }

    /// <summary>Rollouts, newest first; <paramref name="live"/>: only those not aborted.</summary>
    public async Task<List<RolloutRecord>> RolloutsAsync(bool live, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            $"SELECT {RolloutColumns} FROM update_rollouts {(live ? "WHERE state <> 'aborted' " : "")}ORDER BY rollout_id DESC", MapRollout).ConfigureAwait(false);
    }

    /// <summary>Moves a rollout from one of <paramref name="from"/> to <paramref name="to"/>; false when it was in another state.</summary>
    public async Task<bool> SetRolloutStateAsync(long id, string[] from, string to, long now, string by, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string allowed = string.Join(", ", from.Select(s => "'" + s + "'"));
        int n = await Sql.ExecAsync(connection, null,
            $"UPDATE update_rollouts SET state = @to, changed_at = @now, changed_by = @by WHERE rollout_id = @id AND state IN ({allowed})",
            ("id", id), ("to", to), ("now", now), ("by", by)).ConfigureAwait(false);
        return n > 0;
    }

    /// <summary>True when a rollout that is not aborted names the version.</summary>
    public async Task<bool> VersionInUseAsync(string version, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, "SELECT rollout_id FROM update_rollouts WHERE version = @v AND state <> 'aborted' LIMIT 1",
            r => Sql.LongOr0(r, 0), ("v", version)).ConfigureAwait(false);
        return rows.Count > 0;
    }

    // ---------------------------------------------------------------- device states

    public async Task<List<DeviceUpdateRecord>> DeviceStatesAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, $"SELECT {DeviceUpdateColumns} FROM device_updates WHERE device_id = @d ORDER BY rollout_id DESC",
            MapDeviceUpdate, ("d", deviceId)).ConfigureAwait(false);
    }

    public async Task<List<DeviceUpdateRecord>> RolloutStatesAsync(long rolloutId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, $"SELECT {DeviceUpdateColumns} FROM device_updates WHERE rollout_id = @id ORDER BY device_id",
            MapDeviceUpdate, ("id", rolloutId)).ConfigureAwait(false);
    }

    /// <summary>Devices per state over the rollouts that are not aborted (for /metrics).</summary>
    public async Task<List<(string State, long Count)>> StateCountsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            "SELECT u.state, COUNT(*) FROM device_updates u JOIN update_rollouts r ON r.rollout_id = u.rollout_id WHERE r.state <> 'aborted' GROUP BY u.state",
            r => (r.GetString(0), Sql.LongOr0(r, 1))).ConfigureAwait(false);
    }

    /// <summary>Writes a device's state in a rollout; <see cref="DeviceUpdateRecord.Since"/> is kept when the state is unchanged.</summary>
    public async Task SaveDeviceStateAsync(DeviceUpdateRecord state, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null,
            $"INSERT INTO device_updates ({DeviceUpdateColumns}) VALUES (@id, @d, @v, @s, @b, @r, @since, @at) " +
            "ON CONFLICT (rollout_id, device_id) DO UPDATE SET bytes = excluded.bytes, reason = excluded.reason, updated_at = excluded.updated_at, " +
            "since = CASE WHEN device_updates.state = excluded.state THEN device_updates.since ELSE excluded.since END, state = excluded.state",
            ("id", state.RolloutId), ("d", state.DeviceId), ("v", state.Version), ("s", state.State), ("b", state.Bytes), ("r", state.Reason),
            ("since", state.Since), ("at", state.UpdatedAt)).ConfigureAwait(false);
    }

    // A JSON array: store ids may hold any printable character, commas included.
    private static string? Join(IReadOnlyList<string> ids) => ids.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(ids);

    private static IReadOnlyList<string> Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(text) ?? [];

    private static BundleRecord MapBundle(DbDataReader r) =>
        new(r.GetString(0), (byte[])r.GetValue(1), r.GetString(2), r.GetString(3), (int)Sql.LongOr0(r, 4), Sql.LongOr0(r, 5), Sql.LongOr0(r, 6), r.GetString(7),
            Sql.Long(r, 8));

    private static RolloutRecord MapRollout(DbDataReader r) =>
        new(Sql.LongOr0(r, 0), r.GetString(1), Split(Sql.Text(r, 2)), Split(Sql.Text(r, 3)), (int)Sql.LongOr0(r, 4), Sql.LongOr0(r, 5), Sql.LongOr0(r, 6) != 0,
            r.GetString(7), Sql.LongOr0(r, 8), r.GetString(9), Sql.LongOr0(r, 10), r.GetString(11));

    private static DeviceUpdateRecord MapDeviceUpdate(DbDataReader r) =>
        new(Sql.LongOr0(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.Long(r, 4), Sql.Text(r, 5), Sql.LongOr0(r, 6), Sql.LongOr0(r, 7));
}
