using System.Globalization;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>OrderCode (merchant-presented) and EntryCode payments: the code, its expiry, and the customer's actions.</summary>
public sealed class OrderCodeTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public OrderCodeTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    private EmulatorWallet Wallet => _session.Server.Wallet;

    [Fact]
    public async Task Pay_returns_an_order_code_url_and_the_payment_waits_for_the_customer()
    {
        string id = Bodies.NewId("PR");

        var pay = await _session.PayWithOrderCodeAsync(id);
        var inquiry = await _session.InquireAsync(id);

        Assert.Equal("SUCCESS", pay.ResultCode); // S = code created, not paid
        Assert.StartsWith("https://qr.emulator.local/281", pay.Get("orderCodeForm.codeDetails.0.codeValue"));
        Assert.Equal("QRCODE", pay.Get("orderCodeForm.codeDetails.0.codeValueType"));
        Assert.Equal("TEXT", pay.Get("orderCodeForm.codeDetails.0.displayType"));
        var created = DateTimeOffset.Parse(pay.Get("paymentCreateTime")!, CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse(pay.Get("orderCodeForm.expireTime")!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMinutes(15), expires - created);
        Assert.Equal("PROCESSING", inquiry.Get("paymentStatus"));
        Assert.Null(inquiry.Get("pspCustomerInfo")); // nobody scanned yet
    }

    [Fact]
    public async Task Customer_scans_and_pays()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id);
        string codeValue = pay.Get("orderCodeForm.codeDetails.0.codeValue")!;

        var result = Wallet.PayOrderCode(codeValue);
        var inquiry = await _session.InquireAsync(id);
        var again = await _session.PayWithOrderCodeAsync(id);

        Assert.Equal(WalletResult.Completed, result);
        Assert.Equal("SUCCESS", inquiry.Get("paymentStatus"));
        Assert.Equal("SUCCESS", inquiry.Get("paymentResultCode"));
        Assert.NotNull(inquiry.Get("paymentTime"));
        Assert.NotNull(inquiry.Get("pspCustomerInfo.pspCustomerId"));
        Assert.Equal(codeValue, again.Get("orderCodeForm.codeDetails.0.codeValue"));
        Assert.Equal(WalletResult.NotAwaitingCustomer, Wallet.PayOrderCode(codeValue));
    }

    [Fact]
    public async Task Customer_scans_and_the_wallet_declines()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id);

        var result = Wallet.DeclineOrderCode(pay.Get("orderCodeForm.codeDetails.0.codeValue")!, "USER_BALANCE_NOT_ENOUGH");
        var inquiry = await _session.InquireAsync(id);
        var again = await _session.PayWithOrderCodeAsync(id);

        Assert.Equal(WalletResult.Completed, result);
        Assert.Equal("FAIL", inquiry.Get("paymentStatus"));
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", inquiry.Get("paymentResultCode"));
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", again.ResultCode);
    }

    [Fact]
    public async Task Abandoned_code_stays_processing_then_closes_at_expiry()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id);
        string codeValue = pay.Get("orderCodeForm.codeDetails.0.codeValue")!;

        var abandoned = Wallet.AbandonOrderCode(codeValue);
        var before = await _session.InquireAsync(id);
        _session.Server.Clock.Advance(TimeSpan.FromMinutes(15));
        var after = await _session.InquireAsync(id);
        var retry = await _session.PayWithOrderCodeAsync(id);

        Assert.Equal(WalletResult.Completed, abandoned);
        Assert.Equal("PROCESSING", before.Get("paymentStatus"));
        Assert.NotNull(before.Get("pspCustomerInfo.pspCustomerId")); // scanned, never paid
        Assert.Equal("FAIL", after.Get("paymentStatus"));
        Assert.Equal("ORDER_IS_CLOSED", after.Get("paymentResultCode"));
        Assert.Equal("ORDER_IS_CLOSED", retry.ResultCode);
        Assert.Equal(WalletResult.Expired, Wallet.PayOrderCode(codeValue));
    }

    [Fact]
    public async Task Expiry_time_from_the_request_is_used()
    {
        string id = Bodies.NewId("PR");
        var expiry = _session.Server.Clock.GetUtcNow().AddMinutes(2);
        var body = Bodies.OrderCodePay(id);
        body["paymentExpiryTime"] = expiry.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

        var pay = await _session.PostAsync("pay", body);

        var expires = DateTimeOffset.Parse(pay.Get("orderCodeForm.expireTime")!, CultureInfo.InvariantCulture);
        Assert.Equal(expiry.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Entry_code_returns_a_redirect_action_form_the_customer_can_pay()
    {
        string id = Bodies.NewId("PR");
        var body = Bodies.OrderCodePay(id);
        body["paymentFactor"]!["inStorePaymentScenario"] = "EntryCode";

        var pay = await _session.PostAsync("pay", body);
        string url = pay.Get("redirectActionForm.redirectUrl")!;
        var result = Wallet.PayOrderCode(url);

        Assert.Equal("SCAN", pay.Get("redirectActionForm.method"));
        Assert.Equal(WalletResult.Completed, result);
        Assert.Equal("SUCCESS", (await _session.InquireAsync(id)).Get("paymentStatus"));
    }

    [Fact]
    public async Task Each_order_gets_its_own_code()
    {
        var first = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"));
        var second = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"));

        Assert.NotEqual(first.Get("orderCodeForm.codeDetails.0.codeValue"), second.Get("orderCodeForm.codeDetails.0.codeValue"));
        Assert.Equal(WalletResult.UnknownCode, Wallet.PayOrderCode("https://qr.emulator.local/281nothing"));
    }

    [Fact]
    public async Task Inquiry_by_payment_id_wins_over_request_id()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id);

        var byId = await _session.PostAsync("inquiryPayment", new JsonObject { ["paymentId"] = pay.Get("paymentId"), ["paymentRequestId"] = "other" });
        var wrongId = await _session.PostAsync("inquiryPayment", new JsonObject { ["paymentId"] = "nope", ["paymentRequestId"] = id });

        Assert.Equal(id, byId.Get("paymentRequestId"));
        Assert.Equal("ORDER_NOT_EXIST", wrongId.ResultCode);
    }
}
