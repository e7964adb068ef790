using System.Text.Json.Nodes;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Queries;

/// <summary>The Fleet page's filters: store, heartbeat status (<see cref="FleetHealth"/>'s names, or "revoked"), and a device id prefix.</summary>
public sealed record FleetFilter(string? Store = null, string? Status = null, string? DevicePrefix = null);

/// <summary>One terminal as the Fleet page lists it.</summary>
public sealed record FleetRow(
    string DeviceId,
    string StoreId,
    string Status,
    long? LastSeen,
    string? Firmware,
    string? Degraded,
    long? HeapBytes,
    long? WifiRssi,
    int NeedsReview,
    string SettingsState,
    long SettingsVersion,
    string? DisplayName);

public sealed record FleetPage(IReadOnlyList<FleetRow> Rows, string? Next, IReadOnlyDictionary<string, int> Counts);

/// <summary>
/// Every terminal with its latest heartbeat, in one query per page: devices ⟕ device_health ⟕ the heartbeat row of the
/// same instant (heap, RSSI), filtered in SQL by the same rule <see cref="FleetHealth.StatusOf"/> applies (offline after
/// <see cref="FleetHealth.OfflineAfterIntervals"/> intervals), paged by device id (keyset). Settings state and the
/// display name come from the scopes' documents for the page's rows only.
/// </summary>
public sealed class FleetQuery(GatewayDatabase database, FleetStore fleet, TimeProvider clock)
{
    public const int PageSize = 50;
    public const string Revoked = "revoked";

    public static readonly IReadOnlyList<string> Statuses = [FleetHealth.Online, FleetHealth.Degraded, FleetHealth.Offline, FleetHealth.NeverSeen, Revoked];

    /// <summary>When a terminal counts as offline: the expression of the index ix_device_health_offline_at (migration
    /// 0014), written the same way so both databases use it and its statistics.</summary>
    private static readonly string OfflineAt = $"h.received_at + {FleetHealth.OfflineAfterIntervals} * h.interval_ms";

    private static readonly string StatusSql =
        "CASE WHEN d.status = 'revoked' THEN 'revoked' WHEN h.device_id IS NULL THEN 'never_seen' " +
        $"WHEN {OfflineAt} < @now THEN 'offline' WHEN h.degraded IS NOT NULL THEN 'degraded' ELSE 'online' END";

    /// <summary>
    /// The status filter as plain conditions, the same rows as <c>StatusSql = @status</c>: a condition on the CASE
    /// expression is opaque to the planners (PostgreSQL guessed 50 offline terminals of 9,000 and joined and sorted the whole
    /// fleet for a page), while these let them use ix_device_health_offline_at and its statistics.
    /// </summary>
    private static string StatusCondition(string status) => status switch
    {
        Revoked => "d.status = 'revoked'",
        FleetHealth.NeverSeen => "d.status <> 'revoked' AND h.device_id IS NULL",
        FleetHealth.Offline => $"d.status <> 'revoked' AND {OfflineAt} < @now",
        FleetHealth.Degraded => $"d.status <> 'revoked' AND {OfflineAt} >= @now AND h.degraded IS NOT NULL",
        FleetHealth.Online => $"d.status <> 'revoked' AND {OfflineAt} >= @now AND h.degraded IS NULL",
        _ => "1 = 0",
    };

