using System.Collections.Concurrent;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Chaos;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Register;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// The chaos run's cashier at the keypad (<see cref="KeypadCashier"/>) around a power cut while a keypad sale's QR
/// shows: after the reboot, recovery holds the desk until the order's expiry and every key typed meanwhile is refused.
/// </summary>
public sealed class KeypadCashierTests
{
    private const int WaitMs = 60000;

    [Fact]
    public async Task A_keypad_sale_cut_by_the_power_gets_its_result_after_the_reboot_announcement()
    {
        await using var rig = await CutRig.StartAsync();

        rig.Session.AdvanceTime(rig.Session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5));

        Assert.True(rig.Terminal.WaitIdle(WaitMs), "recovery did not end after the order's expiry");
        List<string> afterCut = rig.LinesAfterCut();
        int started = afterCut.FindIndex(l => l.Contains(" DEVICE TERMINAL STARTED ", StringComparison.Ordinal));
        int result = afterCut.FindIndex(l => l.Contains(" RESULT SALE " + rig.CutReference + " ", StringComparison.Ordinal));
        Assert.True(started >= 0 && result > started, string.Join(Environment.NewLine, afterCut));
        // Never paid: the terminal closed the order, or Antom had closed it at its expiry.
        Assert.Contains(afterCut[result].Split(' ')[4], new[] { "CANCELLED", "FAIL" });
    }

    [Fact]
    public async Task A_keypad_sale_started_while_boot_recovery_holds_the_desk_starts_once_recovery_is_done()
    {
        await using var rig = await CutRig.StartAsync();
        Assert.Equal(DeskPhase.Recovering, rig.Terminal.App.Phase);

        Task<bool> typed = Task.Run(() => rig.Cashier.StartSale(700));
        // A cashier who typed at once has finished typing (and every key was refused) well within this.
        bool typedDuringRecovery = await Task.WhenAny(typed, Task.Delay(3000)) == typed;
        Assert.Equal(DeskPhase.Recovering, rig.Terminal.App.Phase);
        rig.Session.AdvanceTime(rig.Session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5));

        HostLinkLine? next = rig.Register.WaitForEvent(rig.Start.IsStart, WaitMs);
        Assert.True(next != null, "no keypad sale started after recovery; typed while recovery held the desk: " + typedDuringRecovery
            + ", keys refused " + rig.Terminal.App.Countertop?.RefusedKeys);
        Assert.Equal("SHOW_QR", next!.Name);
        Assert.NotEqual(rig.CutReference, rig.Start.Take(next));
        Assert.True(await typed);
    }

    /// <summary>A terminal whose keypad sale lost its power while the QR showed, booted again: recovery holds the desk.</summary>
    private sealed class CutRig : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly ConcurrentQueue<string> _lines = new();
        private int _linesBeforeCut;

        private CutRig(string folder, Session session)
        {
            _folder = folder;
            Session = session;
            Cashier = new KeypadCashier(session.Terminal, WaitMs);
        }

        public Session Session { get; }

        public SimulatedTerminal Terminal => Session.Terminal;

        public HostLinkClient Register => Terminal.Register!;

        public KeypadCashier Cashier { get; }

        public KeypadSaleStart Start { get; } = new();

        public string CutReference { get; private set; } = "";

        public static async Task<CutRig> StartAsync()
        {
            string folder = Directory.CreateTempSubdirectory("sim-test-keypad-cashier-").FullName;
            Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = folder,
                Persistent = false,
                Timings = TerminalTimings.Chaos,
                NetworkDropRate = 0,
            });
            var rig = new CutRig(folder, session);
            rig.Register.LineReceived = l => rig._lines.Enqueue(l.Text);
            session.Terminal.Boot();
            Assert.True(session.Terminal.WaitIdle(WaitMs), "the terminal did not finish booting");

            Assert.True(rig.Cashier.StartSale(1250));
            HostLinkLine? qr = rig.Register.WaitForEvent(rig.Start.IsStart, WaitMs);
            Assert.Equal("SHOW_QR", qr?.Name);
            rig.CutReference = rig.Start.Take(qr!);
            rig._linesBeforeCut = rig._lines.Count;
            session.Terminal.PowerCut();
            session.Terminal.Boot();
            Assert.True(SpinWait.SpinUntil(() => session.Terminal.App.Phase == DeskPhase.Recovering, WaitMs), "recovery did not start");
            return rig;
        }

        public List<string> LinesAfterCut() => _lines.Skip(_linesBeforeCut).ToList();

        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
