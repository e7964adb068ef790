using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Gateway.Devices;
using Terminal.Host;
using Terminal.Tests.DeviceLink;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Remote settings from the admin API through the heartbeat to the terminal's configuration and back
/// (docs/fleet-link.md, "Remote settings"): a store-level change reaches both terminals of the store and not a third;
/// a device override the gateway's rules refuse is never stored; one the terminal's own terminal.json makes invalid is
/// rejected by that terminal, which the gateway then shows with the field and reason; every change is audited.
/// </summary>
public sealed class RemoteSettingsEndToEndTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_store_setting_reaches_its_terminals_and_a_device_override_the_terminal_refuses_shows_as_rejected(string provider)
    {
        await using var rig = await EndToEndRig.StartAsync(provider);
        var a = await rig.RegisterAsync("T0001");
        var b = await rig.RegisterAsync("T0002");
        var c = await rig.Gateway.RegisterDeviceAsync(new DeviceRegistration("T0003", ReferenceStoreId: "S002"));
        using var http = new HttpClientExchange(rig.Gateway.BaseUri, rig.Gateway.CaCertificate);
        var terminalA = Terminal(http, a.DeviceId, a.KeyBytes);
        var terminalB = Terminal(http, b.DeviceId, b.KeyBytes, cpmBudgetMs: 5_000);
        var terminalC = Terminal(http, c.DeviceId, c.KeyBytes);

        var store = await PutAsync(rig, "/admin/settings/store/S001", new JsonObject { ["pollIntervalMs"] = 3000, ["displayName"] = "Kiosk" }, "alice");
        Assert.Equal(HttpStatusCode.OK, store.Status);
        foreach (var t in new[] { terminalA, terminalB, terminalC }) await Task.Run(t.Beat);
        Assert.Equal((3000, "Kiosk"), (terminalA.Config.Engine.PollIntervalMs, terminalA.Config.Display.DisplayName));
        Assert.Equal((3000, "Kiosk"), (terminalB.Config.Engine.PollIntervalMs, terminalB.Config.Display.DisplayName));
        Assert.Equal((2000, (string?)null), (terminalC.Config.Engine.PollIntervalMs, terminalC.Config.Display.DisplayName));

        // Out of the remote bounds, not a remote key: refused by the gateway, nothing stored.
        var outOfRange = await PutAsync(rig, "/admin/settings/device/T0002", new JsonObject { ["pollIntervalMs"] = 200 }, "bob");
        var secret = await PutAsync(rig, "/admin/settings/device/T0002", new JsonObject { ["wifiPassword"] = "x" }, "bob");
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (outOfRange.Status, secret.Status));
        Assert.Contains("pollIntervalMs must be 1000..10000", (string?)outOfRange.Json["error"], StringComparison.Ordinal);
        Assert.Contains("wifiPassword not a remote setting", (string?)secret.Json["error"], StringComparison.Ordinal);

        // Valid on the gateway's defaults, but T0002's terminal.json has a 5 s budget: T0002 rejects it and says why.
        var over = await PutAsync(rig, "/admin/settings/device/T0002", new JsonObject { ["pollIntervalMs"] = 8000 }, "bob");
        Assert.Equal(HttpStatusCode.OK, over.Status);
        Assert.Equal("pending", (string?)(await GetAsync(rig, "/admin/devices/T0002/settings"))["state"]);
        await Task.Run(terminalB.Beat);
        Assert.Equal(3000, terminalB.Config.Engine.PollIntervalMs);
        await Task.Run(terminalB.Beat);
        var shown = await GetAsync(rig, "/admin/devices/T0002/settings");
        Assert.Equal(("rejected", "cpmBudgetMs", "must be at least pollIntervalMs"), ((string?)shown["state"], (string?)shown["rejectedField"], (string?)shown["rejectedReason"]));
        await Task.Run(terminalA.Beat);
        Assert.Equal("applied", (string?)(await GetAsync(rig, "/admin/devices/T0001/settings"))["state"]);

        var audit = (await SendAsync(rig, HttpMethod.Get, "/admin/settings/audit", null)).Json.AsArray();
        Assert.Equal(new[] { ("device", "T0002", "bob"), ("store", "S001", "alice") }, audit.Select(e => ((string)e!["scope"]!, (string)e["id"]!, (string)e["changedBy"]!)));
        Assert.Equal(8000, (int)audit[0]!["after"]!["pollIntervalMs"]!);
    }

    private static HeartbeatRig Terminal(HttpClientExchange http, string deviceId, byte[] key, int cpmBudgetMs = 60_000)
    {
        var rig = new HeartbeatRig(http, deviceId: deviceId, key: key, configure: c => c.Engine.CpmBudgetMs = cpmBudgetMs);
        rig.Clock.Wall = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return rig;
    }

    private static Task<(HttpStatusCode Status, JsonNode Json)> PutAsync(EndToEndRig rig, string path, JsonObject values, string by) =>
        SendAsync(rig, HttpMethod.Put, path, new JsonObject { ["values"] = values, ["changedBy"] = by }.ToJsonString());

    private static async Task<JsonObject> GetAsync(EndToEndRig rig, string path) => (await SendAsync(rig, HttpMethod.Get, path, null)).Json.AsObject();

    private static async Task<(HttpStatusCode Status, JsonNode Json)> SendAsync(EndToEndRig rig, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(rig.Gateway.AdminBaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await rig.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"{method} {path}: HTTP {(int)response.StatusCode} without a body");
        return (response.StatusCode, JsonNode.Parse(text)!);
    }
}
