using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Terminal.Gateway.Storage;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Terminal engine -> gateway -> Antom emulator, all over HTTPS on loopback: the payment flows a terminal runs, and
/// the gateway's rejections and failure handling seen through the real chain.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Cpm_payment_code_paid_at_once()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        string code = rig.Emulator.Wallet.IssuePaymentCode();
        var result = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 1250, "R-cpm", code).WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, result.Status);
        var payment = rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, result.RequestId)!;
        Assert.Equal((PaymentStatus.Success, code), (payment.Status, payment.PaymentMethodId));
        Assert.Equal(rig.Gateway.NotifyUrl, payment.NotifyUrl);
        var records = await rig.Gateway.Store.ListTransactionsAsync();
        Assert.Contains(records, r => r.Operation == "pay" && r.ResultCode == "SUCCESS" && r.UpstreamOutcome == UpstreamOutcomes.Ok);
    }

    [Fact]
    public async Task Cpm_with_wallet_confirmation_is_polled_to_success()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        string code = rig.Emulator.Wallet.IssuePaymentCode(PaymentCodeOutcome.RequiresConfirmation);
        var sale = terminal.SaleAsync(TransactionKind.SalePaymentCode, 800, "R-poll", code);
        await WaitUntil(async () => (await rig.Gateway.Store.ListTransactionsAsync()).Any(r => r.Operation == "inquiryPayment"));
        Assert.Equal(WalletResult.Completed, rig.Emulator.Wallet.ConfirmPaymentCode(code));
        var result = await sale.WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, result.Status);
        var records = await rig.Gateway.Store.ListTransactionsAsync();
        Assert.Equal("PAYMENT_IN_PROCESS", records.First(r => r.Operation == "pay").ResultCode);
        Assert.True(records.Count(r => r.Operation == "inquiryPayment") >= 1);
    }

    [Fact]
    public async Task Mpm_order_code_paid_by_the_customer_with_the_notification_recorded()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        var sale = terminal.SaleAsync(TransactionKind.SaleOrderCode, 2000, "R-mpm");
        string codeValue = await terminal.Events.QrShown.WaitAsync(Patience);
        Assert.Equal(WalletResult.Completed, rig.Emulator.Wallet.PayOrderCode(codeValue));
        var result = await sale.WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, result.Status);
        await WaitUntil(async () => (await rig.Gateway.Store.ListNotificationsAsync()).Count == 1);
        var notification = (await rig.Gateway.Store.ListNotificationsAsync()).Single();
        Assert.Equal((result.RequestId, "S"), (notification.PaymentRequestId, notification.ResultStatus));
        Assert.Equal("SUCCESS", (await rig.Gateway.Store.FindPaymentAsync(result.RequestId, null))!.Status);
        Assert.Contains(rig.Emulator.Records.Notifications(), n => n.Acknowledged);
    }

    [Fact]
    public async Task Mpm_abort_cancels_the_order()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        var sale = terminal.SaleAsync(TransactionKind.SaleOrderCode, 700, "R-abort");
        await terminal.Events.QrShown.WaitAsync(Patience);
        terminal.Engine.RequestAbort();
        var result = await sale.WaitAsync(Patience);
        Assert.Equal(FinalStatus.Cancelled, result.Status);
        Assert.Equal(PaymentStatus.Cancelled, rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, result.RequestId)!.Status);
        Assert.Contains(await rig.Gateway.Store.ListTransactionsAsync(), r => r.Operation == "cancel" && r.ResultStatus == "S");
        Assert.Equal("CANCELLED", (await rig.Gateway.Store.FindPaymentAsync(result.RequestId, null))!.Status);
    }

    [Fact]
    public async Task Void_cancels_a_paid_sale()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        var sale = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 990, "R-void", rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, sale.Status);
        var voided = await Task.Run(() => terminal.Engine.Void("R-void")).WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, voided.Status);
        Assert.Equal(PaymentStatus.Cancelled, rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, sale.RequestId)!.Status);
    }

    [Fact]
    public async Task Refund_then_inquiryRefund_until_settled()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        var sale = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 5000, "R-refund", rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, sale.Status);

        rig.Emulator.Wallet.DeferRefunds = true; // U/REFUND_IN_PROCESS until settled: the terminal must inquire
        var refund = Task.Run(() => terminal.Engine.Refund("R-refund", 1500));
        await WaitUntil(async () => (await rig.Gateway.Store.ListTransactionsAsync()).Any(r => r.Operation == "inquiryRefund"));
        var pending = rig.Emulator.Records.Refunds().Single();
        Assert.Equal(WalletResult.Completed, rig.Emulator.Wallet.SettleRefund(pending.RefundId, success: true));
        var result = await refund.WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, result.Status);
        Assert.Equal(1500, rig.Emulator.Records.Refunds().Single().Amount.Value);
        var stored = await rig.Gateway.Store.FindRefundAsync(null, pending.RefundId);
        Assert.Equal(("SUCCESS", "T0001", 1500L), (stored!.Status, stored.DeviceId, stored.AmountMinor));
    }

    [Fact]
    public async Task A_revoked_terminal_is_refused_and_nothing_reaches_Antom()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var credentials = await rig.RegisterAsync();
        var terminal = rig.NewTerminal(credentials);
        await rig.Gateway.Devices.RevokeAsync(credentials.DeviceId);
        var result = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 100, "R-revoked", rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.NotEqual(FinalStatus.Success, result.Status);
        Assert.Empty(rig.Emulator.Records.Payments());
        Assert.Contains("ACCESS_DENIED", terminal.Log.ToString());
    }

    [Fact]
    public async Task Forged_expired_and_replayed_requests_through_the_chain()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var credentials = await rig.RegisterAsync();
        var device = new TestDevice(rig.Http, rig.Gateway.BaseUri, credentials.DeviceId, credentials.KeyBytes);
        string code = rig.Emulator.Wallet.IssuePaymentCode();

        var forged = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-e2e", code: code), signKey: RandomNumberGenerator.GetBytes(32)));
        Assert.Equal("INVALID_SIGNATURE", forged.ResultCode);
        var expired = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-e2e", code: code), requestTime: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds()));
        Assert.Equal("PARAM_ILLEGAL", expired.ResultCode);
        Assert.Empty(rig.Emulator.Records.Payments());

        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-e2e", code: code));
        var first = await device.SendAsync(signed);
        var replay = await device.SendAsync(signed);
        Assert.Equal(("S", "SUCCESS"), (first.ResultStatus, first.ResultCode));
        Assert.True(replay.Replayed);
        Assert.Equal(first.Body, replay.Body);
        Assert.Single(rig.Emulator.Records.Payments());

        var stranger = new TestDevice(rig.Http, rig.Gateway.BaseUri, "T0666", RandomNumberGenerator.GetBytes(32));
        Assert.Equal("KEY_NOT_FOUND", (await stranger.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-e2e"))).ResultCode);
    }

    [Fact]
    public async Task An_upstream_answer_with_a_bad_signature_is_U_and_the_terminal_recovers_by_inquiry()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var credentials = await rig.RegisterAsync();
        rig.Emulator.Faults.Add(FaultRule.WrongSignature() with { Api = Terminal.AntomEmulator.AntomApi.Pay, Count = 1 });

        var device = new TestDevice(rig.Http, rig.Gateway.BaseUri, credentials.DeviceId, credentials.KeyBytes);
        var direct = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-badsig", code: rig.Emulator.Wallet.IssuePaymentCode()));
        Assert.Equal(("U", "UNKNOWN_EXCEPTION"), (direct.ResultStatus, direct.ResultCode));
        Assert.Contains("signature verification", direct.ResultMessage);
        Assert.Equal(UpstreamOutcomes.BadSignature, (await rig.Gateway.Store.ListTransactionsAsync()).Single().UpstreamOutcome);

        // Through the engine: the U leads to an inquiry, which finds the payment paid.
        rig.Emulator.Faults.Add(FaultRule.WrongSignature() with { Api = Terminal.AntomEmulator.AntomApi.Pay, Count = 1 });
        var terminal = rig.NewTerminal(credentials);
        var result = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 300, "R-badsig", rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, result.Status);
        var records = await rig.Gateway.Store.ListTransactionsAsync();
        Assert.Contains(records, r => r.PaymentRequestId == result.RequestId && r.Operation == "pay" && r.UpstreamOutcome == UpstreamOutcomes.BadSignature);
        Assert.Contains(records, r => r.PaymentRequestId == result.RequestId && r.Operation == "inquiryPayment" && r.ResultStatus == "S");
    }

    [Fact]
    public async Task A_resent_notification_is_kept_as_one_record()
    {
        await using var rig = await EndToEndRig.StartAsync();
        var terminal = rig.NewTerminal(await rig.RegisterAsync());
        var sale = terminal.SaleAsync(TransactionKind.SaleOrderCode, 1200, "R-dup");
        rig.Emulator.Wallet.PayOrderCode(await terminal.Events.QrShown.WaitAsync(Patience));
        Assert.Equal(FinalStatus.Success, (await sale.WaitAsync(Patience)).Status);
        await WaitUntil(async () => (await rig.Gateway.Store.ListNotificationsAsync()).Count == 1);

        // Antom resends a notification it believes unacknowledged: same body, new Request-Time, signed with its key.
        var original = (await rig.Gateway.Store.ListNotificationsAsync()).Single();
        string time = DateTimeOffset.UtcNow.AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:ssK");
        byte[] body = System.Text.Encoding.UTF8.GetBytes(original.Body);
        byte[] signature = Terminal.Gateway.Security.Rsa256.Sign(TestKeys.Antom, Terminal.Gateway.Security.SignContent.Build(new Uri(rig.Gateway.NotifyUrl).AbsolutePath, EndToEndRig.MerchantClientId, time, body));
        using var resend = new HttpRequestMessage(HttpMethod.Post, rig.Gateway.NotifyUrl) { Content = new ByteArrayContent(body) };
        resend.Headers.TryAddWithoutValidation("Client-Id", EndToEndRig.MerchantClientId);
        resend.Headers.TryAddWithoutValidation("Request-Time", time);
        resend.Headers.TryAddWithoutValidation("Signature", Terminal.Gateway.Security.SignatureHeader.Format("RSA256", 1, signature));
        using var ack = await rig.Http.SendAsync(resend);
        Assert.Equal("SUCCESS", (string?)JsonNode.Parse(await ack.Content.ReadAsStringAsync())!["result"]!["resultCode"]);

        var kept = Assert.Single(await rig.Gateway.Store.ListNotificationsAsync());
        Assert.Equal(1, kept.Duplicates);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }
}
