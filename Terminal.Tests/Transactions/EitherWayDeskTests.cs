using System.Collections.Concurrent;
using Terminal.Drivers.Scanner;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.SimulatedDevices.Scanner;
using Terminal.Simulator.Hardware;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.Transactions;

/// <summary>
/// The desk's side of a sale paid either way, with a GM65 model on a serial cable and the test thread as the main
/// loop: the scanner is armed while the order is open and disarmed when either way won, a code read before the
/// worker started the sale still settles it, and the period's totals, end of day, recent transactions and new
/// references are answered only while no transaction runs.
/// </summary>
public sealed class EitherWayDeskTests : IDisposable
{
    private const int WaitMs = 60000;

    private readonly ThreadSleeper _sleeper = new();
    private readonly ConcurrentLog _log = new();
    private readonly SerialPipe _cable = new();
    private readonly Gm65Model _module;
    private readonly FakeAntom _server;
    private readonly TransactionDesk _desk;
    private readonly ConcurrentQueue<DeskResult> _results = new();
    private readonly ConcurrentQueue<string> _progress = new();
    private long _bytesToModule;

    public EitherWayDeskTests()
    {
        var clock = new SystemClock();
        _server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, clock) { OrderLifetimeMs = 5000 };
        var config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = EngineRig.Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", PollIntervalMs = 10, MaxBackoffMs = 40, CpmBudgetMs = 3000, MpmBudgetMs = 3000, CancelScheduleMs = [10, 10] },
        };
        _module = new Gm65Model(_cable.B.Read, _cable.B.Write);
        _cable.A.Tap = (_, _, count) => Interlocked.Add(ref _bytesToModule, count);
        _module.StartThread();
        var scanner = new Gm65Scanner(_cable.A, () => Environment.TickCount64);
        Assert.Equal(ScannerStatus.Ready, scanner.Configure(ScannerMode.CommandTriggered));
        _desk = new TransactionDesk(config.Payments, _server, new PortableMac(EngineRig.Key), new MemoryStorage(), clock, _sleeper, new FakeRandom(), _log, scanner,
            new DeskTimings { WorkerIdleWaitMs = 50, ScanRetriggerMs = 200 });
        var listener = new Listener(_results, _progress);
        _desk.AddResultSubscriber(listener);
        _desk.AddProgressSubscriber(listener);
        _desk.Open();
        _desk.Start();
        Pump(() => _desk.Phase == DeskPhase.Idle);
    }

    public void Dispose()
    {
        _desk.Stop(WaitMs);
        _sleeper.Dispose();
        _module.Dispose();
    }

    [Fact]
    public void The_code_wins_the_order_is_closed_and_the_scanner_is_disarmed()
    {
        _server.PollsUntilPaid = -1;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartEitherWaySale(1250, "USD", "KP-1", out _));
        Pump(() => _progress.Contains("qr KP-1") && _module.Triggers > 0);
        _module.Present(AppRig.GoodCode);
        Pump(() => !_results.IsEmpty);

        DeskResult result = Assert.Single(_results);
        Assert.Equal((FinalStatus.Success, TransactionKind.SalePaymentCode, "KP-1"), (result.Payment.Status, result.Payment.Kind, result.Reference));
        Assert.Contains("code read KP-1", _progress);
        Assert.Equal("CANCELLED", _server.Payments.Values.Single(p => p.OrderCode).Status);
        AssertDisarmed();
    }

    [Fact]
    public void The_qr_wins_and_a_code_shown_afterwards_is_never_charged()
    {
        _server.PollsUntilPaid = 3;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartEitherWaySale(500, "USD", "KP-2", out _));
        Pump(() => !_results.IsEmpty);
        Assert.Equal(TransactionKind.SaleOrderCode, Assert.Single(_results).Payment.Kind);

        _module.Present(AppRig.GoodCode);
        AssertDisarmed();
        Assert.DoesNotContain(_server.Calls, c => c.Code != null);
        Assert.False(_desk.IsBusy);
    }

    [Fact]
    public void A_code_read_before_the_worker_starts_the_sale_still_settles_it_once()
    {
        _server.PollsUntilPaid = -1;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartEitherWaySale(700, "USD", "KP-3", out _));

        // The scanner reads the code in the same pass, before the job is released to the worker.
        _module.Hold(AppRig.GoodCode);
        long deadline = Environment.TickCount64 + WaitMs;
        while (!_progress.Contains("code read KP-3") && Environment.TickCount64 < deadline)
        {
            _desk.PollScanner();
            _desk.ReleaseQueuedJob();
            Thread.Sleep(1);
        }

        _module.Present("nothing");
        Pump(() => !_results.IsEmpty);
        DeskResult result = Assert.Single(_results);
        Assert.Equal((FinalStatus.Success, TransactionKind.SalePaymentCode), (result.Payment.Status, result.Payment.Kind));
        Assert.Single(_server.Calls, c => c.Code != null);
        Assert.Equal(1, _server.Payments.Values.Count(p => p.Status == "SUCCESS"));
    }

    [Fact]
    public void An_abort_closes_the_order_and_disarms_the_scanner()
    {
        _server.PollsUntilPaid = -1;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartEitherWaySale(900, "USD", "KP-4", out _));
        Pump(() => _progress.Contains("qr KP-4"));
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Pump(() => !_results.IsEmpty);
        Assert.Equal(FinalStatus.Cancelled, Assert.Single(_results).Payment.Status);
        _module.Present(AppRig.GoodCode);
        AssertDisarmed();
        Assert.DoesNotContain(_server.Calls, c => c.Code != null);
    }

    [Fact]
    public void Totals_end_of_day_recent_and_references_wait_for_an_idle_desk()
    {
        var open = new DayTotals();
        var closed = new DayTotals();
        Assert.Equal("KP-1", _desk.NewReference("KP-"));
        _server.PollsUntilPaid = 2;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartEitherWaySale(400, "USD", "KP-1", out _));
        Assert.False(_desk.ReadTotals(open, closed));
        Assert.Equal(DeskAnswer.Busy, _desk.CloseDay(closed, out _));
        Assert.Null(_desk.Recent(0, true));
        Assert.Null(_desk.NewReference("KP-"));
        Pump(() => !_results.IsEmpty);
        Pump(() => !_desk.IsBusy);

        Assert.True(_desk.ReadTotals(open, closed));
        Assert.Equal((1, 400L), (open.SaleCount, open.SaleMinor));
        Assert.Equal("KP-1", _desk.Recent(0, true)!.Reference);
        Assert.Equal("KP-2", _desk.NewReference("KP-"));
        Assert.Equal(DeskAnswer.Accepted, _desk.CloseDay(closed, out _));
        Assert.Equal((1L, 1, 400L), (closed.Period, closed.SaleCount, closed.SaleMinor));
        Assert.True(_desk.ReadTotals(open, closed));
        Assert.Equal((2L, 0), (open.Period, open.SaleCount));
    }

    /// <summary>No trigger goes out any more, and a code shown now reaches no payment.</summary>
    private void AssertDisarmed()
    {
        // A trigger sent before the sale ended may still be on the wire: counted once the model has handled it.
        long deadline = Environment.TickCount64 + WaitMs;
        while (_module.BytesHandled < Interlocked.Read(ref _bytesToModule))
        {
            Assert.True(Environment.TickCount64 < deadline, "the scanner model never handled what was sent to it");
            Thread.Sleep(2);
        }

        int triggers = _module.Triggers;
        int calls = _server.Calls.Count;
        long until = Environment.TickCount64 + 500;
        while (Environment.TickCount64 < until)
        {
            _desk.ReleaseQueuedJob();
            _desk.PollScanner();
            Thread.Sleep(5);
        }

        Assert.Equal(triggers, _module.Triggers);
        Assert.Equal(calls, _server.Calls.Count);
    }

    /// <summary>The main loop's part, on this thread, until the condition holds.</summary>
    private void Pump(Func<bool> condition)
    {
        long deadline = Environment.TickCount64 + WaitMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            _desk.ReleaseQueuedJob();
            _desk.PollScanner();
            Thread.Sleep(2);
        }
    }

    private sealed class Listener(ConcurrentQueue<DeskResult> results, ConcurrentQueue<string> progress) : IResultSubscriber, IProgressSubscriber
    {
        public void OnResult(DeskResult result) => results.Enqueue(result);

        public void OnAccepted(TransactionJob job) => progress.Enqueue("accepted " + job.Reference);

        public void OnWaitingForCustomer(TransactionJob job, string reference) => progress.Enqueue("waiting " + reference);

        public void OnCodeRefused(TransactionJob job, string problem) => progress.Enqueue("refused " + problem);

        public void OnCodeRead(TransactionJob job) => progress.Enqueue("code read " + job.Reference);

        public void OnProcessing(TransactionJob job, string reference) => progress.Enqueue("processing " + reference);

        public void OnShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs) =>
            progress.Enqueue("qr " + reference);

        public void OnCancelling(TransactionJob job) => progress.Enqueue("cancelling");
    }
}
