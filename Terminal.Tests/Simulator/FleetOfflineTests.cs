using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.Fleet;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// The fleet link through the simulator (docs/fleet-link.md): the real firmware's heartbeats reach the embedded
/// gateway; a power cut (no reboot) turns the terminal offline at the gateway after 3 of its intervals, not before; a
/// reboot brings it online with its first beat.
/// </summary>
public sealed class FleetOfflineTests
{
    [Fact]
    public async Task A_power_cut_shows_the_terminal_offline_after_three_intervals_and_a_reboot_online_again()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-offline-").FullName;
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions { DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo });
            var fleet = session.Backend!.Gateway.Services.GetRequiredService<FleetHealth>();
            string deviceId = session.Terminal.Config.Device.DeviceId;
            long interval = session.Terminal.Config.DeviceLink.HeartbeatIntervalMs;
            string Status() => (string)(fleet.DeviceAsync(deviceId, 0).GetAwaiter().GetResult()!["status"])!;
            long Beats() => (long)(fleet.DeviceAsync(deviceId, 0).GetAwaiter().GetResult()!["beats"] ?? 0L);

            Assert.Equal("never_seen", Status());
            session.Terminal.Boot();
            Assert.True(SpinWait.SpinUntil(() => Status() == "online", 20_000), "no heartbeat after boot");

            session.Terminal.PowerCut();
            long beatsAtCut = Beats();
            session.AdvanceTime(TimeSpan.FromMilliseconds(3 * interval - 5_000));
            Assert.Equal("online", Status()); // two missed beats are not yet offline
            session.AdvanceTime(TimeSpan.FromMilliseconds(10_000));
            Assert.Equal("offline", Status());
            Assert.Equal(beatsAtCut, Beats()); // the powered-off terminal sent nothing

            session.Terminal.Reboot();
            Assert.True(SpinWait.SpinUntil(() => Status() == "online", 20_000), "no heartbeat after the reboot");
            Assert.True(Beats() > beatsAtCut);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
