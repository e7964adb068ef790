using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>PaymentCode (user-presented) payments: code validation, outcomes, confirmation, expiry.</summary>
public sealed class PaymentCodeTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public PaymentCodeTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    private EmulatorWallet Wallet => _session.Server.Wallet;

    [Theory]
    [InlineData(PaymentCodeFormat.Mainstream24, 24, "25100102")]
    [InlineData(PaymentCodeFormat.Legacy17, 17, "28")]
    [InlineData(PaymentCodeFormat.Legacy18, 18, "28")]
    [InlineData(PaymentCodeFormat.Legacy19, 19, "289")]
    public async Task Issued_code_in_every_format_pays_at_once(PaymentCodeFormat format, int length, string prefix)
    {
        string code = Wallet.IssuePaymentCode(PaymentCodeOutcome.Success, format);
        string id = Bodies.NewId("PR");

        var pay = await _session.PayWithCodeAsync(id, code);
        var inquiry = await _session.InquireAsync(id);

        Assert.Equal(length, code.Length);
        Assert.StartsWith(prefix, code);
        Assert.Equal("SUCCESS", pay.ResultCode);
        Assert.Equal("S", pay.ResultStatus);
        Assert.NotNull(pay.Get("paymentId"));
        Assert.NotNull(pay.Get("paymentTime"));
        Assert.Equal("ALIPAYCN", pay.Get("pspCustomerInfo.pspName"));
        Assert.Equal("SUCCESS", inquiry.Get("paymentStatus"));
        Assert.Equal(pay.Get("paymentId"), inquiry.Get("paymentId"));
    }

    [Theory]
    [InlineData("288888888888888888")] // the SDK sample code
    [InlineData("2893612204263667830")] // Alipay+ 19-digit sample
    [InlineData("281010897274821897274821")] // CGCP sample
    [InlineData("123456020123456789012345")] // 24-digit, business type 02, any issuer
    [InlineData("3012345678901234")] // 16 digits, prefix 30
    public async Task Unissued_well_formed_codes_succeed_by_default(string code)
    {
        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), code);

        Assert.Equal("SUCCESS", pay.ResultCode);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567890123456")] // prefix 12
    [InlineData("28888888888888888a")]
    [InlineData("2888888888888888888888888")] // 25 digits
    [InlineData("123456780123456789012345")] // 24 digits, business type 78, prefix 12
    [InlineData("311234567890123456")] // prefix 31
    [InlineData("288888888888888")] // 15 digits
    public async Task Malformed_code_is_invalid_payment_code_and_the_payment_fails(string code)
    {
        string id = Bodies.NewId("PR");

        var pay = await _session.PayWithCodeAsync(id, code);
        var inquiry = await _session.InquireAsync(id);

        Assert.Equal("INVALID_PAYMENT_CODE", pay.ResultCode);
        Assert.Equal("F", pay.ResultStatus);
        Assert.Equal("FAIL", inquiry.Get("paymentStatus"));
        Assert.Equal("INVALID_PAYMENT_CODE", inquiry.Get("paymentResultCode"));
    }

    [Fact]
    public async Task Code_charged_after_its_lifetime_is_expired_code()
    {
        string code = Wallet.IssuePaymentCode(lifetime: TimeSpan.FromSeconds(60));
        _session.Server.Clock.Advance(TimeSpan.FromSeconds(61));

        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), code);

        Assert.Equal("EXPIRED_CODE", pay.ResultCode);
        Assert.Equal("F", pay.ResultStatus);
    }

    [Fact]
    public async Task Issued_code_is_single_use()
    {
        string code = Wallet.IssuePaymentCode();

        var first = await _session.PayWithCodeAsync(Bodies.NewId("PR"), code);
        var second = await _session.PayWithCodeAsync(Bodies.NewId("PR"), code);

        Assert.Equal("SUCCESS", first.ResultCode);
        Assert.Equal("INVALID_PAYMENT_CODE", second.ResultCode);
    }

    [Theory]
    [InlineData("USER_BALANCE_NOT_ENOUGH")]
    [InlineData("RISK_REJECT")]
    public async Task Declining_code_fails_at_once_with_its_result_code(string resultCode)
    {
        string code = Wallet.IssuePaymentCode(PaymentCodeOutcome.Decline(resultCode));
        string id = Bodies.NewId("PR");

        var pay = await _session.PayWithCodeAsync(id, code);
        var inquiry = await _session.InquireAsync(id);

        Assert.Equal(resultCode, pay.ResultCode);
        Assert.Equal("F", pay.ResultStatus);
        Assert.Equal("FAIL", inquiry.Get("paymentStatus"));
        Assert.Equal(resultCode, inquiry.Get("paymentResultCode"));
    }

    [Fact]
    public async Task Code_needing_confirmation_is_in_process_until_the_customer_confirms()
    {
        string code = Wallet.IssuePaymentCode(PaymentCodeOutcome.RequiresConfirmation);
        string id = Bodies.NewId("PR");

        var pay = await _session.PayWithCodeAsync(id, code);
        var waiting = await _session.InquireAsync(id);
        var confirmed = Wallet.ConfirmPaymentCode(code);
        var paid = await _session.InquireAsync(id);
        var again = await _session.PayWithCodeAsync(id, code);

        Assert.Equal("PAYMENT_IN_PROCESS", pay.ResultCode);
        Assert.Equal("U", pay.ResultStatus);
        Assert.NotNull(pay.Get("paymentId"));
        Assert.Equal("PROCESSING", waiting.Get("paymentStatus"));
        Assert.Equal(WalletResult.Completed, confirmed);
        Assert.Equal("SUCCESS", paid.Get("paymentStatus"));
        Assert.NotNull(paid.Get("paymentTime"));
        Assert.Equal("SUCCESS", again.ResultCode); // retrying pay pushes it to completion
        Assert.Equal(pay.Get("paymentId"), again.Get("paymentId"));
        Assert.Equal(WalletResult.NotAwaitingCustomer, Wallet.ConfirmPaymentCode(code));
    }

    [Fact]
    public async Task Customer_can_decline_while_confirming()
    {
        string code = Wallet.IssuePaymentCode(PaymentCodeOutcome.RequiresConfirmation);
        string id = Bodies.NewId("PR");

        await _session.PayWithCodeAsync(id, code);
        var declined = Wallet.DeclinePaymentCode(code, "USER_BALANCE_NOT_ENOUGH");
        var inquiry = await _session.InquireAsync(id);
        var retry = await _session.PayWithCodeAsync(id, code);

        Assert.Equal(WalletResult.Completed, declined);
        Assert.Equal("FAIL", inquiry.Get("paymentStatus"));
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", inquiry.Get("paymentResultCode"));
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", retry.ResultCode);
    }

    [Fact]
    public async Task Unconfirmed_payment_closes_at_its_expiry()
    {
        string code = Wallet.IssuePaymentCode(PaymentCodeOutcome.RequiresConfirmation);
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, code);

        _session.Server.Clock.Advance(new AntomEmulatorOptions().PaymentCodeConfirmationTimeout + TimeSpan.FromSeconds(1));
        var inquiry = await _session.InquireAsync(id);
        var retry = await _session.PayWithCodeAsync(id, code);

        Assert.Equal("FAIL", inquiry.Get("paymentStatus"));
        Assert.Equal("ORDER_IS_CLOSED", inquiry.Get("paymentResultCode"));
        Assert.Equal("ORDER_IS_CLOSED", retry.ResultCode);
        Assert.Equal(WalletResult.Expired, Wallet.ConfirmPaymentCode(code));
    }

    [Fact]
    public async Task Request_expiry_time_overrides_the_default()
    {
        string code = Wallet.IssuePaymentCode(PaymentCodeOutcome.RequiresConfirmation);
        string id = Bodies.NewId("PR");
        var body = Bodies.UpmPay(id, code);
        body["paymentExpiryTime"] = _session.Server.Clock.GetUtcNow().AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        await _session.PostAsync("pay", body);

        _session.Server.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(PaymentStatus.Fail, _session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!.Status);
    }

    [Fact]
    public void Wallet_reports_unknown_and_uncharged_codes()
    {
        Assert.Equal(WalletResult.UnknownCode, Wallet.ConfirmPaymentCode("289999999999999999"));
        Assert.Equal(WalletResult.NotAwaitingCustomer, Wallet.ConfirmPaymentCode(Wallet.IssuePaymentCode()));
        Assert.Throws<ArgumentException>(() => Wallet.DeclinePaymentCode("x", "not a code"));
    }

    [Fact]
    public async Task Outcome_of_unissued_codes_is_configurable()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.UnissuedPaymentCodeOutcome = PaymentCodeOutcome.Decline("USER_KYC_NOT_QUALIFIED"));

        var pay = await session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888");

        Assert.Equal("USER_KYC_NOT_QUALIFIED", pay.ResultCode);
    }

    [Fact]
    public async Task Generated_codes_repeat_for_the_same_seed()
    {
        await using var a = await EmulatorSession.StartAsync(o => o.Seed = 42);
        await using var b = await EmulatorSession.StartAsync(o => o.Seed = 42);

        Assert.Equal(a.Server.Wallet.IssuePaymentCode(), b.Server.Wallet.IssuePaymentCode());
        var payA = await a.PayWithOrderCodeAsync("SAME-ID");
        var payB = await b.PayWithOrderCodeAsync("SAME-ID");
        Assert.Equal(payA.Get("orderCodeForm.codeDetails.0.codeValue"), payB.Get("orderCodeForm.codeDetails.0.codeValue"));
    }
}
