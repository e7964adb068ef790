using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Terminal.Firmware.Config;
using Terminal.Firmware.HostLink;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.SimulatedDevices.Mdb;
using Terminal.Simulator.Hardware;
using Terminal.Tests.App;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Terminal.Vending.Config;
using Xunit;

namespace Terminal.Tests.Vending;

/// <summary>
/// The whole firmware as a vending machine's MDB cashless device (docs/vending.md section 5): the real
/// <c>TerminalApp</c> (main loop, desk, engine, screens) talks over an in-memory UART to the strict model of the
/// Qibixx bridge, and the VMC simulator plays the machine on the MDB side of that model, each on its own thread,
/// as on the device. Every scenario ends with the journal, the provider's records and the machine's count in
/// agreement, and with no command the bridge model refused.
/// </summary>
public sealed class MdbVendingTests : IDisposable
{
    private readonly ConcurrentQueue<string> _refused = new();
    private readonly SerialPipe _cable = new();
    private readonly QibixxBridgeModel _bridge;
    private readonly VmcSimulator _vmc;
    private readonly AppRig _rig;

    public MdbVendingTests()
    {
        _bridge = new QibixxBridgeModel(_cable.B.Read, _cable.B.Write);
        _bridge.ProtocolErrorSeen = problem => _refused.Enqueue(problem);
        _vmc = new VmcSimulator(_bridge) { PollIntervalMs = 5, DispenseMs = 30 };
        _rig = new AppRig(
            c =>
            {
                c.HostLink.Mode = HostLinkSection.Off;
                c.Vending.Mode = VendingSection.Mdb;
                c.Vending.MaxPrice = 1000;
                c.Vending.MdbResponseTimeS = 10;
                c.Vending.MdbVendTimeoutMs = 5000;
            },
            scanner: false,
            wire: p => p.MdbBridgePort = _cable.A);
        _rig.Server.PollsUntilPaid = 2;
    }

    public void Dispose()
    {
        _vmc.Dispose();
        _rig.Dispose();
        _bridge.Dispose();
    }

    [Fact]
    public void A_paid_vend_is_approved_and_settled_when_the_machine_reports_success()
    {
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(12, 150);
        Wait("VEND SUCCESS", mark);
        WaitForSession(mark);

        Assert.Equal(["VEND REQUEST 12 150", "VEND APPROVED 150", "VEND SUCCESS 12"], BusSince(mark, "VEND"));
        FakePayment payment = Assert.Single(_rig.Server.Payments.Values);
        Assert.Equal(("SUCCESS", 150L, 0L), (payment.Status, payment.Amount, payment.Refunded));
        TransactionRecord sale = StopAndReadSale();
        Assert.Equal((VendState.Vended, 12), (sale.Vend, sale.VendItem));
        Assert.True(_rig.App.MdbVending.LastAnswerApproved);
        Assert.Empty(_refused);
    }

    [Fact]
    public void A_failed_payment_answers_vend_denied_and_nothing_is_owed()
    {
        _rig.Server.PollsUntilPaid = -1;
        _rig.Server.Override = c => c.Api == "inquiryPayment"
            ? WithStatus(FakeAntom.Result("S", "SUCCESS", "ok"), c.PaymentRequestId!, "FAIL")
            : null;
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(3, 200);
        Wait("VEND DENIED", mark);
        WaitForSession(mark);

        Assert.Equal(["VEND REQUEST 3 200", "VEND DENIED"], BusSince(mark, "VEND"));
        Assert.Equal(0, _vmc.Vends);
        Assert.Empty(_rig.Server.Refunds);
        TransactionRecord sale = StopAndReadSale();
        Assert.NotEqual(FinalStatus.Success, sale.Status);
        Assert.NotEqual(VendState.Vended, sale.Vend);
        Assert.Empty(_refused);
    }

