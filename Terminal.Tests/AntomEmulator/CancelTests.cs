using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>cancel: lifecycle to CANCELLED, window, reuse of cancelled ids.</summary>
public sealed class CancelTests : IClassFixture<ShortWindowsEmulator>
{
    private readonly EmulatorSession _session;

    public CancelTests(ShortWindowsEmulator shared)
    {
        _session = shared.Session;
    }

    [Fact]
    public async Task Cancelling_a_waiting_order_ends_it()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id);

        var cancel = await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = id });
        var inquiry = await _session.InquireAsync(id);
        var reuse = await _session.PayWithOrderCodeAsync(id);
        var scan = _session.Server.Wallet.PayOrderCode(pay.Get("orderCodeForm.codeDetails.0.codeValue")!);

        Assert.Equal("SUCCESS", cancel.ResultCode);
        Assert.Equal(pay.Get("paymentId"), cancel.Get("paymentId"));
        Assert.NotNull(cancel.Get("cancelTime"));
        Assert.Equal("CANCELLED", inquiry.Get("paymentStatus"));
        Assert.Equal("ORDER_IS_CANCELED", reuse.ResultCode);
        Assert.Equal(WalletResult.NotAwaitingCustomer, scan);
    }

    [Fact]
    public async Task Cancel_by_payment_id_is_idempotent()
    {
        var pay = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"));
        var body = new JsonObject { ["paymentId"] = pay.Get("paymentId") };

        var first = await _session.PostAsync("cancel", body);
        var second = await _session.PostAsync("cancel", body.DeepClone().AsObject());

        Assert.Equal("SUCCESS", first.ResultCode);
        Assert.Equal("SUCCESS", second.ResultCode);
        Assert.Equal(first.Get("cancelTime"), second.Get("cancelTime"));
    }

    [Fact]
    public async Task Cancelling_a_paid_payment_reverses_it_and_blocks_refunds()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithCodeAsync(id, "288888888888888888");

        var cancel = await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = id });
        var refund = await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), pay.Get("paymentId")!, "USD", "100"));

        Assert.Equal("SUCCESS", cancel.ResultCode);
        Assert.Equal(PaymentStatus.Cancelled, _session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!.Status);
        Assert.Equal("ORDER_IS_CANCELED", refund.ResultCode);
    }

    [Fact]
    public async Task Cancel_after_the_window_is_cancel_window_exceed()
    {
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, "288888888888888888");

        _session.Server.Clock.Advance(TimeSpan.FromMinutes(11));
        var cancel = await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = id });

        Assert.Equal("CANCEL_WINDOW_EXCEED", cancel.ResultCode);
        Assert.Equal("F", cancel.ResultStatus);
        Assert.Equal("SUCCESS", (await _session.InquireAsync(id)).Get("paymentStatus"));
    }

    [Fact]
    public async Task Refunded_payment_cannot_be_cancelled()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithCodeAsync(id, "288888888888888888");
        await _session.PostAsync("refund", Bodies.Refund(Bodies.NewId("RF"), pay.Get("paymentId")!, "USD", "100"));

        var cancel = await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = id });

        Assert.Equal("ORDER_STATUS_INVALID", cancel.ResultCode);
    }

    [Fact]
    public async Task Unknown_payment_is_order_not_exist()
    {
        var cancel = await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = "never-paid" });

        Assert.Equal("ORDER_NOT_EXIST", cancel.ResultCode);
        Assert.Equal("F", cancel.ResultStatus);
    }

    [Fact]
    public async Task Declined_payment_can_be_cancelled_so_cancel_retries_end()
    {
        string code = _session.Server.Wallet.IssuePaymentCode(PaymentCodeOutcome.Decline());
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, code);

        var cancel = await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = id });

        Assert.Equal("SUCCESS", cancel.ResultCode);
        Assert.Equal("CANCELLED", (await _session.InquireAsync(id)).Get("paymentStatus"));
    }
}
