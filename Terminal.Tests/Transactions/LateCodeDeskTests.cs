using System.Collections.Concurrent;
using System.Text;
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
/// A code the customer of an earlier sale shows after the terminal stopped asking for it (an MDB machine that
/// cancelled, a cashier's abort) never pays the next sale. A GM65 in command mode keeps its scan window open after
/// the desk stopped asking, so the late code reaches the UART while the desk is idle, or as the next sale begins:
/// whole, half before and half after, or on the wire before the module took the new sale's trigger. The GM65 model
/// on a serial cable, the real driver and desk, the test thread as the main loop (so the order is exact), and the
/// provider double that records every code charged; each test's second customer is paid with their own code, the
/// control that the scan still works.
/// </summary>
public sealed class LateCodeDeskTests : IDisposable
{
    private const int WaitMs = 15000;
    private const string FirstCustomer = "281010897274821897274821";
    private const string NextCustomer = "281099887766554433221100";

    private readonly ThreadSleeper _sleeper = new();
    private readonly SerialPipe _cable = new();
    private readonly Gm65Model _module;
    private readonly Gm65Scanner _scanner;
    private readonly FakeAntom _server;
    private readonly TransactionDesk _desk;
    private readonly ConcurrentQueue<DeskResult> _results = new();
    private readonly ConcurrentQueue<string> _refusals = new();