    [Fact]
    public void A_vend_that_fails_after_payment_is_refunded_automatically_once()
    {
        _vmc.FailNextVend = true;
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(7, 250);
        Wait("VEND FAILURE", mark);
        _rig.WaitUntil(() => _rig.App.Phase == DeskPhase.Idle && _rig.Server.Refunds.Count == 1, "the automatic refund");

        Assert.Equal(["VEND REQUEST 7 250", "VEND APPROVED 250", "VEND FAILURE 7"], BusSince(mark, "VEND"));
        FakePayment payment = Assert.Single(_rig.Server.Payments.Values);
        Assert.Equal(250, payment.Refunded);
        Assert.Single(_rig.Server.CallsTo("refund").Select(c => c.RefundRequestId).Distinct());
        TransactionRecord sale = StopAndReadSale();
        Assert.Equal((VendState.Refunded, 250L), (sale.Vend, sale.RefundedMinor));
        Assert.Empty(_refused);
    }

    [Fact]
    public void A_machine_that_stops_waiting_cancels_the_payment_and_the_next_vend_still_works()
    {
        // The machine gives up long before the terminal's own limit: its VEND CANCEL aborts the payment.
        _vmc.ApprovalTimeoutMs = 300;
        _rig.Server.PollsUntilPaid = -1;
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(5, 100);
        Wait("VEND CANCEL", mark);
        _rig.WaitUntil(() => _rig.App.Phase == DeskPhase.Idle && _rig.Results.Count == 1, "the cancelled sale");
        Assert.Equal(FinalStatus.Cancelled, _rig.Results.Single().Status);
        Assert.Equal(0, _vmc.Vends);
        Assert.Contains(_rig.Log.Lines, l => l.Contains("the machine cancelled its vend request", StringComparison.Ordinal));

        // Negative control: the same terminal vends once the provider answers in time.
        _vmc.ApprovalTimeoutMs = 0;
        _rig.Server.PollsUntilPaid = 1;
        WaitForSession(mark);
        int again = _vmc.EventCount;
        _vmc.Select(5, 100);
        Wait("VEND SUCCESS", again);
        Assert.Equal(1, _vmc.Vends);
        Assert.Empty(_rig.Server.Refunds);
        Assert.Empty(_refused);
    }

    [Fact]
    public void An_approved_vend_whose_outcome_does_not_come_in_time_is_flagged_for_review_never_refunded()
    {
        // The machine takes longer to report than mdbVendTimeoutMs: it may have vended, so no refund behind its back.
        _rig.Config.Vending.MdbVendTimeoutMs = 1000;
        _vmc.DispenseMs = 2500;
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(9, 130);
        Wait("VEND SUCCESS", mark);
        WaitForSession(mark);

        Assert.Equal(["VEND REQUEST 9 130", "VEND APPROVED 130", "VEND SUCCESS 9"], BusSince(mark, "VEND"));
        FakePayment payment = Assert.Single(_rig.Server.Payments.Values);
        Assert.Equal(("SUCCESS", 0L), (payment.Status, payment.Refunded));
        Assert.Empty(_rig.Server.Refunds);
        Assert.Contains(_rig.Log.Lines, l => l.Contains("no VEND SUCCESS or FAILURE within 1000 ms", StringComparison.Ordinal));
        Assert.Equal(VendState.Review, StopAndReadSale().Vend);
        Assert.Empty(_refused);
    }

