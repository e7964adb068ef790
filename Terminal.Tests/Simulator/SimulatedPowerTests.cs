using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Devices;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// The simulated terminal's supply across reboots. On a loaded machine a thread of the cut firmware instance may not
/// have noticed the cut before the next boot; when the boot switched the one shared rail back on, that thread got its
/// power back and kept acting beside the new instance.
/// </summary>
public sealed class SimulatedPowerTests
{
    [Fact]
    public async Task A_cut_firmware_instance_stays_without_power_after_the_next_boot()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-power-").FullName;
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions { DataFolder = folder, Persistent = false, Timings = TerminalTimings.Chaos });
            SimulatedTerminal terminal = session.Terminal;
            terminal.Boot();
            Assert.True(terminal.WaitIdle(60000), "the terminal did not finish booting");
            PowerRail cut = terminal.Rail;

            terminal.PowerCut();
            terminal.Boot();

            Assert.True(terminal.Rail.On);
            Assert.False(cut.On);
            Assert.Throws<PowerLostException>(cut.Check);
            Assert.Equal(1, terminal.OutlivedCuts);
            Assert.True(terminal.WaitIdle(60000), "the new instance did not finish booting");
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
