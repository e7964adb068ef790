using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class SaleFlowTests
{
    [Fact]
    public void PaymentCode_paid_at_once_is_success_with_one_pay_request()
    {
        var rig = new EngineRig();
        PaymentResult r = rig.Cpm(1250, "INV-1");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal("Approved", r.Reason);
        Assert.Single(rig.Server.CallsTo("pay"));
        Call pay = rig.Server.CallsTo("pay").Single();
        Assert.Equal("1250", pay.Amount);
        Assert.Equal(EngineRig.ScannedCode, pay.Code);
        Assert.Equal(r.RequestId, pay.PaymentRequestId);
        Assert.Equal(rig.Server.Payments[r.RequestId].PaymentId, r.PaymentId);
        Assert.Equal(new[] { "processing", "result SUCCESS" }, rig.Events.Events);
        rig.AssertPaysConsistent();
    }

    [Fact]
    public void OrderCode_shows_the_code_polls_and_succeeds()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = 3;
        PaymentResult r = rig.Mpm(500, "INV-2");

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(FakeAntom.DefaultCodeValue, rig.Events.ShownCode);
        Assert.Equal(120_000, rig.Events.ShownExpiresInMs);
        Assert.Equal(new[] { "processing", "qr", "waiting", "result SUCCESS" }, rig.Events.Events);
        Assert.Equal(3, rig.Server.CallsTo("inquiryPayment").Count());
        Assert.All(rig.Sleeper.Sleeps, ms => Assert.Equal(2000, ms));
    }

    [Fact]
    public void OrderCode_not_paid_before_expiry_is_closed()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Server.OrderLifetimeMs = 30_000;
        PaymentResult r = rig.Mpm(500);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Expired, r.ResultCode);
        Assert.Single(rig.Server.CallsTo("cancel"));
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
        Assert.Equal(15, rig.Server.CallsTo("inquiryPayment").Count());
        Assert.Contains("cancelling", rig.Events.Events);
    }

    [Fact]
    public void OrderCode_without_expiry_uses_the_configured_budget()
    {
        var rig = new EngineRig(c => c.Engine.MpmBudgetMs = 10_000);
        rig.Server.SendExpireTime = false;
        rig.Server.PollsUntilPaid = -1;
        PaymentResult r = rig.Mpm(500);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(10_000, rig.Events.ShownExpiresInMs);
        Assert.Equal(5, rig.Server.CallsTo("inquiryPayment").Count());
    }

    [Fact]
    public void OrderCode_lifetime_comes_from_server_times_not_the_skewed_device_clock()
    {
        var rig = new EngineRig();
        rig.Server.ServerClockOffsetMs = -3_600_000 * 5; // device clock 5 hours ahead of the server
        rig.Server.PollsUntilPaid = -1;
        rig.Server.OrderLifetimeMs = 60_000;
        PaymentResult r = rig.Mpm(700);

        Assert.Equal(60_000, rig.Events.ShownExpiresInMs);
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(30, rig.Server.CallsTo("inquiryPayment").Count());
    }

    [Fact]
    public void Cashier_abort_while_the_QR_is_shown_closes_the_order()
    {
        var rig = new EngineRig();
        rig.Server.PollsUntilPaid = -1;
        rig.Events.OnEvent = e =>
        {
            if (e == "waiting")
            {
                rig.Sleeper.OnSleep = _ =>
                {
                    if (rig.Server.CallsTo("inquiryPayment").Count() == 2)
                    {
                        rig.Engine.RequestAbort();
                    }
                };
            }
        };
        PaymentResult r = rig.Mpm(900);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Aborted, r.ResultCode);
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
        Assert.Equal(2, rig.Server.CallsTo("inquiryPayment").Count());
    }

    [Fact]
    public void Abort_before_anything_was_sent_needs_no_network()
    {
        var rig = new EngineRig();
        rig.Server.Faults = _ => Fault.ConnectFailed;
        rig.Sleeper.OnSleep = _ => rig.Engine.RequestAbort();
        PaymentResult r = rig.Cpm(100);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Aborted, r.ResultCode);
        Assert.Empty(rig.Server.Calls);
    }

    [Fact]
    public void A_stale_abort_from_before_the_sale_is_ignored()
    {
        var rig = new EngineRig();
        rig.Engine.RequestAbort();
        Assert.Equal(FinalStatus.Success, rig.Cpm(100).Status);
    }

    [Fact]
    public void Payment_in_process_is_polled_with_the_same_id_until_success()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 4;
        PaymentResult r = rig.Cpm(300);

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Single(rig.Server.CallsTo("pay"));
        Assert.Equal(4, rig.Server.CallsTo("inquiryPayment").Count());
        Assert.All(rig.Server.Calls, c => Assert.Equal(r.RequestId, c.PaymentRequestId));
    }

    [Fact]
    public void Payment_in_process_that_then_fails_is_final_failure_without_cancel()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.ProcessingFails;
        rig.Server.FailCode = "USER_BALANCE_NOT_ENOUGH";
        PaymentResult r = rig.Cpm(300);

        Assert.Equal(FinalStatus.Failed, r.Status);
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", r.ResultCode);
        Assert.Empty(rig.Server.CallsTo("cancel"));
    }

    [Fact]
    public void Budget_exhausted_cancels_and_reports_cancelled()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        PaymentResult r = rig.Cpm(300);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Timeout, r.ResultCode);
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
        Assert.Equal(30, rig.Server.CallsTo("inquiryPayment").Count()); // every 2 s for 60 s
    }

    [Fact]
    public void A_cancel_that_never_confirms_ends_in_needs_review_after_the_cancel_schedule()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        rig.Server.CancelNeverAnswers = true;
        PaymentResult r = rig.Cpm(300);

        Assert.Equal(FinalStatus.NeedsReview, r.Status);
        Assert.Equal(EngineCodes.CancelUnconfirmed, r.ResultCode);
        Assert.Equal(6, rig.Server.CallsTo("cancel").Count());
        Assert.Equal("review", rig.Events.Events[^1]);
        int[] tail = rig.Sleeper.Sleeps.TakeLast(5).ToArray();
        Assert.Equal(new[] { 2000, 3000, 3000, 5000, 5000 }, tail);
    }

    [Fact]
    public void A_refused_cancel_is_followed_by_an_inquiry_that_decides()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        rig.Server.CancelRefusal = "ORDER_STATUS_INVALID";
        PaymentResult r = rig.Cpm(300);
        Assert.Equal(FinalStatus.NeedsReview, r.Status);
        Assert.Equal(EngineCodes.CancelRefused, r.ResultCode);

        var rig2 = new EngineRig();
        rig2.Server.Cpm = CpmBehaviour.InProcess;
        rig2.Server.PollsUntilPaid = 31; // paid right when the cancel is refused
        rig2.Server.CancelRefusal = "ORDER_STATUS_INVALID";
        PaymentResult paid = rig2.Cpm(300);
        Assert.Equal(FinalStatus.Success, paid.Status);
    }

    [Fact]
    public void Same_reference_after_success_returns_the_payment_instead_of_charging_again()
    {
        var rig = new EngineRig();
        PaymentResult first = rig.Cpm(100, "INV-9");
        PaymentResult second = rig.Cpm(100, "INV-9");

        Assert.Equal(FinalStatus.Success, second.Status);
        Assert.Equal(first.RequestId, second.RequestId);
        Assert.Equal("Already paid", second.Reason);
        Assert.Single(rig.Server.CallsTo("pay"));
    }

    [Fact]
    public void Same_reference_after_a_failure_gets_a_new_request_id()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.Fails;
        rig.Server.FailCode = "INVALID_PAYMENT_CODE";
        PaymentResult first = rig.Cpm(100, "INV-10");
        Assert.Equal(FinalStatus.Failed, first.Status);
        Assert.Equal("Invalid code: ask the customer to refresh the code", first.Reason);

        rig.Server.Cpm = CpmBehaviour.PaidAtOnce;
        PaymentResult second = rig.Cpm(100, "INV-10", "281010897274821897274822");
        Assert.Equal(FinalStatus.Success, second.Status);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    [Fact]
    public void Same_reference_while_the_previous_attempt_is_unresolved_is_refused()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        rig.Server.CancelNeverAnswers = true;
        Assert.Equal(FinalStatus.NeedsReview, rig.Cpm(100, "INV-11").Status);

        PaymentResult again = rig.Cpm(100, "INV-11");
        Assert.Equal(EngineCodes.PreviousUnresolved, again.ResultCode);
        Assert.Single(rig.Server.CallsTo("pay"));

        // Once the provider confirms the old attempt as paid, asking again reports it paid.
        rig.Server.PollsUntilPaid = 0;
        PaymentResult resolved = rig.Cpm(100, "INV-11");
        Assert.Equal(FinalStatus.Success, resolved.Status);
        Assert.Single(rig.Server.CallsTo("pay"));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    [InlineData(1_000_000_000_000L)]
    public void Invalid_amounts_are_refused_before_anything_is_journaled(long amount)
    {
        var rig = new EngineRig();
        PaymentResult r = rig.Cpm(amount);
        Assert.Equal(EngineCodes.InvalidRequest, r.ResultCode);
        Assert.Empty(rig.Server.Calls);
        Assert.Null(rig.Storage.Get("journal.b"));
    }

    [Theory]
    [InlineData("28101089727482189727482!")]
    [InlineData("")]
    public void Invalid_payment_codes_are_refused(string code)
    {
        var rig = new EngineRig();
        Assert.Equal(EngineCodes.InvalidRequest, rig.Cpm(100, null, code).ResultCode);
        Assert.Empty(rig.Server.Calls);
    }

    [Fact]
    public void Storage_failure_before_the_first_send_sends_nothing()
    {
        var rig = new EngineRig();
        rig.Storage.FailWrites = true;
        PaymentResult r = rig.Cpm(100);
        Assert.Equal(EngineCodes.StorageError, r.ResultCode);
        Assert.Empty(rig.Server.Calls);
    }

    [Fact]
    public void Order_code_longer_than_the_display_buffer_is_cancelled()
    {
        var rig = new EngineRig(c => c.Engine.CodeValueBytes = 64);
        rig.Server.CodeValue = "https://gqr.alipay.com/" + new string('A', 100);
        PaymentResult r = rig.Mpm(100);
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.CodeTooLong, r.ResultCode);
        Assert.DoesNotContain("qr", rig.Events.Events);
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
    }

    [Fact]
    public void Last_and_find_by_reference_return_journaled_results()
    {
        var rig = new EngineRig();
        rig.Cpm(100, "A1");
        rig.Cpm(200, "A2");
        rig.Boot();
        Assert.Equal(200, rig.Engine.Last()!.AmountMinor);
        Assert.Equal(100, rig.Engine.FindByReference("A1")!.AmountMinor);
        Assert.Null(rig.Engine.FindByReference("nope"));
    }
}
