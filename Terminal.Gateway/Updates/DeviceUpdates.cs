using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.Storage;
using Terminal.Payments.Antom;
using Terminal.Updates.Manifest;

namespace Terminal.Gateway.Updates;

/// <summary>
/// Each device's part in the rollouts (docs/ota.md, "At the gateway"), driven by its heartbeats:
/// <list type="bullet">
/// <item>the heartbeat's <c>update</c> member moves the device's state in the rollout it is about (downloading with the
/// bytes, staged, trial, healthy, rolled_back or refused with the reason); a device whose <c>firmware</c> is the offered
/// version without saying more is <c>running</c>;</item>
/// <item>the answer's <c>update</c> offer, <c>{"version","mac","downgrade"}</c>, while the deciding rollout
/// (<see cref="Rollouts.Deciding"/>) is active, the device does not run its version, the version is not older than the
/// one it runs (unless the rollout allows a downgrade), and the device has not refused or rolled back that version in
/// this rollout (offering it again would loop: a new rollout is the operator's way to try again). The MAC is
/// HMAC-SHA256 over the manifest's exact bytes with the device's key of label <see cref="SignatureKeys.UpdateManifest"/>;</item>
/// <item>the same decision allows the device's downloads of that version's files (<see cref="UpdateFilesEndpoint"/>).</item>
/// </list>
/// </summary>
public sealed class DeviceUpdates(UpdateStore store, FleetStore fleet, TimeProvider clock)
{
    public const string Pending = "pending";
    public const string Offered = "offered";
    public const string Running = "running";

    /// <summary>Every state a device has in a rollout, in the order an update goes through them.</summary>
    public static readonly string[] States =
        [Offered, UpdateReport.Downloading, UpdateReport.Staged, Running, UpdateReport.Trial, UpdateReport.Healthy, UpdateReport.RolledBack, UpdateReport.Refused];

    /// <summary>Records what the heartbeat says about updates and returns the offer for its answer, or null.</summary>
    public async Task<JsonObject?> HeartbeatAsync(Device device, HeartbeatReport report, byte[] manifestKey, CancellationToken ct = default)
    {
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var deciding = Rollouts.Deciding(await store.RolloutsAsync(live: true, ct).ConfigureAwait(false), device, now);
        var states = await store.DeviceStatesAsync(device.DeviceId, ct).ConfigureAwait(false);
        var current = deciding == null ? null : states.FirstOrDefault(s => s.RolloutId == deciding.RolloutId);

        DeviceUpdateRecord? next = null;
        if (report.Update is { } update)
        {
            // About the deciding rollout's version, or else the newest rollout that offered the device that version.
            var row = current?.Version == update.Version ? current : states.FirstOrDefault(s => s.Version == update.Version);
            long? rolloutId = row?.RolloutId ?? (deciding?.Version == update.Version ? deciding.RolloutId : null);
            if (rolloutId != null) next = new DeviceUpdateRecord(rolloutId.Value, device.DeviceId, update.Version, update.State, update.Bytes, update.Reason, now, now);
        }
        else if (current != null && SameVersion(report.Firmware, current.Version) && current.State is Offered or UpdateReport.Downloading or UpdateReport.Staged)
        {
            next = current with { State = Running, Bytes = null, Reason = null, Since = now, UpdatedAt = now };
        }
        if (next != null)
        {
            var before = states.FirstOrDefault(s => s.RolloutId == next.RolloutId);
            if (before == null || before.State != next.State || before.Bytes != next.Bytes || before.Reason != next.Reason)
                await store.SaveDeviceStateAsync(next, ct).ConfigureAwait(false);
            if (current != null && next.RolloutId == current.RolloutId) current = next;
        }

        if (deciding == null || !Offers(deciding, current, report.Firmware)) return null;
        var bundle = await store.BundleAsync(deciding.Version, ct).ConfigureAwait(false);
        if (bundle == null || bundle.DeletedAt != null) return null;
        if (current == null) await store.SaveDeviceStateAsync(new DeviceUpdateRecord(deciding.RolloutId, device.DeviceId, deciding.Version, Offered, null, null, now, now), ct)
            .ConfigureAwait(false);
        return new JsonObject
        {
            ["version"] = deciding.Version,
            ["mac"] = Convert.ToHexStringLower(HMACSHA256.HashData(manifestKey, bundle.Manifest)),
            ["downgrade"] = deciding.AllowDowngrade,
        };
    }

    /// <summary>True when the device may download the version's files: it runs that version (its last heartbeat says so)
    /// or it is offered that version now.</summary>
    public async Task<bool> MayDownloadAsync(Device device, string version, CancellationToken ct = default)
    {
        string? firmware = (await fleet.HealthAsync(device.DeviceId, ct).ConfigureAwait(false))?.Firmware;
        if (firmware != null && SameVersion(firmware, version)) return true;
        if (firmware == null) return false;
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var deciding = Rollouts.Deciding(await store.RolloutsAsync(live: true, ct).ConfigureAwait(false), device, now);
        if (deciding == null || deciding.Version != version) return false;
        var current = (await store.DeviceStatesAsync(device.DeviceId, ct).ConfigureAwait(false)).FirstOrDefault(s => s.RolloutId == deciding.RolloutId);
        return Offers(deciding, current, firmware);
    }

    /// <summary><c>gateway_device_updates{state}</c>: devices per update state over the rollouts that are not aborted.</summary>
    public async Task<string> RenderMetricsAsync(CancellationToken ct = default)
    {
        var counts = States.ToDictionary(s => s, _ => 0L, StringComparer.Ordinal);
        foreach (var (state, n) in await store.StateCountsAsync(ct).ConfigureAwait(false)) counts[state] = n;
        var sb = new StringBuilder("# HELP gateway_device_updates Devices by update state in rollouts that are not aborted.\n# TYPE gateway_device_updates gauge\n");
        foreach (string state in States) sb.Append(CultureInfo.InvariantCulture, $"gateway_device_updates{{state=\"{state}\"}} {counts[state]}\n");
        return sb.ToString();
    }

    /// <summary>"1.4" and "1.4.0" are one version (<see cref="AppVersion.Compare"/>); a firmware text that is no version only equals itself.</summary>
    private static bool SameVersion(string firmware, string version) =>
        firmware == version || (AppVersion.IsValid(firmware) && AppVersion.IsValid(version) && AppVersion.Compare(firmware, version) == 0);

    private static bool Offers(RolloutRecord rollout, DeviceUpdateRecord? state, string firmware)
    {
        if (rollout.State != Rollouts.Active || SameVersion(firmware, rollout.Version)) return false;
        if (state?.State is UpdateReport.RolledBack or UpdateReport.Refused) return false;
        // A firmware text that is no version (a development build) is left to the terminal's own check.
        bool older = AppVersion.IsValid(firmware) && AppVersion.Compare(rollout.Version, firmware) < 0;
        return !older || rollout.AllowDowngrade;
    }
}
