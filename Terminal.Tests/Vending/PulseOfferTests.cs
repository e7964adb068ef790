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
            if (!_desk.IsBusy)
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
