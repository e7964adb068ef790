namespace Terminal.Gateway.Storage;

/// <summary>The latest heartbeat of a device as stored, with what the gateway derived from it at receipt.</summary>
public sealed record DeviceHealthRecord(string DeviceId, long ReceivedAt, long RequestTime, long IntervalMs, string Firmware, string? Degraded, string Body, long Beats);

/// <summary>One heartbeat of the bounded history: the figures a console draws.</summary>
public sealed record HeartbeatPoint(long ReceivedAt, long UptimeS, long? HeapBytes, long? WifiRssi, string? Degraded);

/// <summary>
/// The fleet's records (docs/fleet-link.md): each device's latest heartbeat and a bounded history of them; the
/// remote settings documents and their audit. Safe with
/// several instances on one database: a heartbeat older than the stored one (two instances, reordered) leaves it.
/// </summary>
public sealed class FleetStore(GatewayDatabase database)
{
    /// <summary>Beats kept per device: a day at the default interval of 60 s.</summary>
    public const int HeartbeatHistoryLength = 1440;

    /// <summary>Stores a heartbeat as the device's latest (unless a newer one is stored) and in its history.</summary>
    public async Task RecordHeartbeatAsync(DeviceHealthRecord health, HeartbeatPoint point, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await database.ExecAtomicAsync(connection,
            "INSERT INTO device_health (device_id, received_at, request_time, interval_ms, firmware, degraded, body, beats) " +
            "VALUES (@d, @at, @rt, @iv, @fw, @dg, @body, 1) " +
            "ON CONFLICT (device_id) DO UPDATE SET received_at = excluded.received_at, request_time = excluded.request_time, " +
            "interval_ms = excluded.interval_ms, firmware = excluded.firmware, degraded = excluded.degraded, body = excluded.body, " +
            "beats = device_health.beats + 1 WHERE device_health.request_time <= excluded.request_time; " +
            "INSERT INTO device_heartbeats (device_id, received_at, uptime_s, heap_bytes, wifi_rssi, degraded) VALUES (@d, @at, @up, @heap, @rssi, @dg) " +
            "ON CONFLICT (device_id, received_at) DO NOTHING; " +
            "DELETE FROM device_heartbeats WHERE device_id = @d AND received_at < " +
            "(SELECT MIN(received_at) FROM (SELECT received_at FROM device_heartbeats WHERE device_id = @d ORDER BY received_at DESC LIMIT @keep) AS newest)",
            ("d", health.DeviceId), ("at", health.ReceivedAt), ("rt", health.RequestTime), ("iv", health.IntervalMs), ("fw", health.Firmware),
            ("dg", health.Degraded), ("body", health.Body), ("up", point.UptimeS), ("heap", point.HeapBytes), ("rssi", point.WifiRssi),
            ("keep", (long)HeartbeatHistoryLength)).ConfigureAwait(false);
    }

