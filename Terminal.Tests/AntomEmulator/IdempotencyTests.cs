using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>paymentRequestId and refundRequestId are idempotency keys (docs/antom-protocol.md section 4.1).</summary>
public sealed class IdempotencyTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public IdempotencyTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    [Fact]
    public async Task Repeated_pay_returns_the_same_payment()
    {
        string id = Bodies.NewId("PR");

        var first = await _session.PayWithCodeAsync(id, "288888888888888888");
        var second = await _session.PayWithCodeAsync(id, "288888888888888888");

        Assert.Equal("SUCCESS", second.ResultCode);
        Assert.Equal(first.Get("paymentId"), second.Get("paymentId"));
        Assert.Equal(first.Get("paymentTime"), second.Get("paymentTime"));
        Assert.Single(_session.Server.Records.Payments(), p => p.PaymentRequestId == id);
    }

    [Theory]
    [InlineData("USD", "999", "288888888888888888")]
    [InlineData("EUR", "1250", "288888888888888888")]
    [InlineData("USD", "1250", "288888888888888889")]
    public async Task Same_id_with_different_key_fields_is_repeat_req_inconsistent(string currency, string value, string code)
    {
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, "288888888888888888", "USD", "1250");

        var clash = await _session.PayWithCodeAsync(id, code, currency, value);

        Assert.Equal("REPEAT_REQ_INCONSISTENT", clash.ResultCode);
        Assert.Equal("F", clash.ResultStatus);
        var record = _session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!;
        Assert.Equal(new AntomAmount("USD", 1250), record.Amount);
        Assert.Equal(PaymentStatus.Success, record.Status);
    }

    [Fact]
    public async Task Same_id_in_another_scenario_is_repeat_req_inconsistent()
    {
        string id = Bodies.NewId("PR");
        await _session.PayWithOrderCodeAsync(id);

        var clash = await _session.PayWithCodeAsync(id, "288888888888888888");

        Assert.Equal("REPEAT_REQ_INCONSISTENT", clash.ResultCode);
    }

    [Fact]
    public async Task Repeated_decline_returns_the_same_failure()
    {
        string code = _session.Server.Wallet.IssuePaymentCode(PaymentCodeOutcome.Decline());
        string id = Bodies.NewId("PR");

        var first = await _session.PayWithCodeAsync(id, code);
        var second = await _session.PayWithCodeAsync(id, code);

        Assert.Equal("USER_BALANCE_NOT_ENOUGH", first.ResultCode);
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", second.ResultCode);
    }

    [Fact]
    public async Task Request_ids_are_scoped_per_client()
    {
        const string otherClient = "IDEMPOTENCY_OTHER";
        _session.Server.RegisterClient(otherClient, TestKeys.PublicOf(TestKeys.SecondMerchant));
        using var other = _session.NewClient(otherClient, TestKeys.SecondMerchant);
        string id = Bodies.NewId("PR");

        var mine = await _session.PayWithCodeAsync(id, "288888888888888888");
        var theirs = await other.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888", value: "5"));
        var theirInquiryOfMine = await other.PostAsync("inquiryPayment", new System.Text.Json.Nodes.JsonObject { ["paymentId"] = mine.Get("paymentId") });

        Assert.Equal("SUCCESS", theirs.ResultCode);
        Assert.NotEqual(mine.Get("paymentId"), theirs.Get("paymentId"));
        Assert.Equal("ORDER_NOT_EXIST", theirInquiryOfMine.ResultCode);
    }

    [Fact]
    public async Task Concurrent_duplicates_create_one_payment()
    {
        string id = Bodies.NewId("PR");

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _session.PayWithOrderCodeAsync(id)));

        Assert.All(replies, r => Assert.Equal("SUCCESS", r.ResultCode));
        Assert.Single(replies.Select(r => r.Get("paymentId")).Distinct());
        Assert.Single(_session.Server.Records.Payments(), p => p.PaymentRequestId == id);
    }

    [Fact]
    public async Task Repeated_refund_returns_the_same_refund_and_refunds_once()
    {
        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", "USD", "1000");
        string paymentId = pay.Get("paymentId")!;
        string refundRequestId = Bodies.NewId("RF");

        var first = await _session.PostAsync("refund", Bodies.Refund(refundRequestId, paymentId, "USD", "600"));
        var second = await _session.PostAsync("refund", Bodies.Refund(refundRequestId, paymentId, "USD", "600"));
        var clash = await _session.PostAsync("refund", Bodies.Refund(refundRequestId, paymentId, "USD", "100"));

        Assert.Equal("SUCCESS", second.ResultCode);
        Assert.Equal(first.Get("refundId"), second.Get("refundId"));
        Assert.Equal("REPEAT_REQ_INCONSISTENT", clash.ResultCode);
        Assert.Equal(600, _session.Server.Records.FindPaymentById(paymentId)!.RefundedValue);
    }
}
