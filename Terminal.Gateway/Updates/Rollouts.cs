using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Storage;
using Terminal.Updates.Manifest;

namespace Terminal.Gateway.Updates;

/// <summary>What an operator asks for when creating a rollout (admin API body, command-line options).</summary>
public sealed record RolloutRequest(string? Version, IReadOnlyList<string>? Devices, IReadOnlyList<string>? Stores, int? Percent, DateTimeOffset? StartsAt,
    bool AllowDowngrade, string? CreatedBy);

/// <summary>
/// Rollouts (docs/ota.md, "Rollouts"): a bundle's version for a set of devices (named devices, the devices of named
/// stores, or the whole fleet) and a stable share of that set (<see cref="Bucket"/>), from a start time on, until it is
/// paused (resumed) or aborted (final). When several rollouts take in one device, the newest one that has started and is
/// not aborted decides its offer; while that one is paused the device is offered nothing (an older rollout does not take
/// over, so a pause really stops the spread).
/// </summary>
public sealed class Rollouts(UpdateStore store, DeviceRegistry registry, TimeProvider clock)
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Aborted = "aborted";

    /// <summary>Most devices or stores named by one rollout.</summary>
    public const int MaxTargets = 10_000;

    /// <summary>The device's share bucket, 0..99: the first 8 bytes of SHA-256(device id) modulo 100. The same device has
    /// the same bucket in every rollout, so a 10 % rollout of the next version reaches the same devices first, and raising
    /// the share only adds devices.</summary>
    public static int Bucket(string deviceId) =>
        (int)(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(deviceId))) % 100);

    /// <summary>True when the rollout takes in the device (whatever its state or start).</summary>
    public static bool Includes(RolloutRecord rollout, Device device) =>
        (rollout.Devices.Count == 0 || rollout.Devices.Contains(device.DeviceId, StringComparer.Ordinal))
        && (rollout.Stores.Count == 0 || rollout.Stores.Contains(device.ReferenceStoreId, StringComparer.Ordinal))
        && Bucket(device.DeviceId) < rollout.Percent;

    /// <summary>The rollout that decides the device's offer: the newest one not aborted, started and taking in the device.</summary>
    public static RolloutRecord? Deciding(IEnumerable<RolloutRecord> rollouts, Device device, long now) =>
        rollouts.Where(r => r.State != Aborted && r.StartsAt <= now && Includes(r, device)).MaxBy(r => r.RolloutId);

    public async Task<JsonObject> CreateAsync(RolloutRequest request, CancellationToken ct = default)
    {
        BundleLibrary.CheckName(request.CreatedBy, "createdBy");
        if (request.Version == null || !AppVersion.IsValid(request.Version)) throw new UpdateRefusedException(400, "version: a bundle's version, e.g. 1.4.0");
        var bundle = await store.BundleAsync(request.Version, ct).ConfigureAwait(false);
        if (bundle == null || bundle.DeletedAt != null) throw new UpdateRefusedException(400, $"version: no bundle {request.Version} is uploaded");
        var devices = request.Devices ?? [];
        var stores = request.Stores ?? [];
        if (devices.Count > 0 && stores.Count > 0) throw new UpdateRefusedException(400, "devices, stores: name devices or stores, not both");
        if (devices.Count > MaxTargets || stores.Count > MaxTargets) throw new UpdateRefusedException(400, $"devices, stores: at most {MaxTargets}");
        if (devices.Distinct(StringComparer.Ordinal).Count() != devices.Count || stores.Distinct(StringComparer.Ordinal).Count() != stores.Count)
            throw new UpdateRefusedException(400, "devices, stores: a name given twice");
        if (devices.Count > 0)
        {
            var known = (await registry.ListAsync(ct).ConfigureAwait(false)).Select(s => s.Device.DeviceId).ToHashSet(StringComparer.Ordinal);
            foreach (string id in devices)
                if (!DeviceValidation.IsDeviceId(id) || !known.Contains(id)) throw new UpdateRefusedException(400, $"devices: {(DeviceValidation.IsDeviceId(id) ? id : "(invalid id)")} is not registered");
        }
        foreach (string id in stores)
            if (!DeviceValidation.IsReference(id)) throw new UpdateRefusedException(400, "stores: 1 to 64 printable characters without spaces each");
        int percent = request.Percent ?? 100;
        if (percent is < 1 or > 100) throw new UpdateRefusedException(400, "percent: 1..100");
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rollout = await store.AddRolloutAsync(new RolloutRecord(0, request.Version, devices, stores, percent, request.StartsAt?.ToUnixTimeMilliseconds() ?? now,
            request.AllowDowngrade, Active, now, request.CreatedBy!, now, request.CreatedBy!), ct).ConfigureAwait(false);
        return Json(rollout, now);
    }

    public async Task<JsonArray> ListAsync(CancellationToken ct = default)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var list = new JsonArray();
        foreach (var r in await store.RolloutsAsync(live: false, ct).ConfigureAwait(false)) list.Add(Json(r, now));
        return list;
    }

    /// <summary>The rollout with its devices' states and the count per state; <c>pending</c> counts the devices it takes
    /// in that have not been offered yet (no heartbeat since). Null when there is no such rollout.</summary>
    public async Task<JsonObject?> ShowAsync(long id, CancellationToken ct = default)
    {
        var rollout = await store.RolloutAsync(id, ct).ConfigureAwait(false);
        if (rollout == null) return null;
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var json = Json(rollout, now);
        var rows = await store.RolloutStatesAsync(id, ct).ConfigureAwait(false);
        var counts = new JsonObject { [DeviceUpdates.Pending] = 0 };
        foreach (string state in DeviceUpdates.States) counts[state] = 0;
        var devices = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            seen.Add(row.DeviceId);
            counts[row.State] = (int)counts[row.State]! + 1;
            devices.Add(new JsonObject
            {
                ["deviceId"] = row.DeviceId, ["state"] = row.State, ["bytes"] = row.Bytes, ["reason"] = row.Reason,
                ["since"] = BundleLibrary.Time(row.Since), ["updatedAt"] = BundleLibrary.Time(row.UpdatedAt),
            });
        }
        foreach (var summary in await registry.ListAsync(ct).ConfigureAwait(false))
        {
            if (!summary.Device.IsActive || seen.Contains(summary.Device.DeviceId) || !Includes(rollout, summary.Device)) continue;
            counts[DeviceUpdates.Pending] = (int)counts[DeviceUpdates.Pending]! + 1;
            devices.Add(new JsonObject { ["deviceId"] = summary.Device.DeviceId, ["state"] = DeviceUpdates.Pending });
        }
        json["counts"] = counts;
        json["devices"] = devices;
        return json;
    }

    public Task<JsonObject> PauseAsync(long id, string? by, CancellationToken ct = default) => MoveAsync(id, [Active], Paused, by, ct);

    public Task<JsonObject> ResumeAsync(long id, string? by, CancellationToken ct = default) => MoveAsync(id, [Paused], Active, by, ct);

    public Task<JsonObject> AbortAsync(long id, string? by, CancellationToken ct = default) => MoveAsync(id, [Active, Paused], Aborted, by, ct);

    private async Task<JsonObject> MoveAsync(long id, string[] from, string to, string? by, CancellationToken ct)
    {
        BundleLibrary.CheckName(by, "by");
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!await store.SetRolloutStateAsync(id, from, to, now, by!, ct).ConfigureAwait(false))
        {
            var current = await store.RolloutAsync(id, ct).ConfigureAwait(false) ?? throw new UpdateRefusedException(404, "no such rollout");
            throw new UpdateRefusedException(409, $"rollout {id} is {current.State}: only a rollout that is {string.Join(" or ", from)} can be made {to}");
        }
        return Json((await store.RolloutAsync(id, ct).ConfigureAwait(false))!, now);
    }

    internal static JsonObject Json(RolloutRecord r, long now) => new()
    {
        ["rolloutId"] = r.RolloutId,
        ["version"] = r.Version,
        ["devices"] = new JsonArray(r.Devices.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
        ["stores"] = new JsonArray(r.Stores.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
        ["percent"] = r.Percent,
        ["startsAt"] = BundleLibrary.Time(r.StartsAt),
        ["started"] = r.StartsAt <= now,
        ["allowDowngrade"] = r.AllowDowngrade,
        ["state"] = r.State,
        ["createdAt"] = BundleLibrary.Time(r.CreatedAt),
        ["createdBy"] = r.CreatedBy,
        ["changedAt"] = BundleLibrary.Time(r.ChangedAt),
        ["changedBy"] = r.ChangedBy,
    };

    /// <summary>Reads a start time: ISO 8601 with an offset (2026-12-04T02:00:00Z).</summary>
    public static DateTimeOffset ParseStart(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) && (text.EndsWith('Z') || text.Contains('+') || text.LastIndexOf('-') > 9)
            ? at
            : throw new UpdateRefusedException(400, "startsAt: ISO 8601 with an offset, e.g. 2026-12-04T02:00:00Z");
}
