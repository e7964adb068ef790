using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Updates;
using Terminal.Payments.Antom;

namespace Terminal.Gateway.Fleet;

/// <summary>
/// <c>POST /terminal/v1/heartbeat</c> (docs/fleet-link.md): the gate has authenticated the device with the heartbeat's
/// request key; the body is checked (<see cref="HeartbeatReport"/>), stored as the device's latest health and in its
/// history, and answered with the beat's id, so that the terminal can tell this answer from a replayed older one:
/// <c>{"result":{...S...},"beat":"...","settings":{"version":N,"values":{...}}}</c>, the settings only while the
/// terminal reports neither that version applied nor that version rejected (<see cref="FleetSettings"/>), and
/// <c>"resolutions":[{"kind","requestId","status","resultCode"}]</c> for the review references the heartbeat names that the
/// resolution queue has resolved (each reference enters the queue the first time; <see cref="ResolutionQueue"/>), and
/// <c>"update":{"version","mac","downgrade"}</c> when a rollout offers the device a version (<see cref="DeviceUpdates"/>). A body
/// that fails its check is answered PARAM_ILLEGAL (signed: the MAC verified) and stores nothing.
/// </summary>
public sealed class HeartbeatEndpoint(FleetStore store, FleetSettings remoteSettings, ResolutionQueue queue, DeviceUpdates updates, GatewaySettings settings,
    ILogger<HeartbeatEndpoint> log)
{
    /// <summary>The heartbeat's keys; its answer may carry an update offer, whose manifest MAC needs the device's manifest key.</summary>
    public static readonly DeviceMessageType MessageType = new("heartbeat") { Grants = [SignatureKeys.UpdateManifest] };

    public const string Operation = "heartbeat";

    public async Task<DeviceAnswer> HandleAsync(DeviceRequest request)
    {
        HeartbeatReport report;
        try
        {
            report = HeartbeatReport.Parse(request.Body);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            log.LogWarning("heartbeat refused: device={DeviceId} reason={Reason}", request.Device.DeviceId, e.Message);
            return new DeviceAnswer(AntomJson.Result("F", ResultCodes.ParamIllegal, "heartbeat " + e.Message), Outcome: "refused");
        }

        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        string? degraded = report.DegradedReasons();
        await store.RecordHeartbeatAsync(
            new DeviceHealthRecord(request.Device.DeviceId, now, request.RequestTime, report.IntervalMs, report.Firmware, degraded, Encoding.UTF8.GetString(request.Body), 1),
            new HeartbeatPoint(now, report.UptimeS, report.HeapBytes, report.WifiRssi, degraded)).ConfigureAwait(false);
        var answer = new JsonObject
        {
            ["result"] = AntomJson.ResultObject("S", ResultCodes.Success, "success"),
            ["beat"] = report.Beat,
        };
        var effective = await remoteSettings.EffectiveAsync(request.Device).ConfigureAwait(false);
        if (effective != null && effective.Version != report.SettingsApplied && effective.Version != report.SettingsRejected)
        {
            answer["settings"] = new JsonObject { ["version"] = effective.Version, ["values"] = effective.Values };
        }
        var resolved = await queue.ForHeartbeatAsync(request.Device.DeviceId, report.Review).ConfigureAwait(false);
        if (resolved.Count > 0)
        {
            var list = new JsonArray();
            foreach (var item in resolved)
                list.Add(new JsonObject { ["kind"] = item.Kind, ["requestId"] = item.RequestId, ["status"] = item.Status, ["resultCode"] = item.ResultCode });
            answer["resolutions"] = list;
        }
        var offer = await updates.HeartbeatAsync(request.Device, report, request.GrantedKey(SignatureKeys.UpdateManifest)).ConfigureAwait(false);
        if (offer != null) answer["update"] = offer;
        return new DeviceAnswer(AntomJson.Serialize(answer), Outcome: degraded == null ? "recorded" : "recorded degraded");
    }
}
