using Terminal.Firmware.App;
using Terminal.Firmware.Screens;
using Terminal.Simulator.Register;
using Terminal.Tests.Engine;
using Terminal.Transactions;
using Xunit;

namespace Terminal.Tests.App;

public sealed class TerminalAppTests
{
    [Fact]
    public void Order_code_sale_shows_the_qr_reports_success_and_keeps_the_result_until_acknowledged()
    {
        using var rig = new AppRig().Start();

        HostLinkReply reply = rig.Request("SALE 1250 USD MPM A-1");
        Assert.True(reply.Ok, reply.ToString());
        HostLinkLine qr = rig.Event("SHOW_QR");
        Assert.Equal("A-1", qr.Word(2));
        Assert.Equal(FakeAntom.DefaultCodeValue, qr.Word(3));
        HostLinkResultLine result = rig.Result("A-1");

        Assert.Equal(("SALE", "SUCCESS", 1250L, "USD"), (result.Kind, result.Outcome, result.AmountMinor, result.Currency));
        Assert.NotNull(result.PaymentId);
        rig.WaitUntil(() => rig.App.Screen == ScreenKind.Result, "the result screen");

        // Many loop passes later the result is still there: nothing times it out.
        int version = rig.App.ScreenVersion;
        Thread.Sleep(100);
        Assert.Equal(ScreenKind.Result, rig.App.Screen);
        Assert.Equal(version, rig.App.ScreenVersion);
        Assert.Equal("IDLE RESULT_SHOWN", rig.Request("STATUS").Line.Rest(3));

        rig.App.PressOk();
        rig.WaitUntil(() => rig.App.Screen == ScreenKind.Idle, "the idle screen after OK");
        Assert.Equal("IDLE", rig.Request("STATUS").Line.Rest(3));
    }

    [Fact]
    public void A_second_sale_or_a_refund_during_a_sale_is_busy()
    {
        using var rig = new AppRig().Start();
        rig.Server.PollsUntilPaid = -1;

        Assert.True(rig.Request("SALE 500 USD MPM B-1").Ok);
        rig.Event("SHOW_QR");

        HostLinkReply second = rig.Request("SALE 700 USD MPM B-2");
        HostLinkReply refund = rig.Request("REFUND REF B-1 100");
        HostLinkReply status = rig.Request("STATUS");

        Assert.Equal("BUSY", second.Error);
        Assert.Equal("BUSY", refund.Error);
        Assert.Equal("SALE B-1 WAITING_FOR_CUSTOMER", status.Line.Rest(3));
        Assert.True(rig.Request("ABORT").Ok);
        Assert.Equal("CANCELLED", rig.Result("B-1").Outcome);
        Assert.DoesNotContain(rig.Server.CallsTo("pay"), c => c.Amount == "700");
    }

    [Fact]
    public void Abort_closes_an_unpaid_order_and_a_new_sale_is_accepted_right_after_the_result()
    {
        using var rig = new AppRig().Start();
        rig.Server.PollsUntilPaid = -1;

        Assert.True(rig.Request("SALE 990 USD MPM C-1").Ok);
        rig.Event("WAITING_FOR_CUSTOMER");
        Assert.True(rig.Request("ABORT").Ok);
        HostLinkResultLine result = rig.Result("C-1");

        Assert.Equal(("CANCELLED", "TERMINAL_ABORTED"), (result.Outcome, result.ReasonCode));
        Assert.Contains(rig.Server.CallsTo("cancel"), c => c.PaymentRequestId != null);
        Assert.Equal("CANCELLED", rig.Server.Payments.Values.Single().Status);

        // The register answers RESULT with the next sale at once: never BUSY.
        rig.Server.PollsUntilPaid = 1;
        Assert.True(rig.Request("SALE 100 USD MPM C-2").Ok);
        Assert.Equal("SUCCESS", rig.Result("C-2").Outcome);
    }

    [Fact]
    public void Abort_with_no_sale_is_nosale()
    {
        using var rig = new AppRig().Start();

        Assert.Equal("NOSALE", rig.Request("ABORT").Error);
    }

