using System.Text.Json.Nodes;
using Terminal.Io.Storage;
using Terminal.Tests.Engine;
using Terminal.Tests.Storage;
using Xunit;

namespace Terminal.Tests.DeviceLink;

/// <summary>
/// Remote settings at the terminal (docs/fleet-link.md, "Remote settings"): a version in the heartbeat's answer is
/// checked with the configuration's own rules, stored, applied between transactions and reported in the next beat; a
/// version with an unknown, non-remote or out-of-range value is rejected with its field and reason and never applied;
/// a power cut at any byte of the write leaves the old version or the new one in effect after the reboot.
/// </summary>
public sealed class RemoteSettingsTests
{
    private static JsonObject Offer(long version, JsonObject values) =>
        new() { ["settings"] = new JsonObject { ["version"] = version, ["values"] = values } };

    [Fact]
    public void A_version_is_applied_without_a_reboot_reported_and_kept_across_one()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var storage = new MemoryStorage();
        var rig = new HeartbeatRig(fleet, storage: storage);
        fleet.Extra = _ => Offer(3, new JsonObject { ["pollIntervalMs"] = 3000, ["displayName"] = "Shop 1", ["currency"] = "EUR" });

        rig.Beat();
        Assert.Equal((3000, "Shop 1", "EUR"), (rig.Config.Engine.PollIntervalMs, rig.Config.Display.DisplayName, rig.Config.Engine.Currency));
        rig.Beat();
        Assert.Equal((3L, (long?)null), (fleet.Last.SettingsApplied, fleet.Last.SettingsRejected));

        // A later version that leaves a key out puts that key back to its terminal.json value.
        fleet.Extra = _ => Offer(4, new JsonObject { ["pollIntervalMs"] = 4000 });
        rig.Beat();
        Assert.Equal((4000, (string?)null, "USD"), (rig.Config.Engine.PollIntervalMs, rig.Config.Display.DisplayName, rig.Config.Engine.Currency));

        var rebooted = new HeartbeatRig(fleet, storage: storage);
        Assert.Equal((4000, 4L), (rebooted.Config.Engine.PollIntervalMs, rebooted.Link.Settings.AppliedVersion));
    }

    [Theory]
    [InlineData("{\"shellCommand\":\"x\"}", "shellCommand", "unknown setting")]
    [InlineData("{\"wifiPassword\":\"x\"}", "wifiPassword", "not a remote setting")]
    [InlineData("{\"key\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}", "key", "not a remote setting")]
    [InlineData("{\"pollIntervalMs\":200}", "pollIntervalMs", "1000..10000")]
    [InlineData("{\"heartbeatIntervalMs\":1000}", "heartbeatIntervalMs", "30000..3600000")]
    [InlineData("{\"currency\":\"XYZ\"}", "currency", "ISO 4217")]
    [InlineData("{\"pollIntervalMs\":5000,\"cpmBudgetMs\":20000,\"pollIntervalMs\":6000}", "pollIntervalMs", "twice")]
    [InlineData("{\"cpmBudgetMs\":20000,\"pollIntervalMs\":9000,\"mpmBudgetMs\":\"x\"}", "mpmBudgetMs", "")]
    public void A_version_with_a_bad_value_is_rejected_with_its_field_and_never_applied(string values, string field, string reason)
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var rig = new HeartbeatRig(fleet);
        int pollBefore = rig.Config.Engine.PollIntervalMs;
        fleet.RawMembers = "\"settings\":{\"version\":7,\"values\":" + values + "}";

        rig.Beat();
        rig.Beat();

        Assert.Equal(pollBefore, rig.Config.Engine.PollIntervalMs);
        Assert.Equal((0L, 7L, field), (fleet.Last.SettingsApplied, fleet.Last.SettingsRejected, fleet.Last.RejectedField));
        Assert.Contains(reason, fleet.Last.RejectedReason, StringComparison.Ordinal);
        Assert.Contains("version 7 rejected: " + field, rig.Link.Settings.DiagnosticLine(), StringComparison.Ordinal);
        Assert.True(rig.Lines.Contains("settings: version 7 rejected: " + field), string.Join("\n", rig.Lines.Lines));
    }

    [Fact]
    public void A_combination_a_section_refuses_is_rejected_as_the_file_would_be()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var rig = new HeartbeatRig(fleet, configure: c => c.Engine.CpmBudgetMs = 20_000);
        fleet.Extra = _ => Offer(2, new JsonObject { ["pollIntervalMs"] = 10_000, ["cpmBudgetMs"] = 20_000 });
        rig.Beat();
        Assert.Equal(2L, rig.Link.Settings.AppliedVersion);

        // 10 s polls with the file's 20 s budget are fine; a budget below the poll interval is not.
        fleet.Extra = _ => Offer(3, new JsonObject { ["pollIntervalMs"] = 10_000, ["cpmBudgetMs"] = 20_000, ["mpmBudgetMs"] = 30_000, ["maxBackoffMs"] = 1_000 });
        rig.Beat();
        fleet.Extra = _ => Offer(4, new JsonObject { ["pollIntervalMs"] = 10_000, ["cpmBudgetMs"] = 5_000 });
        rig.Beat();
        Assert.Equal(4L, rig.Link.Settings.RejectedVersion);
        Assert.Equal("cpmBudgetMs", rig.Link.Settings.RejectedField);
        Assert.Equal(3L, rig.Link.Settings.AppliedVersion);
    }

    [Fact]
    public void A_power_cut_at_any_byte_of_the_settings_write_leaves_the_old_version_or_the_new_one()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var first = new FaultyFolder();
        var setup = new HeartbeatRig(fleet, storage: new RecordStore(first));
        fleet.Extra = _ => Offer(1, new JsonObject { ["pollIntervalMs"] = 3000 });
        setup.Beat();
        long cuts = 0;
        for (long cut = 0; ; cut++)
        {
            var folder = new FaultyFolder();
            foreach (string name in first.Names) folder.Set(name, first.Get(name)!);
            var rig = new HeartbeatRig(fleet, storage: new RecordStore(folder));
            Assert.Equal(1L, rig.Link.Settings.AppliedVersion);
            folder.CutAfterBytes = cut;
            fleet.Extra = _ => Offer(2, new JsonObject { ["pollIntervalMs"] = 5000, ["displayName"] = "After" });
            rig.Beat();
            bool completed = !folder.Dead;
            folder.Reboot();
            var rebooted = new HeartbeatRig(fleet, storage: new RecordStore(folder));
            var state = (rebooted.Link.Settings.AppliedVersion, rebooted.Config.Engine.PollIntervalMs, rebooted.Config.Display.DisplayName);
            Assert.True(state == (1L, 3000, (string?)null) || state == (2L, 5000, "After"), $"cut after {cut} bytes: {state}");
            if (completed)
            {
                Assert.Equal((2L, 5000, "After"), state);
                break;
            }

            cuts++;
        }

        Assert.True(cuts > 60, $"only {cuts} cut positions");
    }
}
