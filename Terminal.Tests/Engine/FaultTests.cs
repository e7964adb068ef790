using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>Transport and response faults: each is unknown (never success), handled with the same request id.</summary>
public sealed class FaultTests
{
    /// <summary>Faults on the first pay request of a payment-code sale; the payment itself would succeed.</summary>
    [Theory]
    [InlineData(Fault.TimeoutAfterSend)]
    [InlineData(Fault.ResponseBroken)]
    [InlineData(Fault.Oversized)]
    [InlineData(Fault.Http500Processed)]
    [InlineData(Fault.Truncated)]
    [InlineData(Fault.Malformed)]
    [InlineData(Fault.WrongSignature)]
    [InlineData(Fault.MissingSignature)]
    [InlineData(Fault.WrongClientId)]
    public void Unknown_pay_answer_is_inquired_with_the_same_id_and_never_resubmitted(Fault fault)
    {
        var rig = new EngineRig();
        rig.Server.Faults = c => c.Api == "pay" ? fault : Fault.None;
        PaymentResult r = rig.Cpm(400);

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Single(rig.Server.CallsTo("pay"));
        Assert.NotEmpty(rig.Server.CallsTo("inquiryPayment"));
        Assert.All(rig.Server.Calls, c => Assert.Equal(r.RequestId, c.PaymentRequestId));
        Assert.True(rig.Log.Lines.Count > 0);
    }

    [Theory]
    [InlineData(Fault.ConnectFailed)]
    [InlineData(Fault.TimeoutBeforeSend)]
    [InlineData(Fault.Http429)]
    [InlineData(Fault.Http500NotProcessed)]
    public void Pay_that_did_not_reach_the_server_is_repeated_with_the_same_bytes_or_inquired(Fault fault)
    {
        var rig = new EngineRig();
        int failures = 2;
        rig.Server.Faults = c => c.Api == "pay" && failures-- > 0 ? fault : Fault.None;
        PaymentResult r = rig.Cpm(400);

        Assert.Equal(FinalStatus.Success, r.Status);
        rig.AssertPaysConsistent();
        Assert.Single(rig.Server.Payments);
    }

