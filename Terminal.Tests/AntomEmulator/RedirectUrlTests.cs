using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>
/// paymentRedirectUrl: taken by Order Code pay (Antom's API reference lists it, URL, at most 2,048 characters), not kept
/// for payment-code pay (dropped in 2022), and where the simulated wallet sends the customer once the payment is done.
/// </summary>
public sealed class RedirectUrlTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public RedirectUrlTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    private EmulatorWallet Wallet => _session.Server.Wallet;

    [Fact]
    public async Task The_wallet_sends_the_customer_to_the_redirect_url_as_given_once_paid()
    {
        string id = Bodies.NewId("RD");
        var body = Bodies.OrderCodePay(id);
        body["paymentRedirectUrl"] = "https://shop.example/result/abc?x=1";
        var pay = await _session.PostAsync("pay", body);
        string code = pay.Get("orderCodeForm.codeDetails.0.codeValue")!;

        Assert.Null(pay.Get("paymentRedirectUrl")); // not part of the pay answer
        Assert.Null(Wallet.CustomerRedirectUrl(code)); // the customer has not finished
        Assert.Equal("https://shop.example/result/abc?x=1", _session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!.RedirectUrl);
        Assert.Equal(WalletResult.Completed, Wallet.PayOrderCode(code));
        Assert.Equal("https://shop.example/result/abc?x=1", Wallet.CustomerRedirectUrl(code));
    }

    [Fact]
    public async Task A_declined_customer_is_sent_there_too_but_not_after_expiry_or_without_a_url()
    {
        var declined = Bodies.OrderCodePay(Bodies.NewId("RD"));
        declined["paymentRedirectUrl"] = "https://shop.example/r/1";
        string declinedCode = (await _session.PostAsync("pay", declined)).Get("orderCodeForm.codeDetails.0.codeValue")!;
        Wallet.DeclineOrderCode(declinedCode);
        Assert.Equal("https://shop.example/r/1", Wallet.CustomerRedirectUrl(declinedCode));

        string plainCode = (await _session.PayWithOrderCodeAsync(Bodies.NewId("RD"))).Get("orderCodeForm.codeDetails.0.codeValue")!;
        Wallet.PayOrderCode(plainCode);
        Assert.Null(Wallet.CustomerRedirectUrl(plainCode));
        Assert.Null(Wallet.CustomerRedirectUrl("https://qr.emulator.local/281unknown"));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://shop.example/r")]
    [InlineData("/relative/path")]
    public async Task A_redirect_url_that_is_not_absolute_http_is_refused(string url)
    {
        var body = Bodies.OrderCodePay(Bodies.NewId("RD"));
        body["paymentRedirectUrl"] = url;
        var reply = await _session.PostAsync("pay", body);
        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains("paymentRedirectUrl", reply.ResultMessage);
    }

    [Fact]
    public async Task A_redirect_url_longer_than_2048_characters_is_refused()
    {
        var body = Bodies.OrderCodePay(Bodies.NewId("RD"));
        body["paymentRedirectUrl"] = "https://shop.example/" + new string('a', 2048);
        Assert.Equal("PARAM_ILLEGAL", (await _session.PostAsync("pay", body)).ResultCode);
    }

    [Fact]
    public async Task Payment_code_pay_checks_but_does_not_keep_it()
    {
        string id = Bodies.NewId("RD");
        var body = Bodies.UpmPay(id, Wallet.IssuePaymentCode());
        body["paymentRedirectUrl"] = "https://shop.example/r/2";
        Assert.Equal("SUCCESS", (await _session.PostAsync("pay", body)).ResultCode);
        Assert.Null(_session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!.RedirectUrl);
    }
}