    [Fact]
    public void A_new_sale_acknowledges_the_previous_result_screen()
    {
        using var rig = new AppRig().Start();
        Assert.True(rig.Request("SALE 100 USD CPM D-1").Ok);
        rig.Event("WAITING_FOR_CUSTOMER");
        rig.Module.Present(AppRig.GoodCode);
        Assert.Equal("SUCCESS", rig.Result("D-1").Outcome);
        rig.WaitUntil(() => rig.App.Screen == ScreenKind.Result, "the result screen");

        Assert.True(rig.Request("SALE 200 USD CPM D-2").Ok);

        rig.WaitUntil(() => rig.App.Screen == ScreenKind.ScanCustomer, "the scan screen of the next sale");
        Assert.True(rig.Request("ABORT").Ok);
        Assert.Equal("CANCELLED", rig.Result("D-2").Outcome);
    }

    [Fact]
    public void Customer_presented_sale_refuses_a_web_link_then_pays_with_the_payment_code()
    {
        using var rig = new AppRig().Start();

        Assert.True(rig.Request("SALE 320 USD CPM E-1").Ok);
        rig.Event("WAITING_FOR_CUSTOMER");
        rig.Module.Present("https://example.com/menu");
        HostLinkLine refused = rig.Event("DEVICE", l => l.Word(2) == "SCANNER" && l.Word(3) == "CODE_REFUSED");
        Assert.Equal("This is a web link, not a payment code", refused.Rest(4));
        rig.WaitUntil(() => rig.App.Screen == ScreenKind.Error, "the refused-code screen");
        Assert.Empty(rig.Server.Calls);

        rig.Module.Present(AppRig.GoodCode);
        HostLinkResultLine result = rig.Result("E-1");

        Assert.Equal("SUCCESS", result.Outcome);
        Assert.Equal(AppRig.GoodCode, Assert.Single(rig.Server.CallsTo("pay")).Code);
    }

    [Fact]
    public void Customer_presented_sale_aborted_before_a_code_sends_nothing()
    {
        using var rig = new AppRig().Start();

        Assert.True(rig.Request("SALE 320 USD CPM F-1").Ok);
        rig.Event("WAITING_FOR_CUSTOMER");
        Assert.True(rig.Request("ABORT").Ok);
        HostLinkResultLine result = rig.Result("F-1");

        Assert.Equal(("CANCELLED", "TERMINAL_ABORTED"), (result.Outcome, result.ReasonCode));
        Assert.Empty(rig.Server.Calls);
        Assert.Equal("IDLE RESULT_SHOWN", rig.Request("STATUS").Line.Rest(3));
    }

    [Fact]
    public void Cancel_key_aborts_the_scan_like_abort()
    {
        using var rig = new AppRig().Start();

        Assert.True(rig.Request("SALE 320 USD CPM F-2").Ok);
        rig.Event("WAITING_FOR_CUSTOMER");
        rig.App.PressCancel();

        Assert.Equal("CANCELLED", rig.Result("F-2").Outcome);
    }

    [Fact]
    public void Other_currency_is_refused_and_changes_nothing()
    {
        using var rig = new AppRig().Start();

        HostLinkReply reply = rig.Request("SALE 100 EUR MPM G-1");

        Assert.Equal("REFUSED", reply.Error);
        Assert.Contains("USD", reply.Line.Rest(3));
        Assert.Equal("IDLE", rig.Request("STATUS").Line.Rest(3));
    }

    [Fact]
    public void Refund_and_void_run_on_the_worker_and_report_results_unknown_references_are_notfound()
    {
        using var rig = new AppRig().Start();
        Assert.True(rig.Request("SALE 1000 USD MPM H-1").Ok);
        HostLinkResultLine sale = rig.Result("H-1");
        Assert.True(rig.Request("SALE 400 USD MPM H-2").Ok);
        Assert.Equal("SUCCESS", rig.Result("H-2").Outcome);

        Assert.True(rig.Request("REFUND REF H-1 250").Ok);
        HostLinkResultLine refund = rig.Result("H-1");
        Assert.True(rig.Request($"VOID PAYMENT {rig.Server.Payments.Values.Single(p => p.Amount == 400).PaymentId}").Ok);
        HostLinkResultLine voided = rig.Result("H-2");

        Assert.Equal(("REFUND", "SUCCESS", 250L), (refund.Kind, refund.Outcome, refund.AmountMinor));
        Assert.Equal(sale.PaymentId, refund.PaymentId);
        Assert.Equal(("VOID", "SUCCESS"), (voided.Kind, voided.Outcome));
        Assert.Equal("NOTFOUND", rig.Request("REFUND REF NOPE 100").Error);
        Assert.Equal("NOTFOUND", rig.Request("VOID PAYMENT 2026NOPE").Error);
        HostLinkReply last = rig.Request("LAST");
        Assert.Equal(("VOID", "H-2", "SUCCESS"), (last.Line.Word(3), last.Line.Word(4), last.Line.Word(5)));
    }

