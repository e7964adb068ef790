using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>
/// An order code the customer never pays: live, Antom closing it first, and after a power cut while the QR was
/// shown (boot recovery waits for the journaled expiry, then closes the order like the live sale).
/// </summary>
public sealed class OrderExpiryTests
{
    private const long Lifetime = 30_000;

    [Fact]
    public void Live_order_expiring_unpaid_is_closed_and_reported_cancelled()
    {
        EngineRig rig = NeverPaid();
        PaymentResult r = rig.Mpm(500, "EXP-1");

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Expired, r.ResultCode);
        Assert.Equal("Cancelled: the customer did not pay", r.Reason);
        Assert.Single(rig.Server.CallsTo("cancel"));
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
    }

    [Fact]
    public void Live_order_closed_by_antom_at_expiry_is_reported_failed_with_a_plain_reason()
    {
        EngineRig rig = NeverPaid();
        long expiry = rig.Clock.Mono + Lifetime;
        rig.Sleeper.OnSleep = mono =>
        {
            // Antom closes the unpaid order at its expiry; the terminal's last inquiry sees it first.
            foreach (FakePayment p in rig.Server.Payments.Values.Where(p => p.Status == "PROCESSING" && mono >= expiry - 2_000))
            {
                p.Status = "FAIL";
                p.FailCode = "ORDER_IS_CLOSED";
            }
        };
        PaymentResult r = rig.Mpm(500, "EXP-2");

        Assert.Equal(FinalStatus.Failed, r.Status);
        Assert.Equal("ORDER_IS_CLOSED", r.ResultCode);
        Assert.Equal("Order expired, customer did not pay", r.Reason);
        Assert.Equal("Order expired, customer did not pay", rig.Engine.Last()!.Reason);
        Assert.Empty(rig.Server.CallsTo("cancel"));
    }

    [Fact]
    public void Live_inquiry_answered_after_the_expiry_is_followed_by_one_more_so_antoms_closing_is_seen()
    {
        EngineRig rig = NeverPaid();
        long expiry = 0;
        rig.Events.OnEvent = e =>
        {
            if (e == "qr")
            {
                expiry = rig.Clock.Mono + Lifetime;
            }
        };
        rig.Server.Override = call =>
        {
            if (call.Api == "inquiryPayment" && rig.Clock.Mono == expiry - 2_000)
            {
                // This inquiry is answered "processing" 3 s later; meanwhile Antom closes the order at its expiry.
                rig.Clock.Advance(3_000);
                FakePayment p = rig.Server.Payments[call.PaymentRequestId!];
                p.Status = "FAIL";
                p.FailCode = "ORDER_IS_CLOSED";
            }

            return null;
        };
        PaymentResult r = rig.Mpm(500, "EXP-10");

        Assert.Equal(FinalStatus.Failed, r.Status);
        Assert.Equal("ORDER_IS_CLOSED", r.ResultCode);
        Assert.Equal("Order expired, customer did not pay", r.Reason);
        Assert.Empty(rig.Server.CallsTo("cancel"));
    }

    [Fact]
    public void Cpm_closed_order_keeps_the_table_reason()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.Fails;
        rig.Server.FailCode = "ORDER_IS_CLOSED";
        PaymentResult r = rig.Cpm(500, "CPM-1");

        Assert.Equal(FinalStatus.Failed, r.Status);
        Assert.Equal("ORDER_IS_CLOSED", r.ResultCode);
        Assert.Equal(ResultTable.ReasonAt(ResultTable.Find("ORDER_IS_CLOSED")), r.Reason);
    }

    [Fact]
    public void Power_cut_while_qr_shown_recovery_waits_for_the_expiry_then_closes_like_the_live_sale()
    {
        EngineRig rig = NeverPaid();
        long wallAtQr = 0;
        CutWhenQrShown(rig, () => wallAtQr = rig.Clock.Wall);
        rig.Mpm(500, "EXP-3");
        Assert.Equal(TransactionState.OrderCreated, rig.Engine.Journal.FindUnfinished()!.State);
        string id = rig.Server.CallsTo("pay").Single().PaymentRequestId!;

        // Off for 10 s; then boot and recovery.
        rig.Clock.Advance(10_000);
        Reboot(rig);
        int paysBefore = rig.Server.CallsTo("pay").Count();
        long inquiriesBefore = rig.Server.CallsTo("inquiryPayment").Count();
        long cancelWall = 0;
        rig.Server.Override = call =>
        {
            if (call.Api == "cancel")
            {
                cancelWall = rig.Clock.Wall;
            }

            return null;
        };
        Assert.Equal(1, rig.Engine.RecoverAll());

        PaymentResult r = rig.Events.Results.Single();
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Expired, r.ResultCode);
        Assert.Equal("Cancelled: the customer did not pay", r.Reason);
        Assert.Equal(id, r.RequestId);
        Assert.Equal(paysBefore, rig.Server.CallsTo("pay").Count());
        Assert.Single(rig.Server.CallsTo("cancel"));
        Assert.Equal("CANCELLED", rig.Server.Payments[id].Status);
        Assert.True(rig.Server.CallsTo("inquiryPayment").Count() - inquiriesBefore > 1, "recovery polled");

        // Polling ended at the journaled expiry (QR shown + lifetime), not after the CPM budget.
        Assert.Equal(wallAtQr + Lifetime, cancelWall);
        Assert.Null(rig.Engine.Journal.FindUnfinished());
    }

    [Fact]
    public void Power_cut_while_qr_shown_customer_pays_during_recovery_is_paid()
    {
        EngineRig rig = NeverPaid();
        CutWhenQrShown(rig, null);
        rig.Mpm(500, "EXP-4");
        Reboot(rig);
        rig.Server.PollsUntilPaid = rig.Server.Payments.Values.Single().Inquiries + 3;

        rig.Engine.RecoverAll();

        Assert.Equal(FinalStatus.Success, rig.Events.Results.Single().Status);
        Assert.Empty(rig.Server.CallsTo("cancel"));
        Assert.Single(rig.Server.CallsTo("pay"));
    }

    [Fact]
    public void Clock_jumping_past_the_expiry_while_recovery_waits_ends_it_after_one_more_inquiry_even_when_no_inquiry_is_answered()
    {
        // The chaos run's power-cut sales: the terminal boots, recovery starts polling, and the run moves the clock
        // past the order's expiry while recovery sleeps; every inquiry's answer is lost on the way.
        EngineRig rig = NeverPaid();
        CutWhenQrShown(rig, null);
        rig.Mpm(500, "EXP-11");
        string id = rig.Server.CallsTo("pay").Single().PaymentRequestId!;
        Reboot(rig);
        rig.Server.Faults = call => call.Api == "inquiryPayment" ? Fault.TimeoutAfterSend : Fault.None;
        long inquiriesAtBoot = rig.Server.CallsTo("inquiryPayment").Count();
        long inquiriesAtJump = -1;
        rig.Sleeper.OnSleep = _ =>
        {
            if (inquiriesAtJump < 0)
            {
                inquiriesAtJump = rig.Server.CallsTo("inquiryPayment").Count();
                rig.Clock.Advance(Lifetime + 5_000);
            }
        };

        Assert.Equal(1, rig.Engine.RecoverAll());

        PaymentResult r = rig.Events.Results.Single();
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Expired, r.ResultCode);
        Assert.Equal(id, r.RequestId);
        Assert.True(inquiriesAtJump > inquiriesAtBoot, "the jump came before recovery's first inquiry");
        Assert.Equal(1, rig.Server.CallsTo("inquiryPayment").Count() - inquiriesAtJump);
        Assert.Single(rig.Server.CallsTo("cancel"));
        Assert.Null(rig.Engine.Journal.FindUnfinished());
    }

    [Fact]
    public void Order_already_expired_at_boot_is_closed_at_once()
    {
        EngineRig rig = NeverPaid();
        CutWhenQrShown(rig, null);
        rig.Mpm(500, "EXP-5");
        rig.Clock.Advance(Lifetime + 60_000);
        Reboot(rig);
        long inquiriesBefore = rig.Server.CallsTo("inquiryPayment").Count();
        int sleepsBefore = rig.Sleeper.Sleeps.Count;

        rig.Engine.RecoverAll();

        PaymentResult r = rig.Events.Results.Single();
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Expired, r.ResultCode);
        Assert.Equal("Cancelled: the customer did not pay", r.Reason);
        Assert.Equal(1, rig.Server.CallsTo("inquiryPayment").Count() - inquiriesBefore); // one look, in case it was paid
        Assert.Single(rig.Server.CallsTo("pay"));
        Assert.Single(rig.Server.CallsTo("cancel"));
        Assert.All(rig.Sleeper.Sleeps.Skip(sleepsBefore), ms => Assert.Equal(0, ms));
    }

    [Fact]
    public void Recovered_order_whose_cancel_never_confirms_needs_review()
    {
        EngineRig rig = NeverPaid();
        CutWhenQrShown(rig, null);
        rig.Mpm(500, "EXP-6");
        Reboot(rig);
        rig.Server.CancelNeverAnswers = true;

        rig.Engine.RecoverAll();

        PaymentResult review = rig.Events.Results.Single();
        Assert.Contains("review", rig.Events.Events);
        Assert.Equal(FinalStatus.NeedsReview, review.Status);
        Assert.Equal(EngineCodes.CancelUnconfirmed, review.ResultCode);
    }

    [Fact]
    public void Sale_whose_pay_was_never_answered_still_uses_the_cpm_budget()
    {
        EngineRig rig = NeverPaid(c => c.Engine.CpmBudgetMs = 8_000);
        // The pay arrives but its answer is lost; the power fails before the next attempt.
        rig.Server.Faults = call => call.Api == "pay" ? Fault.TimeoutAfterSend : Fault.None;
        rig.Sleeper.IsDead = () => true;
        rig.Mpm(500, "EXP-7");
        Assert.Equal(TransactionState.PayPending, rig.Engine.Journal.FindUnfinished()!.State);
        rig.Server.Faults = null;
        Reboot(rig);
        long start = rig.Clock.Mono;

        rig.Engine.RecoverAll();

        PaymentResult r = rig.Events.Results.Single();
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Unresolved, r.ResultCode);
        Assert.True(rig.Clock.Mono - start < Lifetime, "polled for the order lifetime instead of the CPM budget");
        Assert.True(rig.Clock.Mono - start >= 8_000, "stopped before the CPM budget");
    }

    [Fact]
    public void Order_expiry_is_journaled_with_the_order()
    {
        EngineRig rig = NeverPaid();
        long wallAtQr = 0;
        CutWhenQrShown(rig, () => wallAtQr = rig.Clock.Wall);
        rig.Mpm(500, "EXP-8");
        Reboot(rig);
        TransactionRecord rec = rig.Engine.Journal.FindUnfinished()!;
        Assert.Equal(wallAtQr + Lifetime, rec.OrderExpiresEpochMs);
    }

    [Fact]
    public void Journal_of_the_previous_version_loads_and_recovers_with_the_cpm_budget()
    {
        EngineRig rig = NeverPaid(c => c.Engine.CpmBudgetMs = 8_000);
        CutWhenQrShown(rig, null);
        rig.Mpm(500, "EXP-9");
        rig.Storage.Reboot();
        JournalRewriter.RewriteAs(rig.Storage, Terminal.Payments.Journal.RecordCodec.VersionWithoutExpiry);
        Reboot(rig);
        TransactionRecord rec = rig.Engine.Journal.FindUnfinished()!;
        Assert.Equal(TransactionState.OrderCreated, rec.State);
        Assert.Equal(0, rec.OrderExpiresEpochMs);
        Assert.Equal(500, rec.AmountMinor);
        long start = rig.Clock.Mono;

        rig.Engine.RecoverAll();

        PaymentResult r = rig.Events.Results.Single();
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Expired, r.ResultCode);
        Assert.Equal(8_000, rig.Clock.Mono - start);
        Assert.Single(rig.Server.CallsTo("pay"));
    }

    private static EngineRig NeverPaid(Action<Terminal.Firmware.Config.TerminalConfig>? configure = null)
    {
        var rig = new EngineRig(configure);
        rig.Server.PollsUntilPaid = -1;
        rig.Server.OrderLifetimeMs = Lifetime;
        return rig;
    }

    /// <summary>The power fails while the QR is on screen: the next sleep of the poll loop never returns.</summary>
    private static void CutWhenQrShown(EngineRig rig, Action? atQr)
    {
        rig.Events.OnEvent = e =>
        {
            if (e == "qr")
            {
                atQr?.Invoke();
                rig.Sleeper.IsDead = () => true;
            }
        };
    }

    private static void Reboot(EngineRig rig)
    {
        rig.Sleeper.IsDead = null;
        rig.Boot();
    }
}
