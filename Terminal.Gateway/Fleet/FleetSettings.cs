using System.Text;
using System.Text.Json.Nodes;
using Terminal.DeviceLink.Settings;
using Terminal.Firmware.Config;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Fleet;

/// <summary>The settings a device is to have: the merged values of its scopes and the newest version among them.</summary>
public sealed record EffectiveSettings(long Version, JsonObject Values);

/// <summary>
/// Remote settings at the gateway (docs/fleet-link.md, "Remote settings"): one document of values per scope, fleet,
/// store (a device's referenceStoreId) and device, the device's winning over its store's over the fleet's. A document
/// is checked with the terminal's own rules before it is stored (<see cref="SettingsCheck"/> over
/// <see cref="TerminalConfig.NewSections"/>: one table of rules for both sides), and every change is audited with who
/// made it. The version a device gets is the newest of its documents' versions, so any change that reaches it gives
/// it a newer version.
/// </summary>
public sealed class FleetSettings(FleetStore store, DeviceRegistry registry, TimeProvider clock)
{
    public const string Fleet = "fleet";
    public const string Store = "store";
    public const string Device = "device";

    /// <summary>Largest document (and merged set) in UTF-8 bytes: it must fit the terminal's 4 KB answer buffer with room to spare.</summary>
    public const int MaxDocumentBytes = 2048;

    public const string Pending = "pending";
    public const string Applied = "applied";
    public const string Rejected = "rejected";

    /// <summary>Why <paramref name="values"/> cannot be a settings document ("pollIntervalMs must be 1000..10000"), or null.</summary>
    public static string? Check(JsonObject values)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(values.ToJsonString());
        if (bytes.Length > MaxDocumentBytes) return $"the settings take {bytes.Length} bytes; at most {MaxDocumentBytes}";
        var problem = SettingsCheck.Check(bytes, 0, bytes.Length, TerminalConfig.NewSections, null, null);
        return problem == null ? null : problem.Field + " " + problem.Reason;
    }

    /// <summary>
    /// Replaces the document of a scope (checked alone, and for a device merged with its store's and the fleet's);
    /// returns the new version, or the reason it was refused. Throws <see cref="KeyNotFoundException"/> for an unknown device.
    /// </summary>
    public async Task<(long Version, string? Error)> SetAsync(string scope, string scopeId, JsonObject values, string changedBy)
    {
        string? error = Check(values);
        if (error != null) return (0, error);
        if (scope == Device)
        {
            var device = await FindAsync(scopeId).ConfigureAwait(false) ?? throw new KeyNotFoundException(scopeId);
            var merged = Merge(await store.SettingsForAsync(device.ReferenceStoreId, "").ConfigureAwait(false), values);
            error = Check(merged);
            if (error != null) return (0, "with the store's and the fleet's settings: " + error);
        }

        long version = await store.SetSettingsAsync(scope, scopeId, values.ToJsonString(), clock.GetUtcNow().ToUnixTimeMilliseconds(), changedBy).ConfigureAwait(false);
        return (version, null);
    }

    /// <summary>The settings <paramref name="device"/> is to have, or null when no scope of it has any.</summary>
    public async Task<EffectiveSettings?> EffectiveAsync(Device device)
    {
        var documents = await store.SettingsForAsync(device.ReferenceStoreId, device.DeviceId).ConfigureAwait(false);
        if (documents.Count == 0) return null;
        return new EffectiveSettings(documents.Max(d => d.Version), Merge(documents, null));
    }

    /// <summary>
    /// The device's settings for the admin API: the effective version and values, and their state at the terminal as
    /// its last heartbeat reported it: <c>applied</c>, <c>pending</c>, or <c>rejected</c> with the field and reason.
    /// </summary>
    public async Task<JsonObject?> DeviceStatusAsync(string deviceId)
    {
        var device = await FindAsync(deviceId).ConfigureAwait(false);
        if (device == null) return null;
        var effective = await EffectiveAsync(device).ConfigureAwait(false);
        var health = await store.HealthAsync(deviceId).ConfigureAwait(false);
        var reported = health == null ? null : JsonNode.Parse(health.Body)?["settings"];
        long applied = (long?)reported?["applied"] ?? 0;
        long rejected = (long?)reported?["rejected"] ?? 0;
        long version = effective?.Version ?? 0;
        string state = version == 0 || applied == version ? Applied : rejected == version ? Rejected : Pending;
        var json = new JsonObject
        {
            ["deviceId"] = deviceId,
            ["version"] = version,
            ["values"] = effective?.Values ?? new JsonObject(),
            ["state"] = state,
            ["appliedVersion"] = applied,
        };
        if (state == Rejected)
        {
            json["rejectedField"] = (string?)reported?["field"];
            json["rejectedReason"] = (string?)reported?["reason"];
        }
        return json;
    }

    /// <summary>Later documents' values win: fleet, then store, then device; <paramref name="device"/> replaces the stored device document.</summary>
    private static JsonObject Merge(List<SettingsDocument> documents, JsonObject? device)
    {
        var merged = new JsonObject();
        foreach (string scope in new[] { Fleet, Store, Device })
        {
            JsonObject? values = scope == Device && device != null ? device
                : documents.FirstOrDefault(d => d.Scope == scope) is { } d ? JsonNode.Parse(d.Document)!.AsObject() : null;
            if (values == null) continue;
            foreach (var (key, value) in values) merged[key] = value?.DeepClone();
        }
        return merged;
    }

    private Task<Device?> FindAsync(string deviceId) => registry.FindAsync(deviceId);
}
