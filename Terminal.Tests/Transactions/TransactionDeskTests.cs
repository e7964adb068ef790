using System.Collections.Concurrent;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.Transactions;

/// <summary>
/// The transaction desk alone, without a host link or a screen: front-end requests, the busy rules, and what its
/// subscribers hear and in which order. The in-memory Antom of the engine tests, PC clock and sleeper.
/// </summary>
public sealed class TransactionDeskTests : IDisposable
{
    private const int WaitMs = 15000;

    private readonly ThreadSleeper _sleeper = new();
    private readonly ConcurrentLog _log = new();
    private readonly FakeAntom _server;
    private readonly TransactionDesk _desk;

    public TransactionDeskTests()
    {
        var clock = new SystemClock();
        _server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, clock) { OrderLifetimeMs = 3000 };
        var config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = EngineRig.Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", PollIntervalMs = 10, MaxBackoffMs = 40, CpmBudgetMs = 3000, MpmBudgetMs = 3000, CancelScheduleMs = [10, 10] },
        };
        _desk = new TransactionDesk(config.Payments, _server, new PortableMac(EngineRig.Key), new MemoryStorage(), clock, _sleeper, new FakeRandom(), _log, null,
            new DeskTimings { WorkerIdleWaitMs = 50 });
    }

    public void Dispose()
    {
        _desk.Stop(WaitMs);
        _sleeper.Dispose();
    }

    [Fact]
    public void Nothing_is_taken_before_start_and_until_boot_recovery_is_over()
    {
        Assert.Equal(DeskPhase.Booting, _desk.Phase);
        Assert.Equal(DeskAnswer.Busy, _desk.StartSale(100, "USD", TransactionKind.SaleOrderCode, "R-0", out string detail));
        Assert.Equal("starting up", detail);
        Assert.Equal("BOOTING", _desk.Status());

        Start();
        Assert.Equal(TransactionDesk.IdleStatus, _desk.Status());
        Assert.False(_desk.IsBusy);
    }

    [Fact]
    public void Requests_the_desk_cannot_take_are_answered_with_the_reason()
    {
        Start();
        Assert.Equal(DeskAnswer.Refused, _desk.StartSale(100, "EUR", TransactionKind.SaleOrderCode, "R-1", out string detail));
        Assert.Equal("this terminal sells in USD", detail);
        Assert.Equal(DeskAnswer.Refused, _desk.StartSale(100, "USD", TransactionKind.SalePaymentCode, "R-1", out detail));
        Assert.Equal("no scanner fitted: use MPM", detail);
        Assert.Equal(DeskAnswer.NotFound, _desk.Refund("R-404", null, 100, out detail));
        Assert.Equal(DeskAnswer.NotFound, _desk.Void(null, "2026010112345", out detail));
        Assert.Equal("no sale with this payment id in the terminal's journal", detail);
        Assert.Equal(DeskAnswer.NoSale, _desk.Abort(out _));
        Assert.False(_desk.IsBusy);
    }

    [Fact]
    public void One_transaction_at_a_time_and_the_desk_is_free_before_the_result_is_heard()
    {
        var recorder = new Recorder(_desk);
        _desk.AddProgressSubscriber(recorder);
        _desk.AddResultSubscriber(recorder);
        _server.PollsUntilPaid = 3;
        Start();

        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(1250, "USD", TransactionKind.SaleOrderCode, "R-2", out _));
        Assert.Equal(DeskAnswer.Busy, _desk.StartSale(700, "USD", TransactionKind.SaleOrderCode, "R-3", out string detail));
        Assert.Equal("SALE R-2 in progress", detail);
        Assert.Equal(DeskAnswer.Busy, _desk.Refund("R-2", null, 100, out _));
        Assert.Equal(DeskAnswer.Busy, _desk.Void("R-2", null, out _));

        // Not released until the front end's answer is out: the worker has not started it.
        Assert.Equal(new[] { "accepted SALE R-2" }, recorder.Events);
        Release(() => recorder.Results.Count == 1);

        Assert.Equal(new[] { "accepted SALE R-2", "processing R-2", "qr R-2", "waiting R-2", "result R-2 Success busy=False" }, recorder.Events);
        DeskResult result = recorder.Results.Single();
        Assert.Equal(("R-2", 1250L, "USD", false), (result.Reference, result.AmountMinor, result.Currency, result.NeedsReview));
        Assert.Same(result, _desk.Last);
        Assert.Single(_server.CallsTo("pay"));
    }

    [Fact]
    public void A_throwing_subscriber_is_logged_and_the_others_still_hear_the_result()
    {
        var first = new Recorder(_desk);
        var last = new Recorder(_desk);
        _desk.AddResultSubscriber(first);
        _desk.AddResultSubscriber(new Throwing());
        _desk.AddResultSubscriber(last);
        Start();

        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(300, "USD", TransactionKind.SaleOrderCode, "R-4", out _));
        Release(() => last.Results.Count == 1);

        Assert.Single(first.Results);
        Assert.Equal(FinalStatus.Success, last.Results.Single().Payment.Status);
        Assert.Contains(_log.Lines, l => l.Contains("subscriber fault InvalidOperationException: printer jammed", StringComparison.Ordinal));
        Assert.False(_desk.IsBusy);
        Assert.Equal(0, _desk.WorkerFaults);
    }

    [Fact]
    public void An_abort_that_arrives_before_the_engine_starts_still_cancels_the_sale()
    {
        var recorder = new Recorder(_desk);
        _desk.AddResultSubscriber(recorder);
        _server.PollsUntilPaid = -1;
        Start();

        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(900, "USD", TransactionKind.SaleOrderCode, "R-5", out _));
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Release(() => recorder.Results.Count == 1);

        Assert.Equal(FinalStatus.Cancelled, recorder.Results.Single().Payment.Status);
        Assert.Equal(TransactionDesk.IdleStatus, _desk.Status());
    }

    private void Start()
    {
        _desk.Open();
        _desk.Start();
        WaitUntil(() => _desk.Phase == DeskPhase.Idle);
    }

    /// <summary>The main loop's part: releases the queued job (after the answer would have gone out) and waits.</summary>
    private void Release(Func<bool> until)
    {
        _desk.ReleaseQueuedJob();
        WaitUntil(until);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        long deadline = Environment.TickCount64 + WaitMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            Thread.Sleep(2);
        }
    }

    private sealed class Recorder(TransactionDesk desk) : IResultSubscriber, IProgressSubscriber
    {
        public ConcurrentQueue<string> Log { get; } = new();

        public ConcurrentQueue<DeskResult> Results { get; } = new();

        public string[] Events => Log.ToArray();

        public void OnResult(DeskResult result)
        {
            Log.Enqueue($"result {result.Reference} {result.Payment.Status} busy={desk.IsBusy}");
            Results.Enqueue(result);
        }

        public void OnAccepted(TransactionJob job) => Log.Enqueue($"accepted {job.Kind.ToString().ToUpperInvariant()} {job.Reference}");

        public void OnWaitingForCustomer(TransactionJob job, string reference) => Log.Enqueue("waiting " + reference);

        public void OnCodeRefused(TransactionJob job, string problem) => Log.Enqueue("refused " + problem);

        public void OnCodeRead(TransactionJob job) => Log.Enqueue("code read");

        public void OnProcessing(TransactionJob job, string reference) => Log.Enqueue("processing " + reference);

        public void OnShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs) =>
            Log.Enqueue("qr " + reference);

        public void OnCancelling(TransactionJob job) => Log.Enqueue("cancelling");
    }

    private sealed class Throwing : IResultSubscriber
    {
        public void OnResult(DeskResult result) => throw new InvalidOperationException("printer jammed");
    }
}