    public LateCodeDeskTests()
    {
        var clock = new SystemClock();
        _server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, clock) { PollsUntilPaid = 1 };
        var config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = EngineRig.Key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", PollIntervalMs = 10, MaxBackoffMs = 40, CpmBudgetMs = 3000, MpmBudgetMs = 3000, CancelScheduleMs = [10, 10] },
        };
        _module = new Gm65Model(_cable.B.Read, _cable.B.Write);
        _module.StartThread();
        _scanner = new Gm65Scanner(_cable.A, () => Environment.TickCount64);
        Assert.Equal(ScannerStatus.Ready, _scanner.Configure(ScannerMode.CommandTriggered));
        _desk = new TransactionDesk(config.Payments, _server, new PortableMac(EngineRig.Key), new MemoryStorage(), clock, _sleeper, new FakeRandom(), new ConcurrentLog(), _scanner,
            new DeskTimings { WorkerIdleWaitMs = 50, ScanRetriggerMs = 30000 });
        var listener = new Listener(_results, _refusals);
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

    /// <summary>The first customer's line, its first half sent and read by the idle desk; the rest is left to send.</summary>
    private byte[] HalfALateLineReadWhileIdle(out int half)
    {
        byte[] line = Encoding.ASCII.GetBytes(FirstCustomer + "\r");
        int sent = line.Length / 2;
        _cable.B.Write(line, 0, sent);
        WaitUntil(() => _cable.A.Available == sent);
        _desk.PollScanner();
        half = sent;
        return line;
    }

    [Fact]
    public void A_code_sent_while_the_desk_was_idle_never_pays_the_next_sale()
    {
        AbandonedScan();

        // The scan window is still open: the module reads the late code and sends it at once, while the main loop
        // is busy elsewhere (drawing, the machine's next request), so it waits in the UART.
        _module.Present(FirstCustomer);
        WaitUntil(() => _cable.A.Available > FirstCustomer.Length);

        NextSalePaidWith(NextCustomer);
        Assert.True(_scanner.StaleLines >= 1);
    }

    [Fact]
    public void Half_a_late_line_read_before_the_sale_began_never_completes_a_code_for_it()
    {
        AbandonedScan();

        // The idle main loop reads the first half; the rest is still on the wire (9600 baud) when the sale begins.
        byte[] line = HalfALateLineReadWhileIdle(out int half);
        Assert.Equal(0, _cable.A.Available);
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "NEXT", out _));
        _cable.B.Write(line, half, line.Length - half);

        AwaitCode(NextCustomer);
        Assert.True(_scanner.StaleLines >= 1);
    }

    [Fact]
    public void A_late_code_that_comes_before_the_module_acknowledged_the_sales_trigger_is_dropped()
    {
        AbandonedScan();
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "NEXT", out _));

        // Read in the old scan window just as the sale began: on the wire after the sale's start, before its trigger.
        byte[] line = Encoding.ASCII.GetBytes(FirstCustomer + "\r");
        _cable.B.Write(line, 0, line.Length);

        AwaitCode(NextCustomer);
        Assert.Equal(1, _scanner.StaleLines);
    }

    [Fact]
    public void A_late_code_waiting_when_the_sale_began_is_answered_show_it_again()
    {
        AbandonedScan();
        _module.Present(FirstCustomer);
        WaitUntil(() => _cable.A.Available > FirstCustomer.Length);
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "NEXT", out _));

        Pump(() => !_refusals.IsEmpty);
        Assert.Equal(new[] { CodeScan.ReadTooLate }, _refusals);
        ShownAgainPays(NextCustomer);
    }

    [Fact]
    public void The_end_of_a_late_line_split_across_the_sales_start_is_answered_and_the_scanner_triggered_again()
    {
        AbandonedScan();
        byte[] line = HalfALateLineReadWhileIdle(out int half);
        int triggers = _module.Triggers;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "NEXT", out _));
        Pump(() => _module.Triggers == triggers + 1);
        _cable.B.Write(line, half, line.Length - half);

        // The retrigger wait is 30 s here: a second trigger this soon is the answer to the late code.
        Pump(() => !_refusals.IsEmpty && _module.Triggers == triggers + 2);
        Assert.Equal(new[] { CodeScan.ReadTooLate }, _refusals);
        ShownAgainPays(NextCustomer);
    }

    [Fact]
    public void A_late_code_before_the_triggers_ack_is_answered_show_it_again()
    {
        AbandonedScan();
        int triggers = _module.Triggers;
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "NEXT", out _));
        byte[] line = Encoding.ASCII.GetBytes(FirstCustomer + "\r");
        _cable.B.Write(line, 0, line.Length);

        // Read before the sale's own trigger or after it: either way it is answered and a trigger follows.
        Pump(() => !_refusals.IsEmpty && _module.Triggers > triggers);
        Assert.Equal(new[] { CodeScan.ReadTooLate }, _refusals);
        Assert.Equal(1, _scanner.StaleLines);
        ShownAgainPays(NextCustomer);
    }

    /// <summary>The customer shows a code again; it pays this sale, and only it was ever charged.</summary>
    private void ShownAgainPays(string code)
    {
        _module.Present(code);
        Pump(() => _results.Count == 2);
        DeskResult next = _results.Last();
        Assert.Equal(("NEXT", FinalStatus.Success), (next.Reference, next.Payment.Status));
        Assert.Equal(new[] { code }, _server.Calls.Where(c => c.Code != null).Select(c => c.Code!).Distinct());
    }

    /// <summary>The first customer's sale scans, then stops without a code (the machine cancelled); the module's window stays open.</summary>
    private void AbandonedScan()
    {
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "FIRST", out _));
        Pump(() => _module.Scanning);
        Assert.Equal(DeskAnswer.Accepted, _desk.Abort(out _));
        Pump(() => !_results.IsEmpty && _desk.Phase == DeskPhase.Idle);
        Assert.Equal(FinalStatus.Cancelled, Assert.Single(_results).Payment.Status);
        Assert.True(_module.Scanning);
    }

    private void NextSalePaidWith(string code)
    {
        Assert.Equal(DeskAnswer.Accepted, _desk.StartSale(150, "USD", TransactionKind.SalePaymentCode, "NEXT", out _));
        AwaitCode(code);
    }

    /// <summary>The next customer shows their code once the module scans for this sale; only that code is charged.</summary>
    private void AwaitCode(string code)
    {
        int triggers = _module.Triggers;
        Pump(() => _module.Triggers > triggers || _results.Count > 1);
        _module.Present(code);
        Pump(() => _results.Count == 2);

        DeskResult next = _results.Last();
        Assert.Equal(("NEXT", FinalStatus.Success), (next.Reference, next.Payment.Status));
        Assert.Equal(new[] { code }, _server.Calls.Where(c => c.Code != null).Select(c => c.Code!).Distinct());
    }

    private static void WaitUntil(Func<bool> condition)
    {
        Assert.True(SpinWait.SpinUntil(condition, WaitMs), "timed out");
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

    private sealed class Listener(ConcurrentQueue<DeskResult> results, ConcurrentQueue<string> refusals) : IResultSubscriber, IProgressSubscriber
    {
        public void OnResult(DeskResult result) => results.Enqueue(result);

        public void OnCodeRefused(TransactionJob job, string problem) => refusals.Enqueue(problem);

        public void OnAccepted(TransactionJob job)
        {
        }

        public void OnWaitingForCustomer(TransactionJob job, string reference)
        {
        }

        public void OnCodeRead(TransactionJob job)
        {
        }

        public void OnProcessing(TransactionJob job, string reference)
        {
        }

        public void OnShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
        }

        public void OnCancelling(TransactionJob job)
        {
        }
    }
}
