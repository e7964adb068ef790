using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Fleet;

/// <summary>
/// What the gateway tells about its terminals from their heartbeats (docs/fleet-link.md): each device is
/// <c>online</c>, <c>degraded</c> (online, but its last heartbeat reported the scanner silent, the display or storage
/// failing, the clock unset or the heap low), <c>offline</c> (no heartbeat for <see cref="OfflineAfterIntervals"/> of
/// its own intervals) or <c>never_seen</c>. Read by the admin API and /metrics.
/// </summary>
public sealed class FleetHealth(FleetStore store, DeviceRegistry registry, TimeProvider clock)
{
    /// <summary>A device is offline after this many of its heartbeat intervals without one (a beat can fail twice).</summary>
    public const int OfflineAfterIntervals = 3;

    public const string Online = "online";
    public const string Degraded = "degraded";
    public const string Offline = "offline";
    public const string NeverSeen = "never_seen";

    /// <summary>The status of a device whose latest heartbeat is <paramref name="health"/>, at <paramref name="nowMs"/>.</summary>
    public static string StatusOf(DeviceHealthRecord? health, long nowMs)
    {
        if (health == null) return NeverSeen;
        if (nowMs - health.ReceivedAt > OfflineAfterIntervals * health.IntervalMs) return Offline;
        return health.Degraded == null ? Online : Degraded;
    }

    /// <summary>The device's health for the admin API, or null when the device is not registered.</summary>
    public async Task<JsonObject?> DeviceAsync(string deviceId, int historyLength)
    {
        var devices = await registry.ListAsync().ConfigureAwait(false);
        if (!devices.Any(d => d.Device.DeviceId == deviceId)) return null;
        var health = await store.HealthAsync(deviceId).ConfigureAwait(false);
        var json = Summary(deviceId, health, Now());
        if (health != null) json["heartbeat"] = JsonNode.Parse(health.Body);
        var history = new JsonArray();
        foreach (var p in await store.HistoryAsync(deviceId, historyLength).ConfigureAwait(false))
        {
            history.Add(new JsonObject
            {
                ["receivedAt"] = p.ReceivedAt, ["uptimeS"] = p.UptimeS, ["heap"] = p.HeapBytes, ["wifiRssi"] = p.WifiRssi,
                ["degraded"] = Reasons(p.Degraded),
            });
        }
        json["history"] = history;
        return json;
    }

    /// <summary>Every registered device's status, and the counts by status.</summary>
    public async Task<JsonObject> FleetAsync()
    {
        var (rows, counts) = await StatusesAsync().ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var row in rows) list.Add(row);
        var totals = new JsonObject();
        foreach (var (status, n) in counts) totals[status] = n;
        return new JsonObject { ["counts"] = totals, ["devices"] = list };
    }

    /// <summary>Gauges for /metrics: devices by status (revoked devices are left out).</summary>
    public async Task<string> RenderMetricsAsync()
    {
        var (_, counts) = await StatusesAsync().ConfigureAwait(false);
        var sb = new StringBuilder("# HELP gateway_devices Registered devices by heartbeat status.\n# TYPE gateway_devices gauge\n");
        foreach (var (status, n) in counts) sb.Append(CultureInfo.InvariantCulture, $"gateway_devices{{status=\"{status}\"}} {n}\n");
        return sb.ToString();
    }

    private async Task<(List<JsonObject> Rows, List<(string Status, int Count)> Counts)> StatusesAsync()
    {
        long now = Now();
        var latest = (await store.AllHealthAsync().ConfigureAwait(false)).ToDictionary(h => h.DeviceId, StringComparer.Ordinal);
        var rows = new List<JsonObject>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { [Online] = 0, [Degraded] = 0, [Offline] = 0, [NeverSeen] = 0 };
        foreach (var summary in await registry.ListAsync().ConfigureAwait(false))
        {
            if (!summary.Device.IsActive) continue;
            latest.TryGetValue(summary.Device.DeviceId, out var health);
            var row = Summary(summary.Device.DeviceId, health, now);
            counts[(string)row["status"]!]++;
            rows.Add(row);
        }
        return (rows, counts.Select(kv => (kv.Key, kv.Value)).ToList());
    }

    private static JsonObject Summary(string deviceId, DeviceHealthRecord? health, long now) => new()
    {
        ["deviceId"] = deviceId,
        ["status"] = StatusOf(health, now),
        ["lastSeen"] = health?.ReceivedAt,
        ["intervalMs"] = health?.IntervalMs,
        ["firmware"] = health?.Firmware,
        ["degraded"] = Reasons(health?.Degraded),
        ["beats"] = health?.Beats ?? 0,
    };

    private static JsonArray Reasons(string? degraded) =>
        new((degraded ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());

    private long Now() => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
