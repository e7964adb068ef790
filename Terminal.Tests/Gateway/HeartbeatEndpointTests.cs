using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Terminal.Gateway.Fleet;
using Terminal.Host;
using Terminal.Tests.DeviceLink;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The heartbeat at the gateway (docs/fleet-link.md): the firmware's own heartbeat over HTTPS is stored as the device's
/// latest health and shows it online, then offline when it stops; forged, malformed and oversized heartbeats are
/// refused, counted and store nothing.
/// </summary>
public sealed class HeartbeatEndpointTests
{
    private const string Path = "/terminal/v1/heartbeat";

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_firmware_heartbeat_shows_the_device_online_then_offline_when_it_stops(string provider)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var rig = await EndToEndRig.StartAsync(provider, o => o.Clock = clock);
        var credentials = await rig.RegisterAsync("T0001");
        await rig.RegisterAsync("T0002");
        using var http = new HttpClientExchange(rig.Gateway.BaseUri, rig.Gateway.CaCertificate);
        var terminal = new HeartbeatRig(http, deviceId: "T0001", key: credentials.KeyBytes);
        terminal.Parts.ScannerWord = "absent";
        terminal.Clock.Wall = clock.GetUtcNow().ToUnixTimeMilliseconds();

        await Task.Run(terminal.Beat);
        clock.Advance(TimeSpan.FromSeconds(60));
        terminal.Clock.Advance(60_000);
        await Task.Run(terminal.Beat);

        Assert.Equal((2, 0), (terminal.Heartbeat.Beats, terminal.Heartbeat.Failures));
        var health = await AdminAsync(rig, "/admin/devices/T0001/health");
        Assert.Equal(("online", 2L, "1.0.0", "absent"), ((string?)health["status"], (long?)health["beats"], (string?)health["firmware"], (string?)health["heartbeat"]!["scanner"]));
        Assert.Equal(2, health["history"]!.AsArray().Count);
        var fleet = await AdminAsync(rig, "/admin/fleet/health");
        Assert.Equal((1, 1, 0), ((int)fleet["counts"]!["online"]!, (int)fleet["counts"]!["never_seen"]!, (int)fleet["counts"]!["offline"]!));

        clock.Advance(TimeSpan.FromMilliseconds(FleetHealth.OfflineAfterIntervals * 60_000 - 1_000));
        Assert.Equal("online", (string?)(await AdminAsync(rig, "/admin/devices/T0001/health"))["status"]);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("offline", (string?)(await AdminAsync(rig, "/admin/devices/T0001/health"))["status"]);
        string metrics = await rig.Http.GetStringAsync(new Uri(rig.Gateway.AdminBaseUri, "/metrics"));
        Assert.Contains("gateway_devices{status=\"offline\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_requests_total{operation=\"heartbeat\",result_code=\"SUCCESS\"} 2\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_malformed_and_oversized_heartbeats_are_refused_counted_and_store_nothing()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var a = await rig.RegisterAsync("T0001");
        var b = await rig.RegisterAsync("T0002");
        byte[] keyA = RelayKeys.Derive(a.KeyBytes, "qr-terminal-hs256/heartbeat/device-to-gateway");
        var deviceA = new TestDevice(rig.Http, rig.Gateway.BaseUri, "T0001", a.KeyBytes);
        var posingAsB = new TestDevice(rig.Http, rig.Gateway.BaseUri, "T0002", b.KeyBytes);
        string good = ValidBody();

        // The relay's key, A's heartbeat key under B's name, and the answer key all fail; none is signed back.
        var relayKey = await deviceA.SendAsync(deviceA.Sign(Path, good));
        var otherDevice = await posingAsB.SendAsync(posingAsB.Sign(Path, good, macKey: keyA));
        var answerKey = await deviceA.SendAsync(deviceA.Sign(Path, good, macKey: RelayKeys.Derive(a.KeyBytes, "qr-terminal-hs256/heartbeat/gateway-to-device")));
        Assert.All(new[] { relayKey, otherDevice, answerKey }, r => Assert.Equal(("INVALID_SIGNATURE", false), (r.ResultCode, r.Signed)));

        // Correctly signed but not a heartbeat: refused with the member at fault, signed (the MAC verified).
        var unknownMember = await deviceA.SendAsync(deviceA.Sign(Path, good.Replace("\"heap\":", "\"shell\":1,\"heap\":", StringComparison.Ordinal), macKey: keyA));
        var badBeat = await deviceA.SendAsync(deviceA.Sign(Path, good.Replace("0123456789abcdef", "0123456789ABCDEF", StringComparison.Ordinal), macKey: keyA));
        var notJson = await deviceA.SendAsync(deviceA.Sign(Path, "{\"beat\":", macKey: keyA));
        var oversized = await deviceA.SendAsync(deviceA.Sign(Path, good.Replace("\"firmware\":\"1.0.0\"", "\"firmware\":\"1.0.0\",\"pad\":\"" + new string('x', 4096) + "\"", StringComparison.Ordinal), macKey: keyA));
        Assert.Equal(("PARAM_ILLEGAL", true), (unknownMember.ResultCode, unknownMember.Signed));
        Assert.Contains("unknown member shell", unknownMember.ResultMessage, StringComparison.Ordinal);
        Assert.Contains("beat:", badBeat.ResultMessage, StringComparison.Ordinal);
        Assert.Equal("PARAM_ILLEGAL", notJson.ResultCode);
        Assert.Contains("larger than 4096 bytes", oversized.ResultMessage, StringComparison.Ordinal);

        var fleet = await AdminAsync(rig, "/admin/fleet/health");
        Assert.Equal(2, (int)fleet["counts"]!["never_seen"]!);
        Assert.Equal(3, rig.Gateway.Metrics.RequestCount("INVALID_SIGNATURE"));
        Assert.Equal(4, rig.Gateway.Metrics.RequestCount("PARAM_ILLEGAL")); // malformed and oversized are counted too

        // The negative control: the same body signed with A's heartbeat key is accepted and stored.
        var accepted = await deviceA.SendAsync(deviceA.Sign(Path, good, macKey: keyA));
        Assert.Equal(("SUCCESS", "0123456789abcdef", true), (accepted.ResultCode, accepted["beat"], accepted.Signed));
        Assert.Equal("online", (string?)(await AdminAsync(rig, "/admin/devices/T0001/health"))["status"]);
    }

    private static string ValidBody() => new JsonObject
    {
        ["beat"] = "0123456789abcdef", ["firmware"] = "1.0.0", ["uptimeS"] = 10, ["intervalMs"] = 60000,
        ["boot"] = new JsonObject { ["count"] = 1, ["reason"] = "first" }, ["heap"] = 90000,
        ["scanner"] = "ok", ["display"] = "ok", ["storage"] = "ok", ["clock"] = "ok",
        ["journal"] = new JsonObject { ["open"] = new JsonArray(), ["review"] = new JsonArray(), ["more"] = 0 },
        ["settings"] = new JsonObject { ["applied"] = 0 },
    }.ToJsonString();

    private static async Task<JsonObject> AdminAsync(EndToEndRig rig, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(rig.Gateway.AdminBaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        using var response = await rig.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}