    public async Task<DeviceHealthRecord?> HealthAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null,
            "SELECT device_id, received_at, request_time, interval_ms, firmware, degraded, body, beats FROM device_health WHERE device_id = @d",
            Map, ("d", deviceId)).ConfigureAwait(false);
    }

    public async Task<List<DeviceHealthRecord>> AllHealthAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            "SELECT device_id, received_at, request_time, interval_ms, firmware, degraded, body, beats FROM device_health ORDER BY device_id",
            Map).ConfigureAwait(false);
    }

    /// <summary>The device's history, oldest first, at most <paramref name="limit"/> newest beats.</summary>
    public async Task<List<HeartbeatPoint>> HistoryAsync(string deviceId, int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var points = await Sql.QueryAsync(connection, null,
            "SELECT received_at, uptime_s, heap_bytes, wifi_rssi, degraded FROM device_heartbeats WHERE device_id = @d ORDER BY received_at DESC LIMIT @n",
            r => new HeartbeatPoint(Sql.LongOr0(r, 0), Sql.LongOr0(r, 1), Sql.Long(r, 2), Sql.Long(r, 3), Sql.Text(r, 4)),
            ("d", deviceId), ("n", (long)limit)).ConfigureAwait(false);
        points.Reverse();
        return points;
    }

    // ---------------------------------------------------------------- remote settings

    /// <summary>
    /// Replaces the document of a scope and audits the change, with the next version of all settings; returns it.
    /// Two changes at once (two instances) cannot take one version: the audit's key refuses the second, which retries.
    /// </summary>
    public async Task<long> SetSettingsAsync(string scope, string scopeId, string document, long now, string changedBy, CancellationToken ct = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            try
            {
                await database.ExecAtomicAsync(connection,
                    "INSERT INTO settings_audit (version, scope, scope_id, document_before, document_after, changed_at, changed_by) " +
                    "SELECT COALESCE(MAX(version), 0) + 1, @s, @id, (SELECT document FROM settings_documents WHERE scope = @s AND scope_id = @id), @doc, @now, @by FROM settings_audit; " +
                    "INSERT INTO settings_documents (scope, scope_id, document, version, changed_at, changed_by) " +
                    // WHERE true: SQLite would otherwise read the ON of the upsert as a join constraint of the SELECT.
                    "SELECT @s, @id, @doc, MAX(version), @now, @by FROM settings_audit WHERE true " +
                    "ON CONFLICT (scope, scope_id) DO UPDATE SET document = excluded.document, version = excluded.version, " +
                    "changed_at = excluded.changed_at, changed_by = excluded.changed_by",
                    ("s", scope), ("id", scopeId), ("doc", document), ("now", now), ("by", changedBy)).ConfigureAwait(false);
                var version = await Sql.QueryAsync(connection, null, "SELECT version FROM settings_documents WHERE scope = @s AND scope_id = @id",
                    r => Sql.LongOr0(r, 0), ("s", scope), ("id", scopeId)).ConfigureAwait(false);
                return version[0];
            }
            catch (System.Data.Common.DbException) when (attempt < 5)
            {
                await Task.Delay(10 * attempt, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The documents that apply to a device: the fleet's, its store's, its own (those that exist).</summary>
    public async Task<List<SettingsDocument>> SettingsForAsync(string storeId, string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            "SELECT scope, scope_id, document, version, changed_at, changed_by FROM settings_documents " +
            "WHERE (scope = 'fleet' AND scope_id = '') OR (scope = 'store' AND scope_id = @store) OR (scope = 'device' AND scope_id = @device)",
            MapDocument, ("store", storeId), ("device", deviceId)).ConfigureAwait(false);
    }

    public async Task<SettingsDocument?> SettingsAsync(string scope, string scopeId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null,
            "SELECT scope, scope_id, document, version, changed_at, changed_by FROM settings_documents WHERE scope = @s AND scope_id = @id",
            MapDocument, ("s", scope), ("id", scopeId)).ConfigureAwait(false);
    }

    /// <summary>The newest changes first, at most <paramref name="limit"/>.</summary>
    public async Task<List<SettingsChange>> SettingsAuditAsync(int limit, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            "SELECT version, scope, scope_id, document_before, document_after, changed_at, changed_by FROM settings_audit ORDER BY version DESC LIMIT @n",
            r => new SettingsChange(Sql.LongOr0(r, 0), r.GetString(1), r.GetString(2), Sql.Text(r, 3), r.GetString(4), Sql.LongOr0(r, 5), r.GetString(6)),
            ("n", (long)limit)).ConfigureAwait(false);
    }

    private static SettingsDocument MapDocument(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Sql.LongOr0(r, 3), Sql.LongOr0(r, 4), r.GetString(5));

    private static DeviceHealthRecord Map(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), Sql.LongOr0(r, 1), Sql.LongOr0(r, 2), Sql.LongOr0(r, 3), r.GetString(4), Sql.Text(r, 5), r.GetString(6), Sql.LongOr0(r, 7));
}

/// <summary>One settings document: the values set at a scope, the version of its last change, who made it.</summary>
public sealed record SettingsDocument(string Scope, string ScopeId, string Document, long Version, long ChangedAt, string ChangedBy);

/// <summary>One change of a settings document, as the audit keeps it.</summary>
public sealed record SettingsChange(long Version, string Scope, string ScopeId, string? Before, string After, long ChangedAt, string ChangedBy);