    [Fact]
    public void A_payment_still_open_near_the_machines_answer_time_is_stopped_and_denied_by_the_terminal()
    {
        // The machine waits mdbResponseTimeS (10 s here) for an answer. The customer never pays and nothing else ends the
        // sale first (order and budget 30 s), so the terminal itself stops the payment 5 s before the machine would give
        // up and answers VEND DENIED: the machine never cancels on a reader that may still be charging.
        _rig.Server.OrderLifetimeMs = 30_000;
        _rig.Config.Engine.MpmBudgetMs = 30_000;
        _rig.Server.PollsUntilPaid = -1;
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(4, 120);
        long requested = _vmc.WaitFor("VEND REQUEST", mark, AppRig.WaitMs);
        long denied = _vmc.WaitFor("VEND DENIED", mark, 20_000);
        Assert.True(requested >= 0 && denied >= 0, $"bus: {string.Join(" | ", _vmc.EventsSince(mark).Select(e => e.What))}");
        WaitForSession(mark);

        // 10 s minus the 5 s margin; well before the machine's own 10 s (its VEND CANCEL would show on the bus).
        Assert.InRange(denied - requested, 4_500, 9_000);
        Assert.Equal(["VEND REQUEST 4 120", "VEND DENIED"], BusSince(mark, "VEND"));
        Assert.Contains(_rig.Log.Lines, l => l.Contains("payment not done within the machine's answer time", StringComparison.Ordinal));
        Assert.Equal(0, _vmc.Vends);
        Assert.DoesNotContain(_rig.Server.Payments.Values, p => p.Status == "SUCCESS");
        Assert.NotEqual(VendState.Vended, StopAndReadSale().Vend);
        Assert.Empty(_refused);
    }

    [Fact]
    public void Bytes_on_the_bridge_line_per_vend_are_few_and_fixed()
    {
        Start();
        int mark = _vmc.EventCount;
        _vmc.Select(12, 150);
        Wait("VEND SUCCESS", mark);
        WaitForSession(mark);
        long toBridge = _bridge.HostBytesIn;
        long fromBridge = _bridge.HostBytesOut;

        mark = _vmc.EventCount;
        _vmc.Select(12, 150);
        Wait("VEND SUCCESS", mark);
        WaitForSession(mark);

        // C,VEND,1.50 and C,START,10.00 out; VEND, IDLE, VEND SUCCESS, IDLE, ENABLED back (docs/vending.md section 5).
        Assert.Equal(12 + 14, _bridge.HostBytesIn - toBridge);
        Assert.Equal(22 + 14 + 15 + 14 + 17, _bridge.HostBytesOut - fromBridge);
    }

    private void Start()
    {
        _bridge.StartThread();
        _vmc.StartThread();
        _rig.Start();
        Wait("BEGIN SESSION", 0);
        Assert.Equal((0x1840, 1, 2, 10), (_vmc.ReaderCurrencyCode, _vmc.ReaderScaleFactor, _vmc.ReaderDecimalPlaces, _vmc.ReaderResponseTimeS));
    }

    /// <summary>The session of the last vend ended and the terminal opened the next one.</summary>
    private void WaitForSession(int after)
    {
        Wait("END SESSION", after);
        int end = after + Array.FindIndex(_vmc.EventsSince(after), e => e.What == "END SESSION");
        Wait("BEGIN SESSION", end);
        _rig.WaitUntil(() => _rig.App.Phase == DeskPhase.Idle, "the desk to be free");
    }

    private void Wait(string what, int after)
    {
        long at = _vmc.WaitFor(what, after, AppRig.WaitMs);
        Assert.True(at >= 0, $"the machine never saw {what}; bus: {string.Join(" | ", _vmc.EventsSince(0).Select(e => e.What))}; refused: {string.Join(" | ", _refused)}; log:\n{string.Join("\n", _rig.Log.Lines)}");
    }

    private string[] BusSince(int after, string prefix) =>
        _vmc.EventsSince(after).Select(e => e.What).Where(w => w.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    /// <summary>Stops the firmware and reads the one vend sale its journal kept.</summary>
    private TransactionRecord StopAndReadSale()
    {
        _rig.App.Stop();
        var journal = new TransactionJournal(_rig.Storage, new ListLog(), 8);
        Assert.True(journal.Load());
        return Assert.Single(Enumerable.Range(0, journal.Count).Select(journal.Get), r => r.IsSale);
    }

    private static JsonObject WithStatus(JsonObject body, string requestId, string status)
    {
        body["paymentRequestId"] = requestId;
        body["paymentStatus"] = status;
        body["paymentResultCode"] = "USER_BALANCE_NOT_ENOUGH";
        return body;
    }
}
