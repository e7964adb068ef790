using System.Text.Json.Nodes;
using Terminal.Tests.Support;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>
/// The version on trial in the composed updater: the heartbeat's firmware and update state through trial, healthy
/// (self-test, then M transactions) and a rollback (failed self-test: at once, with the reason, restart asked at once),
/// and a rolled-back version never taken again.
/// </summary>
public sealed class UpdaterHealthTests : IAsyncLifetime
{
    private OtaWireServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await OtaWireServer.StartAsync(Terminal.Tests.Engine.EngineRig.Key, Terminal.Tests.Engine.EngineRig.DeviceId);
        _server.Bundles["1.4.0"] = TestBundles.Standard("1.4.0");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static UpdateFlash BootedOnTrial(string version)
    {
        var flash = new UpdateFlash();
        flash.Selector.Switch(version);
        Assert.Equal(version, flash.Selector.ChooseAtBoot()); // what the loader does at power-on
        return flash;
    }

    private JsonObject LastUpdate() => _server.Heartbeats.Last()["update"]!.AsObject();

    private static DeskResult Result() => new(new Terminal.Payments.Engine.PaymentResult(), false, "ref", 100, "USD", 1);

    [Fact]
    public void A_version_on_trial_reports_trial_then_healthy_after_its_self_test_and_two_transactions()
    {
        UpdateFlash flash = BootedOnTrial("1.4.0");
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        Assert.True(rig.Updater.SelfTestWanted);
        rig.Updater.SelfTestDone(true, "51 passed, 0 failed");
        rig.Beat();
        Assert.Equal("1.4.0", _server.Heartbeats.Last()["firmware"]!.GetValue<string>());
        Assert.Equal(("1.4.0", "trial"), (LastUpdate()["version"]!.GetValue<string>(), LastUpdate()["state"]!.GetValue<string>()));

        rig.Updater.OnResult(Result());
        Assert.Equal("1.4.0", flash.Selector.State.Candidate);
        rig.Updater.OnResult(Result());
        Assert.Equal(("1.4.0", ""), (flash.Selector.State.Active, flash.Selector.State.Candidate));
        rig.Beat();
        Assert.Equal("healthy", LastUpdate()["state"]!.GetValue<string>());
        Assert.False(rig.Updater.RestartDue(true));
    }

    [Fact]
    public void The_time_rule_marks_it_healthy_after_the_configured_minutes()
    {
        UpdateFlash flash = BootedOnTrial("1.4.0");
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        rig.Updater.SelfTestDone(true, "51 passed, 0 failed");
        ((FakeClock)rig.Clock).Advance((10 * 60000) - 1);
        rig.Updater.Check();
        Assert.Equal("1.4.0", flash.Selector.State.Candidate);
        ((FakeClock)rig.Clock).Advance(1);
        rig.Updater.Check();
        Assert.Equal("1.4.0", flash.Selector.State.Active);
    }

    [Fact]
    public void A_failed_self_test_rolls_back_asks_for_a_restart_at_once_and_the_version_is_not_taken_again()
    {
        UpdateFlash flash = BootedOnTrial("1.4.0");
        using (var rig = new UpdateRig(_server, ClientKind.Device, flash))
        {
            rig.Updater.SelfTestDone(false, "50 passed, 1 failed");
            Assert.True(rig.Updater.RestartDue(false));
            Assert.Equal(("", "", "1.4.0"), (flash.Selector.State.Active, flash.Selector.State.Candidate, flash.Selector.State.RolledBack));
            rig.Beat();
            Assert.Equal(("1.4.0", "rolled_back", "self-test failed: 50 passed, 1 failed"),
                (LastUpdate()["version"]!.GetValue<string>(), LastUpdate()["state"]!.GetValue<string>(), LastUpdate()["reason"]!.GetValue<string>()));
        }

        // After the restart the installed version runs; the rollout still offers 1.4.0: reported, not downloaded.
        Assert.Equal("", flash.Selector.ChooseAtBoot());
        _server.Offered = "1.4.0";
        using (var rig = new UpdateRig(_server, ClientKind.Device, flash))
        {
            Assert.False(rig.Updater.SelfTestWanted);
            rig.Beat();
            Assert.Equal(0, rig.TurnAll());
            Assert.Empty(_server.Downloads);
            rig.Beat();
            Assert.Equal("1.0.0", _server.Heartbeats.Last()["firmware"]!.GetValue<string>());
            Assert.Equal(("1.4.0", "rolled_back"), (LastUpdate()["version"]!.GetValue<string>(), LastUpdate()["state"]!.GetValue<string>()));
        }
    }

    [Fact]
    public void A_terminal_that_never_updated_reports_nothing_about_updates()
    {
        using var rig = new UpdateRig(_server, ClientKind.Pc, new UpdateFlash());
        Assert.False(rig.Updater.SelfTestWanted);
        rig.Beat();
        Assert.Null(_server.Heartbeats.Last()["update"]);
        Assert.False(rig.Updater.RestartDue(true));
    }
}