    public async Task<FleetPage> ListAsync(FleetFilter f, string? after, CancellationToken ct = default)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("now", now) };
        if (!string.IsNullOrEmpty(f.Store))
        {
            where.Add("d.reference_store_id = @store");
            parameters.Add(("store", f.Store));
        }
        if (!string.IsNullOrEmpty(f.DevicePrefix))
        {
            // Device ids are letters and digits only (DeviceValidation), so a prefix with anything else matches none,
            // and one without has no LIKE wildcards to escape.
            where.Add("d.device_id LIKE @p0");
            parameters.Add(("p0", f.DevicePrefix.All(char.IsAsciiLetterOrDigit) ? f.DevicePrefix + "%" : "\u0001"));
        }
        var countWhere = where.ToList();
        if (!string.IsNullOrEmpty(f.Status))
        {
            where.Add(StatusCondition(f.Status));
        }
        var pageWhere = where.ToList();
        if (!string.IsNullOrEmpty(after))
        {
            pageWhere.Add("d.device_id > @after");
            parameters.Add(("after", after));
        }
        parameters.Add(("n", (long)PageSize + 1));
        string from = "FROM devices d LEFT JOIN device_health h ON h.device_id = d.device_id ";
        string sql =
            $"SELECT d.device_id, d.reference_store_id, {StatusSql}, h.received_at, h.firmware, h.degraded, b.heap_bytes, b.wifi_rssi, h.body, " +
            "(SELECT COUNT(*) FROM payments p WHERE p.device_id = d.device_id AND p.status IN " + PaymentStatuses.OpenSql + " AND p.check_after IS NULL) " +
            from + "LEFT JOIN device_heartbeats b ON b.device_id = h.device_id AND b.received_at = h.received_at" +
            (pageWhere.Count == 0 ? "" : " WHERE " + string.Join(" AND ", pageWhere)) + " ORDER BY d.device_id LIMIT @n";
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var raw = await Sql.QueryAsync(connection, null, sql, r => (
            Id: r.GetString(0), Store: r.GetString(1), Status: r.GetString(2), Seen: Sql.Long(r, 3), Firmware: Sql.Text(r, 4), Degraded: Sql.Text(r, 5),
            Heap: Sql.Long(r, 6), Rssi: Sql.Long(r, 7), Body: Sql.Text(r, 8), Review: (int)Sql.LongOr0(r, 9)), parameters.ToArray()).ConfigureAwait(false);
        string? next = null;
        if (raw.Count > PageSize)
        {
            raw.RemoveAt(PageSize);
            next = raw[^1].Id;
        }
        var counts = await CountAsync(connection, countWhere, parameters.Where(p => p.Item1 is "now" or "store" or "p0").ToArray()).ConfigureAwait(false);

        var documents = await SettingsDocumentsAsync(connection, raw.Select(r => r.Store).Distinct().ToList(), raw.Select(r => r.Id).ToList()).ConfigureAwait(false);
        var rows = raw.Select(r =>
        {
            var (state, version, name) = Settings(documents, r.Store, r.Id, r.Body);
            return new FleetRow(r.Id, r.Store, r.Status, r.Seen, r.Firmware, r.Degraded, r.Heap, r.Rssi, r.Review, state, version, name);
        }).ToList();
        return new FleetPage(rows, next, counts);
    }

    /// <summary>Devices by status over the whole fleet (the Overview).</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await CountAsync(connection, [], [("now", clock.GetUtcNow().ToUnixTimeMilliseconds())]).ConfigureAwait(false);
    }

    private async Task<Dictionary<string, int>> CountAsync(System.Data.Common.DbConnection connection, List<string> where, (string, object?)[] parameters)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string s in Statuses) counts[s] = 0;
        foreach (var (status, n) in await Sql.QueryAsync(connection, null,
                     $"SELECT {StatusSql} AS st, COUNT(*) FROM devices d LEFT JOIN device_health h ON h.device_id = d.device_id" +
                     (where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where)) + " GROUP BY st",
                     r => (r.GetString(0), (int)Sql.LongOr0(r, 1)), parameters).ConfigureAwait(false))
            counts[status] = n;
        return counts;
    }

    private static async Task<List<SettingsDocument>> SettingsDocumentsAsync(System.Data.Common.DbConnection connection, List<string> stores, List<string> devices)
    {
        var conditions = new List<string> { "(scope = 'fleet' AND scope_id = '')" };
        var parameters = new List<(string, object?)>();
        if (stores.Count > 0)
        {
            conditions.Add($"(scope = 'store' AND scope_id IN ({string.Join(", ", stores.Select((_, i) => "@s" + i))}))");
            parameters.AddRange(stores.Select((s, i) => ("s" + i, (object?)s)));
        }
        if (devices.Count > 0)
        {
            conditions.Add($"(scope = 'device' AND scope_id IN ({string.Join(", ", devices.Select((_, i) => "@d" + i))}))");
            parameters.AddRange(devices.Select((d, i) => ("d" + i, (object?)d)));
        }
        return await Sql.QueryAsync(connection, null,
            "SELECT scope, scope_id, document, version, changed_at, changed_by FROM settings_documents WHERE " + string.Join(" OR ", conditions),
            r => new SettingsDocument(r.GetString(0), r.GetString(1), r.GetString(2), Sql.LongOr0(r, 3), Sql.LongOr0(r, 4), r.GetString(5)), parameters.ToArray()).ConfigureAwait(false);
    }

    /// <summary>The state of the device's settings as <see cref="FleetSettings.DeviceStatusAsync"/> derives it, and its effective displayName.</summary>
    private static (string State, long Version, string? DisplayName) Settings(List<SettingsDocument> documents, string store, string device, string? heartbeatBody)
    {
        var own = documents.Where(d => d.Scope == FleetSettings.Fleet || (d.Scope == FleetSettings.Store && d.ScopeId == store) || (d.Scope == FleetSettings.Device && d.ScopeId == device)).ToList();
        long version = own.Count == 0 ? 0 : own.Max(d => d.Version);
        string? name = null;
        foreach (string scope in new[] { FleetSettings.Fleet, FleetSettings.Store, FleetSettings.Device })
            if (own.FirstOrDefault(d => d.Scope == scope) is { } doc && JsonNode.Parse(doc.Document)?["displayName"] is JsonValue v && v.TryGetValue(out string? s)) name = s;
        var reported = heartbeatBody == null ? null : JsonNode.Parse(heartbeatBody)?["settings"];
        long applied = (long?)reported?["applied"] ?? 0;
        long rejected = (long?)reported?["rejected"] ?? 0;
        string state = version == 0 || applied == version ? FleetSettings.Applied : rejected == version ? FleetSettings.Rejected : FleetSettings.Pending;
        return (state, version, name);
    }

    /// <summary>True for a value the status filter accepts.</summary>
    public static bool IsStatus(string? s) => s != null && Statuses.Contains(s, StringComparer.Ordinal);

    /// <summary>The device's row (the device page's header), or null.</summary>
    public async Task<FleetRow?> DeviceAsync(string deviceId, CancellationToken ct = default)
    {
        if (!DeviceValidation.IsDeviceId(deviceId)) return null;
        var page = await ListAsync(new FleetFilter(DevicePrefix: deviceId), null, ct).ConfigureAwait(false);
        return page.Rows.FirstOrDefault(r => r.DeviceId == deviceId);
    }

    public Task<List<HeartbeatPoint>> HistoryAsync(string deviceId, int count, CancellationToken ct = default) => fleet.HistoryAsync(deviceId, count, ct);
}