    [Fact]
    public void Boot_recovery_finishes_a_sale_cut_off_by_a_power_failure_before_any_new_sale()
    {
        // A first "device" shows the order code, then the power fails at its first wait.
        var storage = new MemoryStorage();
        var server = new FakeAntom(EngineRig.Key, EngineRig.DeviceId, new Terminal.Host.SystemClock()) { PollsUntilPaid = -1 };
        using (var first = new AppRig(storage: storage, server: server).Start())
        {
            Assert.True(first.Request("SALE 777 USD MPM P-1").Ok);
            first.Event("SHOW_QR");
            server.Powered = false;  // the network is gone with the power...
            storage.FailWrites = true; // ...and nothing more reaches the flash
            first.App.Stop();
        }

        // The customer paid meanwhile; the rebooted terminal finds out before it takes a new sale.
        storage.FailWrites = false;
        server.Powered = true;
        server.Payments.Values.Single().Status = "SUCCESS";
        using var second = new AppRig(storage: storage, server: server).Start(waitForIdle: false);

        HostLinkResultLine recovered = second.Result("P-1");
        Assert.Equal(("SALE", "SUCCESS", 777L), (recovered.Kind, recovered.Outcome, recovered.AmountMinor));
        second.WaitUntil(() => second.App.Phase == DeskPhase.Idle, "the end of recovery");
        Assert.Single(server.CallsTo("pay"));
        HostLinkReply last = second.Request("LAST");
        Assert.Equal(("P-1", "SUCCESS"), (last.Line.Word(4), last.Line.Word(5)));
    }

    [Fact]
    public void An_order_code_too_long_for_the_screen_shows_the_readable_fallback_and_the_sale_goes_on()
    {
        using var rig = new AppRig().Start();
        rig.Server.PollsUntilPaid = -1;
        rig.Server.CodeValue = "https://gqr.alipay.com/281" + new string('x', 300);

        Assert.True(rig.Request("SALE 990 USD MPM L-1").Ok);
        HostLinkLine qr = rig.Event("SHOW_QR");
        rig.WaitUntil(() => rig.App.Screen == ScreenKind.QrUnavailable, "the QR fallback screen");

        Assert.Equal("-", qr.Word(3)); // longer than a host-link line too
        Assert.Equal("SALE L-1 WAITING_FOR_CUSTOMER", rig.Request("STATUS").Line.Rest(3));
        Assert.True(rig.Request("ABORT").Ok);
        Assert.Equal("CANCELLED", rig.Result("L-1").Outcome);
    }

    [Fact]
    public void Without_a_scanner_customer_presented_sales_are_refused()
    {
        using var rig = new AppRig(scanner: false).Start();

        HostLinkReply reply = rig.Request("SALE 100 USD CPM N-1");

        Assert.Equal("REFUSED", reply.Error);
        Assert.True(rig.Request("SALE 100 USD MPM N-2").Ok);
        Assert.Equal("SUCCESS", rig.Result("N-2").Outcome);
    }

    [Fact]
    public void Boot_announces_the_terminal_and_the_scanner()
    {
        using var rig = new AppRig().Start();

        HostLinkLine started = rig.Event("DEVICE", l => l.Word(2) == "TERMINAL");
        HostLinkLine scanner = rig.Event("DEVICE", l => l.Word(2) == "SCANNER");

        Assert.Equal("STARTED", started.Word(3));
        Assert.Equal("READY", scanner.Word(3));
    }

    [Fact]
    public void Diag_and_selftest_answer_through_the_app()
    {
        using var rig = new AppRig().Start();

        HostLinkReply diag = rig.Request("DIAG");
        HostLinkReply selftest = rig.Request("SELFTEST");

        Assert.True(diag.Ok);
        Assert.Contains(diag.Info, l => l.StartsWith("firmware " + TerminalApp.Version, StringComparison.Ordinal));
        Assert.Contains(diag.Info, l => l.StartsWith("scanner Scanner ready", StringComparison.Ordinal));
        Assert.True(selftest.Ok, selftest.ToString());
        Assert.Equal("0", selftest.Line.Word(4));
    }
}
