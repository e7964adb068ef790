using Terminal.AntomEmulator;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Rendering;
using Terminal.Simulator.Ui;
using Terminal.SimulatedDevices.Mdb;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// The simulator's <c>--vending</c> modes end to end (docs/simulator.md): the firmware inside a simulated machine,
/// paid through the embedded gateway and the Antom emulator's wallet on loopback HTTPS.
/// </summary>
public sealed class SimulatorVendingTests
{
    private const int WaitMs = 20000;

    [Fact]
    public async Task Mdb_machine_vends_a_paid_item_and_a_jammed_vend_is_refunded_by_the_emulator()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-mdb-").FullName;
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo, Vending = "mdb",
            });
            session.Terminal.Boot();
            VmcSimulator vmc = session.Terminal.Machine!.Controller!;
            Assert.True(vmc.WaitFor("BEGIN SESSION", 0, WaitMs) >= 0, "no session opened");
            Assert.Null(session.Terminal.Register);

            int mark = vmc.EventCount;
            vmc.Select(12, 150);
            PayWhenAsked(session);
            Assert.True(vmc.WaitFor("VEND SUCCESS", mark, WaitMs) >= 0, "no vend");
            Assert.True(vmc.WaitFor("BEGIN SESSION", mark, WaitMs) >= 0, "no next session");

            mark = vmc.EventCount;
            vmc.FailNextVend = true;
            vmc.Select(7, 200);
            PayWhenAsked(session);
            Assert.True(vmc.WaitFor("VEND FAILURE", mark, WaitMs) >= 0, "no failure");
            Assert.True(SpinWait.SpinUntil(() => Payments(session).Any(p => p.RefundedValue == 200), WaitMs), "no refund");

            Assert.Equal((1, 1), (vmc.Vends, vmc.Failures));
            Assert.Equal([(150L, 0L), (200L, 200L)], Payments(session).Select(p => (p.Amount.Value, p.RefundedValue)));
            Assert.Equal(0, session.Terminal.Machine.Bridge!.ProtocolErrors);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    [Fact]
    public async Task Pulse_machine_is_offered_the_fixed_price_and_credited_two_pulses_once_paid()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-pulse-").FullName;
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo, Vending = "pulse",
            });
            session.Terminal.Boot();
            PayWhenAsked(session);

            var coins = session.Terminal.Machine!.Coins!;
            Assert.True(SpinWait.SpinUntil(() => coins.Pulses == 2, WaitMs), $"{coins.Pulses} pulses");
            Thread.Sleep(300);
            Assert.Equal((2, 0), (coins.Pulses, coins.Violations));
            Assert.Equal(200, Payments(session).First().Amount.Value);
        }
        finally
        {
            TryDelete(folder);
        }
    }

    [Fact]
    public async Task Pulse_machine_vends_a_price_typed_at_the_prompts_keypad_and_refuses_one_it_cannot_credit()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-pulse-keys-").FullName;
        try
        {
            // The fixed price's offer is up at boot: C stops it, C puts its result away, then 2.50 (not whole pulses
            // of 1.00) is refused, C clears it, and 3.00 is sold as a vend and paid in the wallet. The prompt boots
            // the firmware itself.
            const string script = """
                await SHOW_QR 30
                keys C
                await RESULT 30
                keys C250A
                keys C300A
                await SHOW_QR 30
                pay
                quit
                """;
            var transcript = new StringWriter();
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo, Vending = "pulse",
            });
            int exit = new Interactive(session, new Output(TextWriter.Synchronized(transcript)), new StringReader(script), PictureStyle.Compact).Run();

            var coins = session.Terminal.Machine!.Coins!;
            Assert.True(SpinWait.SpinUntil(() => coins.Pulses == 3, WaitMs), $"{coins.Pulses} pulses; transcript:\n{transcript}");
            Assert.Equal(0, exit);
            Assert.Equal([(200L, PaymentStatus.Cancelled), (300L, PaymentStatus.Success)], Payments(session).Take(2).Select(p => (p.Amount.Value, p.Status)));
            Assert.DoesNotContain(Payments(session), p => p.Amount.Value == 250);
            Thread.Sleep(300);
            Assert.Equal((3, 0), (coins.Pulses, coins.Violations));
        }
        finally
        {
            TryDelete(folder);
        }
    }

    /// <summary>The customer scans the order QR the terminal shows and pays it in the emulator's wallet.</summary>
    private static void PayWhenAsked(Session session)
    {
        PaymentRecord? order = null;
        Assert.True(SpinWait.SpinUntil(() => (order = session.OpenOrder()) != null, WaitMs), "no order code to pay");
        Assert.Equal(WalletResult.Completed, session.Wallet!.PayOrderCode(order!.CodeValue!));
    }

    private static IReadOnlyList<PaymentRecord> Payments(Session session) => session.Backend!.Emulator.Records.Payments();

    private static void TryDelete(string folder)
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
