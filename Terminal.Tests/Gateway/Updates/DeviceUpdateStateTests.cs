using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Gateway.Updates;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway.Updates;

/// <summary>
/// Each device's update state, from what its heartbeats say (docs/ota.md, "Device states"): offered, downloading with
/// the bytes, staged, running, trial, healthy, rolled_back and refused with the reason; counted per rollout and in /metrics.
/// </summary>
public sealed class DeviceUpdateStateTests
{
    private static JsonObject Update(string state, long? bytes = null, string? reason = null)
    {
        var update = new JsonObject { ["version"] = "1.4.0", ["state"] = state };
        if (bytes != null) update["bytes"] = bytes;
        if (reason != null) update["reason"] = reason;
        return update;
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Heartbeats_move_each_device_through_its_states_and_the_rollout_counts_them(string provider)
    {
        await using var rig = await UpdateRig.StartAsync(provider);
        foreach (string id in new[] { "T0001", "T0002", "T0003", "T0004", "T0005" }) await rig.AddDeviceAsync(id);
        await rig.UploadAsync("1.4.0");
        long id1 = await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0" });
        foreach (string id in new[] { "T0001", "T0002", "T0003", "T0004" }) Assert.NotNull(await rig.BeatAsync(id));

        async Task<JsonNode> Device(string id) =>
            (await rig.AdminAsync(HttpMethod.Get, $"/admin/rollouts/{id1}")).Json["devices"]!.AsArray().Single(d => (string?)d!["deviceId"] == id)!;

        Assert.Equal("offered", (string?)(await Device("T0001"))["state"]);
        Assert.NotNull(await rig.BeatAsync("T0001", update: Update("downloading", bytes: 16384)));
        Assert.Equal(("downloading", 16384L), ((string?)(await Device("T0001"))["state"], (long?)(await Device("T0001"))["bytes"]));
        Assert.NotNull(await rig.BeatAsync("T0001", update: Update("staged", bytes: 100_000)));
        Assert.Equal("staged", (string?)(await Device("T0001"))["state"]);
        Assert.Null(await rig.BeatAsync("T0001", firmware: "1.4.0", update: Update("trial")));
        Assert.Equal(("trial", null), ((string?)(await Device("T0001"))["state"], (long?)(await Device("T0001"))["bytes"]));
        Assert.Null(await rig.BeatAsync("T0001", firmware: "1.4.0", update: Update("healthy")));
        string since = (string)(await Device("T0001"))["since"]!;
        Assert.Null(await rig.BeatAsync("T0001", firmware: "1.4.0", update: Update("healthy")));
        Assert.Equal(("healthy", since), ((string?)(await Device("T0001"))["state"], (string?)(await Device("T0001"))["since"]));

        // Refused and rolled back with the terminal's reason: not offered again in this rollout.
        Assert.Null(await rig.BeatAsync("T0002", update: Update("refused", reason: "mac")));
        Assert.Null(await rig.BeatAsync("T0002"));
        Assert.Null(await rig.BeatAsync("T0003", update: Update("rolled_back", reason: "not marked healthy in 3 boots")));
        Assert.Equal(("rolled_back", "not marked healthy in 3 boots"), ((string?)(await Device("T0003"))["state"], (string?)(await Device("T0003"))["reason"]));
        // Runs the version without saying more (its first beat after the switch): running.
        Assert.Null(await rig.BeatAsync("T0004", firmware: "1.4.0"));

        var show = (await rig.AdminAsync(HttpMethod.Get, $"/admin/rollouts/{id1}")).Json;
        var counts = show["counts"]!.AsObject().ToDictionary(kv => kv.Key, kv => (int)kv.Value!);
        Assert.Equal(new Dictionary<string, int>
        {
            ["pending"] = 1, ["offered"] = 0, ["downloading"] = 0, ["staged"] = 0, ["running"] = 1, ["trial"] = 0, ["healthy"] = 1, ["rolled_back"] = 1, ["refused"] = 1,
        }, counts);
        Assert.Equal("pending", (string?)show["devices"]!.AsArray().Single(d => (string?)d!["deviceId"] == "T0005")!["state"]);

        string metrics = await rig.Gateway.Http.GetStringAsync(new Uri(rig.Gateway.Gateway.AdminBaseUri, "/metrics"));
        Assert.Contains("gateway_device_updates{state=\"healthy\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_device_updates{state=\"refused\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("gateway_device_updates{state=\"offered\"} 0\n", metrics, StringComparison.Ordinal);

        // A new rollout of the same version is how an operator tries again: it offers the refusing device afresh.
        await rig.RolloutAsync(new JsonObject { ["version"] = "1.4.0", ["devices"] = new JsonArray("T0002") });
        Assert.NotNull(await rig.BeatAsync("T0002"));
    }

    [Fact]
    public async Task A_malformed_update_member_refuses_the_heartbeat_with_the_member_named()
    {
        await using var rig = await UpdateRig.StartAsync("sqlite");
        await rig.AddDeviceAsync("T0001");
        string body = "{\"beat\":\"00000000000000aa\",\"firmware\":\"1.0.0\",\"uptimeS\":1,\"intervalMs\":60000,\"boot\":{\"count\":1,\"reason\":\"first\"}," +
            "\"scanner\":\"ok\",\"display\":\"ok\",\"storage\":\"ok\",\"clock\":\"ok\",\"journal\":{\"open\":[],\"review\":[],\"more\":0},\"settings\":{\"applied\":0}," +
            "\"update\":{\"version\":\"1.4.0\",\"state\":\"healthy\",\"bytes\":5}}";
        var reply = await rig.SendBeatAsync("T0001", body);
        Assert.Equal(("PARAM_ILLEGAL", "heartbeat update.bytes: only with downloading or staged"), (reply.ResultCode, reply.ResultMessage));
        var accepted = await rig.SendBeatAsync("T0001", body.Replace(",\"bytes\":5", "", StringComparison.Ordinal));
        Assert.Equal("SUCCESS", accepted.ResultCode);
    }

    [Theory]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"downloading\",\"bytes\":0}", "downloading", 0L, null)]
    [InlineData("{\"version\":\"1.4\",\"state\":\"staged\",\"bytes\":1056768}", "staged", 1056768L, null)]
    [InlineData("{\"version\":\"2.0.0.1\",\"state\":\"trial\"}", "trial", null, null)]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"rolled_back\"}", "rolled_back", null, null)]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"refused\",\"reason\":\"requires mscorlib 1.17.11.0\"}", "refused", null, "requires mscorlib 1.17.11.0")]
    public void The_update_member_of_the_wire_is_read(string json, string state, long? bytes, string? reason)
    {
        using var doc = JsonDocument.Parse(json);
        var report = UpdateReport.Parse(doc.RootElement);
        Assert.Equal((state, bytes, reason), (report.State, report.Bytes, report.Reason));
    }

    [Theory]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"installing\"}", "update.state: one of")]
    [InlineData("{\"version\":\"01.4\",\"state\":\"trial\"}", "update.version:")]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"staged\",\"bytes\":-1}", "update.bytes: a whole number")]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"staged\",\"bytes\":1056769}", "update.bytes: a whole number")]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"trial\",\"reason\":\"x\"}", "update.reason: only with")]
    [InlineData("{\"version\":\"1.4.0\",\"state\":\"trial\",\"extra\":1}", "update: unknown member extra")]
    [InlineData("[]", "update: must be an object")]
    public void A_malformed_update_member_is_refused(string json, string message)
    {
        using var doc = JsonDocument.Parse(json);
        var e = Assert.Throws<FormatException>(() => UpdateReport.Parse(doc.RootElement));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reason_of_121_characters_is_refused()
    {
        using var doc = JsonDocument.Parse("{\"version\":\"1.4.0\",\"state\":\"refused\",\"reason\":\"" + new string('r', 121) + "\"}");
        Assert.Throws<FormatException>(() => UpdateReport.Parse(doc.RootElement));
    }
}
