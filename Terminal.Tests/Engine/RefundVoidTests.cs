using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class RefundVoidTests
{
    [Fact]
    public void Full_refund_of_the_last_sale()
    {
        var rig = new EngineRig();
        PaymentResult sale = rig.Cpm(1000, "R1");
        PaymentResult refund = rig.Engine.Refund("R1", 0);

        Assert.Equal(FinalStatus.Success, refund.Status);
        Assert.Equal(TransactionKind.Refund, refund.Kind);
        Assert.Equal(1000, refund.AmountMinor);
        Assert.Equal(sale.PaymentId, refund.PaymentId);
        Assert.Equal("Refunded", refund.Reason);
        Assert.Equal(1000, rig.Server.Payments[sale.RequestId].Refunded);
        Assert.Equal(1000, rig.Engine.FindByReference("R1")!.RefundedMinor);
        Call call = rig.Server.CallsTo("refund").Single();
        Assert.Equal(refund.RequestId, call.RefundRequestId);
        Assert.Matches("^[A-Za-z0-9]{1,64}$", refund.RequestId);
    }

    [Fact]
    public void Partial_refunds_up_to_the_paid_amount()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "R2");
        Assert.Equal(FinalStatus.Success, rig.Engine.Refund("R2", 300).Status);
        Assert.Equal(FinalStatus.Success, rig.Engine.Refund("R2", 700).Status);
        PaymentResult tooMuch = rig.Engine.Refund("R2", 1);
        Assert.Equal(EngineCodes.InvalidRequest, tooMuch.ResultCode);
        Assert.Equal(2, rig.Server.CallsTo("refund").Count());
    }

    [Fact]
    public void Refund_in_process_is_inquired_until_final()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "R3");
        rig.Server.RefundInProcess = true;
        rig.Server.PollsUntilPaid = 3;
        PaymentResult r = rig.Engine.Refund("R3", 0);
        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Equal(3, rig.Server.CallsTo("inquiryRefund").Count());
        Assert.Single(rig.Server.CallsTo("refund"));
    }

    [Fact]
    public void Refund_that_never_arrived_is_sent_again_with_the_same_id_and_amount()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "R4");
        int lost = 1;
        rig.Server.Faults = c => c.Api == "refund" && lost-- > 0 ? Fault.Http500NotProcessed : Fault.None;
        PaymentResult r = rig.Engine.Refund("R4", 250);
        Assert.Equal(FinalStatus.Success, r.Status);
        Call[] refunds = rig.Server.CallsTo("refund").ToArray();
        Assert.Single(refunds); // the lost one never reached the server
        Assert.Equal("250", refunds[0].Amount);
        Assert.NotEmpty(rig.Server.CallsTo("inquiryRefund"));
    }

    [Fact]
    public void Refund_answer_lost_after_processing_is_confirmed_by_inquiry()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "R5");
        rig.Server.Faults = c => c.Api == "refund" ? Fault.TimeoutAfterSend : Fault.None;
        PaymentResult r = rig.Engine.Refund("R5", 0);
        Assert.Equal(FinalStatus.Success, r.Status);
        Assert.Single(rig.Server.CallsTo("refund"));
        Assert.Single(rig.Server.Refunds);
    }

    [Fact]
    public void Refund_never_confirmed_needs_review()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "R6");
        rig.Server.Faults = c => c.Api is "refund" or "inquiryRefund" ? Fault.TimeoutAfterSend : Fault.None;
        PaymentResult r = rig.Engine.Refund("R6", 0);
        Assert.Equal(FinalStatus.NeedsReview, r.Status);
        Assert.Equal(EngineCodes.RefundUnconfirmed, r.ResultCode);
        Assert.Equal(0, rig.Engine.FindByReference("R6")!.RefundedMinor);
    }

    [Theory]
    [InlineData("REFUND_WINDOW_EXCEED")]
    [InlineData("MULTIPLE_REFUNDS_NOT_SUPPORTED")]
    [InlineData("REFUND_AMOUNT_EXCEED")]
    public void Refund_refusals_are_final_with_their_reason(string code)
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "R7");
        rig.Server.RefundFailCode = code;
        PaymentResult r = rig.Engine.Refund("R7", 0);
        Assert.Equal(FinalStatus.Failed, r.Status);
        Assert.Equal(code, r.ResultCode);
        Assert.Equal(ResultTable.ReasonAt(ResultTable.Find(code)), r.Reason);
    }

    [Fact]
    public void Refund_of_an_unpaid_or_unknown_sale_is_refused_without_network()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.Fails;
        rig.Cpm(1000, "R8");
        int calls = rig.Server.Calls.Count;
        Assert.Equal(EngineCodes.NotRefundable, rig.Engine.Refund("R8", 0).ResultCode);
        Assert.Equal(EngineCodes.NotFound, rig.Engine.Refund("nope", 0).ResultCode);
        Assert.Equal(calls, rig.Server.Calls.Count);
    }

    [Fact]
    public void Void_of_a_paid_sale_cancels_it()
    {
        var rig = new EngineRig();
        PaymentResult sale = rig.Cpm(1000, "V1");
        PaymentResult v = rig.Engine.Void("V1");
        Assert.Equal(FinalStatus.Success, v.Status);
        Assert.Equal(TransactionKind.Void, v.Kind);
        Assert.Equal(sale.RequestId, v.RequestId);
        Assert.Equal("CANCELLED", rig.Server.Payments[sale.RequestId].Status);
        Assert.True(rig.Engine.FindByReference("V1")!.Voided);
        Assert.Equal(EngineCodes.NotVoidable, rig.Engine.Void("V1").ResultCode);
        Assert.Equal(EngineCodes.NotRefundable, rig.Engine.Refund("V1", 0).ResultCode);
    }

    [Fact]
    public void Void_too_late_suggests_a_refund()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "V2");
        rig.Server.CancelRefusal = "CANCEL_WINDOW_EXCEED";
        PaymentResult v = rig.Engine.Void("V2");
        Assert.Equal(FinalStatus.Failed, v.Status);
        Assert.True(v.SuggestRefund);
        Assert.Equal("Too late to cancel: refund instead", v.Reason);
        Assert.Equal(FinalStatus.Success, rig.Engine.Refund("V2", 0).Status);
    }

    [Fact]
    public void Void_of_a_sale_needing_review_closes_it_and_allows_a_new_attempt()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = -1;
        rig.Server.CancelNeverAnswers = true;
        Assert.Equal(FinalStatus.NeedsReview, rig.Cpm(1000, "V3").Status);

        rig.Server.CancelNeverAnswers = false;
        Assert.Equal(FinalStatus.Success, rig.Engine.Void("V3").Status);
        Assert.Equal(FinalStatus.Cancelled, rig.Engine.FindByReference("V3")!.Status);

        rig.Server.Cpm = CpmBehaviour.PaidAtOnce;
        Assert.Equal(FinalStatus.Success, rig.Cpm(1000, "V3").Status);
        Assert.Equal(2, rig.Server.CallsTo("pay").Select(c => c.PaymentRequestId).Distinct().Count());
    }

    [Fact]
    public void Void_whose_cancel_never_confirms_needs_review()
    {
        var rig = new EngineRig();
        rig.Cpm(1000, "V4");
        rig.Server.CancelNeverAnswers = true;
        Assert.Equal(FinalStatus.NeedsReview, rig.Engine.Void("V4").Status);
    }

    [Fact]
    public void Void_answered_nothing_to_cancel_for_a_paid_sale_needs_review()
    {
        var rig = new EngineRig();
        PaymentResult sale = rig.Cpm(1000, "V5");
        rig.Server.Payments.Remove(sale.RequestId);
        Assert.Equal(FinalStatus.NeedsReview, rig.Engine.Void("V5").Status);
        Assert.False(rig.Engine.FindByReference("V5")!.Voided);
    }
}