    [Fact]
    public void Network_down_for_the_whole_budget_is_not_charged_and_needs_no_cancel()
    {
        var rig = new EngineRig();
        rig.Server.Faults = _ => Fault.ConnectFailed;
        PaymentResult r = rig.Cpm(400);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.NotSent, r.ResultCode);
        Assert.Empty(rig.Server.Calls);
    }

    [Fact]
    public void Network_lost_after_the_pay_was_sent_ends_in_needs_review()
    {
        var rig = new EngineRig();
        rig.Server.Faults = c => c.Api == "pay" ? Fault.TimeoutAfterSend : Fault.ConnectFailed;
        PaymentResult r = rig.Cpm(400);

        Assert.Equal(FinalStatus.NeedsReview, r.Status);
        Assert.Equal("SUCCESS", rig.Server.Payments[r.RequestId].Status);
    }

    /// <summary>A SUCCESS that is not verified or not about our request never counts.</summary>
    [Theory]
    [InlineData(Fault.WrongSignature)]
    [InlineData(Fault.MissingSignature)]
    [InlineData(Fault.Malformed)]
    [InlineData(Fault.Truncated)]
    [InlineData(Fault.WrongClientId)]
    [InlineData(Fault.Oversized)]
    public void Untrusted_inquiry_answers_never_make_a_success(Fault fault)
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 1;
        rig.Server.Faults = c => c.Api == "inquiryPayment" ? fault : Fault.None;
        PaymentResult r = rig.Cpm(400);

        Assert.NotEqual(FinalStatus.Success, r.Status);
        Assert.Equal(FinalStatus.Cancelled, r.Status); // the cancel is trusted and returns the money
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
    }

    [Fact]
    public void Success_for_another_request_id_is_ignored()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        rig.Server.Override = c => c.Api == "inquiryPayment"
            ? WithStatus(FakeAntom.Result("S", "SUCCESS", "ok"), "OTHER0000000000001", "SUCCESS")
            : null;
        PaymentResult r = rig.Cpm(400);
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.True(rig.Log.Contains("another paymentRequestId"));
    }

    [Fact]
    public void Success_without_any_request_id_is_ignored()
    {
        var rig = new EngineRig();
        rig.Server.EchoRequestId = false;
        PaymentResult r = rig.Cpm(400);
        Assert.NotEqual(FinalStatus.Success, r.Status);
    }

    [Fact]
    public void Success_for_another_amount_is_untrusted()
    {
        var rig = new EngineRig();
        rig.Server.Override = c =>
        {
            if (c.Api != "pay")
            {
                return null;
            }

            var body = FakeAntom.Result("S", "SUCCESS", "ok");
            body["paymentRequestId"] = c.PaymentRequestId;
            body["paymentAmount"] = new System.Text.Json.Nodes.JsonObject { ["currency"] = "USD", ["value"] = "1" };
            return body;
        };
        rig.Server.Cpm = CpmBehaviour.PaidAtOnce;
        PaymentResult r = rig.Cpm(400);
        Assert.Equal(FinalStatus.Success, r.Status); // confirmed by the (correct) inquiry instead
        Assert.NotEmpty(rig.Server.CallsTo("inquiryPayment"));
        Assert.True(rig.Log.Contains("another amount"));
    }

    [Theory]
    [InlineData("Success")]
    [InlineData("success")]
    public void Payment_status_is_compared_case_insensitively(string status)
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.Override = c => c.Api == "inquiryPayment"
            ? WithStatus(FakeAntom.Result("S", "SUCCESS", "ok"), c.PaymentRequestId!, status)
            : null;
        Assert.Equal(FinalStatus.Success, rig.Cpm(400).Status);
    }

    [Theory]
    [InlineData("PAID")]
    [InlineData("")]
    [InlineData("SUCCESS ")]
    public void Unknown_payment_status_strings_are_unknown_never_success(string status)
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        rig.Server.Override = c => c.Api == "inquiryPayment"
            ? WithStatus(FakeAntom.Result("S", "SUCCESS", "ok"), c.PaymentRequestId!, status)
            : null;
        PaymentResult r = rig.Cpm(400);
        Assert.Equal(FinalStatus.Cancelled, r.Status);
    }

    [Fact]
    public void Throttled_polling_backs_off_and_recovers()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 1;
        int throttles = 3;
        rig.Server.Faults = c => c.Api == "inquiryPayment" && throttles-- > 0 ? Fault.Http429 : Fault.None;
        PaymentResult r = rig.Cpm(400);

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(new[] { 2000, 4000, 8000, 16000 }, rig.Sleeper.Sleeps.ToArray());
    }

    [Fact]
    public void Traffic_limit_result_code_backs_off_like_429()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        int throttles = 2;
        rig.Server.Override = c => c.Api == "inquiryPayment" && throttles-- > 0
            ? FakeAntom.Result("U", "REQUEST_TRAFFIC_EXCEED_LIMIT", "slow down")
            : null;
        Assert.Equal(FinalStatus.Success, rig.Cpm(400).Status);
        Assert.Equal(new[] { 2000, 4000, 8000 }, rig.Sleeper.Sleeps.ToArray());
    }

    [Fact]
    public void Duplicate_answer_replayed_instead_of_the_real_one_is_harmless()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 3;
        // The pay answer (U) is delivered again for the first inquiries: signed for another path, so untrusted.
        int replays = 2;
        rig.Server.Faults = c => c.Api == "inquiryPayment" && replays-- > 0 ? Fault.ReplayPrevious : Fault.None;
        PaymentResult r = rig.Cpm(400);
        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.True(rig.Log.Contains("untrusted"));
    }

    [Fact]
    public void Duplicate_processing_answers_keep_polling()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 2;
        int n = 0;
        rig.Server.Faults = c => c.Api == "inquiryPayment" && n++ is >= 1 and < 4 ? Fault.ReplayPrevious : Fault.None;
        Assert.Equal(FinalStatus.Success, rig.Cpm(400).Status);
    }

    [Fact]
    public void Device_clock_skew_does_not_break_signatures_or_budgets()
    {
        var rig = new EngineRig();
        rig.Clock.Wall -= 86_400_000L * 400; // device wall clock more than a year behind
        rig.Server.Faults = c => Fault.SkewedResponseTime;
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 2;
        Assert.Equal(FinalStatus.Success, rig.Cpm(400).Status);
        Assert.Equal(2, rig.Server.CallsTo("inquiryPayment").Count());
    }

    [Fact]
    public void Order_creation_unknown_three_times_is_closed_with_the_same_id()
    {
        var rig = new EngineRig();
        rig.Server.Faults = c => c.Api == "pay" ? Fault.TimeoutAfterSend : Fault.None;
        PaymentResult r = rig.Mpm(800);

        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(EngineCodes.Unresolved, r.ResultCode);
        Assert.Equal(3, rig.Server.CallsTo("pay").Count());
        Assert.Single(rig.Server.CallsTo("pay").Select(c => c.PaymentRequestId).Distinct());
        Assert.Equal("CANCELLED", rig.Server.Payments[r.RequestId].Status);
        Assert.DoesNotContain("qr", rig.Events.Events);
    }

    [Fact]
    public void Order_creation_retry_after_a_lost_answer_shows_the_same_order()
    {
        var rig = new EngineRig();
        int lost = 1;
        rig.Server.Faults = c => c.Api == "pay" && lost-- > 0 ? Fault.TimeoutAfterSend : Fault.None;
        PaymentResult r = rig.Mpm(800);

        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(2, rig.Server.CallsTo("pay").Count());
        Assert.Single(rig.Server.Payments);
    }

    [Fact]
    public void Cancel_answered_with_unknown_faults_is_retried_on_schedule()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        int bad = 3;
        rig.Server.Faults = c => c.Api == "cancel" && bad-- > 0 ? Fault.WrongSignature : Fault.None;
        PaymentResult r = rig.Cpm(400);
        Assert.Equal(FinalStatus.Cancelled, r.Status);
        Assert.Equal(4, rig.Server.CallsTo("cancel").Count());
    }

    internal static System.Text.Json.Nodes.JsonObject WithStatus(System.Text.Json.Nodes.JsonObject body, string requestId, string status)
    {
        body["paymentRequestId"] = requestId;
        body["paymentStatus"] = status;
        return body;
    }
}
