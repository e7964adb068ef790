using System.Collections.Concurrent;
using Terminal.Core.Ports;
using Terminal.Drivers.Ports;
using Terminal.Drivers.Pulse;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Terminal.Vending.Config;
using Terminal.Vending.Pulse;
using Xunit;

namespace Terminal.Tests.Vending;

/// <summary>
/// The fixed-price offer of a coin-op machine waits for the last vend's result. The desk is free for the next sale
/// before its subscribers hear the result (a register may answer a RESULT with a new SALE), so a main-loop pass can
/// fall between the two: the offer must not start again there, before the result was shown and held. The real desk
/// and <see cref="PulseVending"/> with the provider double; a subscriber heard before the front end plays the
/// main loop's pass in that gap, so the order is exact.
/// </summary>
public sealed class PulseOfferTests : IDisposable
{
    private const int WaitMs = 15000;

    private readonly ThreadSleeper _sleeper = new();
    private readonly FakeAntom _server;
    private readonly TransactionDesk _desk;
    private readonly PulseVending _pulse;
    private readonly ConcurrentQueue<DeskResult> _results = new();
    private readonly ConcurrentQueue<DeskAnswer> _offersInTheGap = new();
    private Action? _onceInTheGap;

    public PulseOfferTests()
    {
        var clock = new SystemClock();
        _server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, clock) { PollsUntilPaid = -1 };
        var config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = EngineRig.Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", PollIntervalMs = 10, MaxBackoffMs = 40, CpmBudgetMs = 3000, MpmBudgetMs = 3000, CancelScheduleMs = [10, 10] },
        };
        var vending = new VendingSection { Mode = VendingSection.Pulse, Price = 200, PulseValue = 100, HoldMs = 300 };
        _desk = new TransactionDesk(config.Payments, _server, new PortableMac(EngineRig.Key), new MemoryStorage(), clock, _sleeper, new FakeRandom(), new ConcurrentLog(), null,
            new DeskTimings { WorkerIdleWaitMs = 50 });
        var output = new PulseOutput(new NoLine(), new PortTimer(clock, _sleeper), true, vending.PulseWidthMs, vending.PulseGapMs);
        var credit = new PulseCredit(vending, output, null);
        _desk.UseVendChannel(credit);
        _pulse = new PulseVending(vending, _desk, credit, clock, null);
        _desk.AddResultSubscriber(new Gap(_results, () =>
        {
            Action? once = Interlocked.Exchange(ref _onceInTheGap, null);
            if (once != null)
            {
                once();
            }
            else if (!_desk.IsBusy)
            {
                _pulse.Poll(false);
                _offersInTheGap.Enqueue(_desk.IsBusy ? DeskAnswer.Accepted : DeskAnswer.NoSale);
            }
        }));
        _desk.AddResultSubscriber(_pulse);
        _desk.Open();
        _desk.Start();
        Pump(() => _desk.Phase == DeskPhase.Idle);
    }

    public void Dispose()
    {
        _desk.Stop(WaitMs);
        _sleeper.Dispose();
    }

    [Fact]
    public void A_stopped_offer_comes_back_only_after_its_result_was_held()
    {
        _pulse.Poll(false);
        Pump(() => _server.CallsTo("pay").Any());
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Pump(() => !_results.IsEmpty);

        Assert.Equal(FinalStatus.Cancelled, Assert.Single(_results).Payment.Status);
        Assert.Equal(new[] { DeskAnswer.NoSale }, _offersInTheGap);
        Assert.False(_desk.IsBusy);
        Assert.Single(_server.CallsTo("pay"));

        // Negative control: once the result was held for vendingHoldMs, the offer comes back.
        Thread.Sleep(350);
        _pulse.Poll(false);
        Pump(() => _server.CallsTo("pay").Count() == 2);
        Assert.True(_desk.IsBusy);
    }

    [Fact]
    public void A_result_of_a_sale_the_offer_did_not_start_holds_the_offer_until_it_was_heard()
    {
        // A sale the front end did not start (a register's, a menu's): the offer never waited for it before.
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(200, "USD", TransactionKind.SaleOrderCode, "REG-1", out _));
        Pump(() => _server.CallsTo("pay").Any());
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Pump(() => !_results.IsEmpty);

        Assert.Equal(("REG-1", 1), (Assert.Single(_results).Reference, _results.Single().Sequence));
        Assert.Equal(new[] { DeskAnswer.NoSale }, _offersInTheGap);
        Assert.Single(_server.CallsTo("pay"));

        // Negative control: heard and held, the offer comes.
        Thread.Sleep(350);
        _pulse.Poll(false);
        Pump(() => _server.CallsTo("pay").Count() == 2);
    }

    [Fact]
    public void An_older_result_heard_late_does_not_open_the_gap_of_a_newer_vend()
    {
        // A keypad's OK in the gap of the first vend's result: the second vend starts before the front end heard the first.
        DeskAnswer keypad = DeskAnswer.NoSale;
        _onceInTheGap = () => keypad = _pulse.RequestVend(200, out _);
        _pulse.Poll(false);
        Pump(() => _server.CallsTo("pay").Any());
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Pump(() => _server.CallsTo("pay").Count() == 2);
        Assert.Equal(DeskAnswer.Accepted, keypad);

        // The first result's hold runs out while the second vend waits; then the second vend ends.
        Thread.Sleep(350);
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Pump(() => _results.Count == 2);

        Assert.Equal(new[] { 1, 2 }, _results.Select(r => r.Sequence));
        Assert.Equal(new[] { DeskAnswer.NoSale }, _offersInTheGap);
        Assert.Equal(2, _server.CallsTo("pay").Count());

        // Negative control: the second result heard and held, the offer comes.
        Thread.Sleep(350);
        _pulse.Poll(false);
        Pump(() => _server.CallsTo("pay").Count() == 3);
    }

    /// <summary>The main loop's part, on this thread, until the condition holds.</summary>
    private void Pump(Func<bool> condition)
    {
        long deadline = Environment.TickCount64 + WaitMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            _desk.ReleaseQueuedJob();
            Thread.Sleep(2);
        }
    }

    private sealed class NoLine : IDigitalOutput
    {
        public void Write(bool high)
        {
        }
    }

    /// <summary>Heard before the front end: records the result, then runs a main-loop pass in the gap.</summary>
    private sealed class Gap(ConcurrentQueue<DeskResult> results, Action pass) : IResultSubscriber
    {
        public void OnResult(DeskResult result)
        {
            pass();
            results.Enqueue(result);
        }
    }
}
