using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>refund and inquiryRefund: full, partial, multiple, limits, window, deferred settlement, currency exponents.</summary>
public sealed class RefundTests : IClassFixture<ShortWindowsEmulator>
{
    private readonly EmulatorSession _session;

    public RefundTests(ShortWindowsEmulator shared)
    {
        _session = shared.Session;
    }

    private async Task<string> PaidAsync(string currency = "USD", string value = "1000")
    {
        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", currency, value);
        Assert.Equal("SUCCESS", pay.ResultCode);
        return pay.Get("paymentId")!;
    }

    [Fact]
    public async Task Full_refund_succeeds_and_inquiry_finds_it_by_either_id()
    {
        string paymentId = await PaidAsync();
        string refundRequestId = Bodies.NewId("RF");

        var refund = await _session.PostAsync("refund", Bodies.Refund(refundRequestId, paymentId, "USD", "1000"));
        var byRequestId = await _session.PostAsync("inquiryRefund", new JsonObject { ["refundRequestId"] = refundRequestId });
        var byRefundId = await _session.PostAsync("inquiryRefund", new JsonObject { ["refundId"] = refund.Get("refundId") });

        Assert.Equal("SUCCESS", refund.ResultCode);
        Assert.Equal(paymentId, refund.Get("paymentId"));
        Assert.NotNull(refund.Get("refundTime"));
        Assert.Equal("SUCCESS", byRequestId.Get("refundStatus"));
        Assert.Equal("1000", byRequestId.Get("refundAmount.value"));
        Assert.Equal(refund.Get("refundId"), byRefundId.Get("refundId"));
        Assert.Equal(1000, _session.Server.Records.FindPaymentById(paymentId)!.RefundedValue);
    }

    [Fact]
    public async Task Partial_refunds_add_up_to_the_paid_amount_and_no_further()
    {
        string paymentId = await PaidAsync(value: "1000");

        var first = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "300"));
        var second = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "300"));
        var tooMuch = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "401"));
        var rest = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "400"));
        var oneMore = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "1"));
        var inquiry = await _session.PostAsync("inquiryPayment", new JsonObject { ["paymentId"] = paymentId });

        Assert.Equal("SUCCESS", first.ResultCode);
        Assert.Equal("SUCCESS", second.ResultCode);
        Assert.Equal("REFUND_AMOUNT_EXCEED", tooMuch.ResultCode);
        Assert.Equal("SUCCESS", rest.ResultCode);
        Assert.Equal("REFUND_AMOUNT_EXCEED", oneMore.ResultCode);
        Assert.Equal("REFUND", inquiry.Get("transactions.2.transactionType"));
        Assert.Null(inquiry.Get("transactions.3"));
    }

    [Fact]
    public async Task Refund_after_the_window_is_refund_window_exceed()
    {
        string paymentId = await PaidAsync();

        _session.Server.Clock.Advance(TimeSpan.FromDays(2));
        var refund = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "10"));

        Assert.Equal("REFUND_WINDOW_EXCEED", refund.ResultCode);
    }

    [Fact]
    public async Task Only_successful_payments_can_be_refunded()
    {
        var expired = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"));
        _session.Server.Clock.Advance(TimeSpan.FromMinutes(15));
        var waiting = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"));

        var closed = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), expired.Get("paymentId")!, "USD", "1"));
        var processing = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), waiting.Get("paymentId")!, "USD", "1"));
        var unknown = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), "NO_SUCH_PAYMENT", "USD", "1"));

        Assert.Equal("ORDER_IS_CLOSED", closed.ResultCode);
        Assert.Equal("ORDER_STATUS_INVALID", processing.ResultCode);
        Assert.Equal("ORDER_NOT_EXIST", unknown.ResultCode);
    }

    [Fact]
    public async Task Refund_currency_must_match_the_payment()
    {
        string paymentId = await PaidAsync();

        var refund = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "EUR", "10"));

        Assert.Equal("PARAM_ILLEGAL", refund.ResultCode);
        Assert.Contains("refundAmount.currency", refund.ResultMessage);
    }

    [Fact]
    public async Task Deferred_refund_is_in_process_until_settled_and_holds_its_amount()
    {
        string paymentId = await PaidAsync(value: "1000");
        _session.Server.Wallet.DeferRefunds = true;
        try
        {
            string settledId = Bodies.NewId("RF");
            var first = await _session.PostAsync("refund", Bodies.Refund(settledId, paymentId, "USD", "700"));
            var over = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "400"));
            var processing = await _session.PostAsync("inquiryRefund", new JsonObject { ["refundRequestId"] = settledId });
            var settle = _session.Server.Wallet.SettleRefund(first.Get("refundId")!, success: true);
            var done = await _session.PostAsync("inquiryRefund", new JsonObject { ["refundRequestId"] = settledId });

            var failing = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "300"));
            _session.Server.Wallet.SettleRefund(failing.Get("refundId")!, success: false);
            var failed = await _session.PostAsync("inquiryRefund", new JsonObject { ["refundId"] = failing.Get("refundId") });
            var freed = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), paymentId, "USD", "300"));

            Assert.Equal("REFUND_IN_PROCESS", first.ResultCode);
            Assert.Equal("U", first.ResultStatus);
            Assert.Equal("REFUND_AMOUNT_EXCEED", over.ResultCode);
            Assert.Equal("PROCESSING", processing.Get("refundStatus"));
            Assert.Equal(WalletResult.Completed, settle);
            Assert.Equal("SUCCESS", done.Get("refundStatus"));
            Assert.NotNull(done.Get("refundTime"));
            Assert.Equal("FAIL", failed.Get("refundStatus"));
            Assert.Equal("REFUND_IN_PROCESS", freed.ResultCode);
            Assert.Equal(WalletResult.NotAwaitingCustomer, _session.Server.Wallet.SettleRefund(first.Get("refundId")!, true));
        }
        finally
        {
            _session.Server.Wallet.DeferRefunds = false;
        }
    }

    [Fact]
    public async Task Unknown_refund_is_refund_not_exist()
    {
        var inquiry = await _session.PostAsync("inquiryRefund", new JsonObject { ["refundRequestId"] = "never" });

        Assert.Equal("REFUND_NOT_EXIST", inquiry.ResultCode);
        Assert.Equal("F", inquiry.ResultStatus);
    }

    [Fact]
    public async Task Wallet_without_multiple_refunds_allows_one()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.AllowMultipleRefunds = false);
        var pay = await session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", "USD", "1000");

        var first = await session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), pay.Get("paymentId")!, "USD", "100"));
        var second = await session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), pay.Get("paymentId")!, "USD", "100"));

        Assert.Equal("SUCCESS", first.ResultCode);
        Assert.Equal("MULTIPLE_REFUNDS_NOT_SUPPORTED", second.ResultCode);
    }

    [Theory]
    // USD 1.00 in the wallet currency with the documented fixed rates: JPY has no minor unit, KWD has three.
    [InlineData("JPY", "149")]
    [InlineData("KWD", "308")]
    [InlineData("USD", "100")]
    public async Task Wallet_amount_respects_currency_exponents(string walletCurrency, string expected)
    {
        await using var session = await EmulatorSession.StartAsync(o => o.WalletCurrency = walletCurrency);

        var pay = await session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", "USD", "100");

        Assert.Equal(walletCurrency, pay.Get("actualPaymentAmount.currency"));
        Assert.Equal(expected, pay.Get("actualPaymentAmount.value"));
        Assert.Equal(walletCurrency == "USD", pay.Get("paymentQuote") == null);
    }
}
