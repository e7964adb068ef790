using System.Text.Json;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>notifyPayment: signed delivery to paymentNotifyUrl, retries until the acknowledgement, what is notified.</summary>
public sealed class NotifyTests : IClassFixture<SharedEmulator>, IAsyncLifetime
{
    private readonly EmulatorSession _session;
    private NotifyReceiver _receiver = null!;

    public NotifyTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    public async Task InitializeAsync() => _receiver = await NotifyReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Paid_order_is_notified_once_with_a_valid_signature_over_the_notify_path()
    {
        string id = Bodies.NewId("PR");
        var pay = await _session.PayWithOrderCodeAsync(id, notifyUrl: _receiver.Url("/antom/notify?shop=1"));
        _session.Server.Wallet.PayOrderCode(pay.Get("orderCodeForm.codeDetails.0.codeValue")!);

        var notification = await _receiver.NextAsync();
        var record = await WaitForNotificationAsync(pay.Get("paymentId")!, NotificationState.Delivered);

        Assert.Equal("/antom/notify", notification.Path);
        Assert.Equal(EmulatorSession.ClientId, notification.ClientId);
        Assert.True(TestSigner.Verify(_session.Server.AntomPublicKey,
            TestSigner.Content("/antom/notify", notification.ClientId!, notification.RequestTime!, notification.Body), notification.Signature));
        using var body = JsonDocument.Parse(notification.Body);
        Assert.Equal("PAYMENT_RESULT", body.RootElement.GetProperty("notifyType").GetString());
        Assert.Equal("SUCCESS", body.RootElement.GetProperty("result").GetProperty("resultCode").GetString());
        Assert.Equal("S", body.RootElement.GetProperty("result").GetProperty("resultStatus").GetString());
        Assert.Equal(id, body.RootElement.GetProperty("paymentRequestId").GetString());
        Assert.Equal(NotificationState.Delivered, record.Notification);
        Assert.Single(_session.Server.Records.Notifications(), n => n.PaymentId == record.PaymentId);
    }

    [Fact]
    public async Task Unacknowledged_notification_is_retried_until_the_documented_acknowledgement()
    {
        _receiver.Script.Enqueue((500, "oops"));
        _receiver.Script.Enqueue((200, "{\"ok\":true}"));
        _receiver.Script.Enqueue((200, "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"F\"}}"));
        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", notifyUrl: _receiver.Url("/notify"));

        await WaitForNotificationAsync(pay.Get("paymentId")!, NotificationState.Delivered);
        var attempts = _session.Server.Records.Notifications().Where(n => n.PaymentId == pay.Get("paymentId")).ToList();

        Assert.Equal(new[] { 1, 2, 3, 4 }, attempts.Select(a => a.Attempt));
        Assert.Equal(new int?[] { 500, 200, 200, 200 }, attempts.Select(a => a.HttpStatus));
        Assert.Equal(new[] { false, false, false, true }, attempts.Select(a => a.Acknowledged));
        for (int i = 0; i < 4; i++)
        {
            await _receiver.NextAsync();
        }

        Assert.False(_receiver.TryTake(out _));
    }

    [Fact]
    public async Task Emulator_gives_up_after_the_last_retry()
    {
        for (int i = 0; i < 4; i++)
        {
            _receiver.Script.Enqueue((503, "down"));
        }

        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", notifyUrl: _receiver.Url("/notify"));

        var record = await WaitForNotificationAsync(pay.Get("paymentId")!, NotificationState.GaveUp);
        Assert.Equal(4, _session.Server.Records.Notifications().Count(n => n.PaymentId == record.PaymentId)); // 1 + 3 retries
    }

    [Fact]
    public async Task Unreachable_receiver_counts_as_a_failed_attempt()
    {
        var pay = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", notifyUrl: "http://127.0.0.1:1/notify");

        await WaitForNotificationAsync(pay.Get("paymentId")!, NotificationState.GaveUp);
        var attempts = _session.Server.Records.Notifications().Where(n => n.PaymentId == pay.Get("paymentId")).ToList();

        Assert.All(attempts, a => Assert.Null(a.HttpStatus));
        Assert.All(attempts, a => Assert.NotNull(a.Error));
    }

    [Fact]
    public async Task Declined_order_is_notified_as_a_failure()
    {
        var pay = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"), notifyUrl: _receiver.Url("/notify"));
        _session.Server.Wallet.DeclineOrderCode(pay.Get("orderCodeForm.codeDetails.0.codeValue")!, "USER_BALANCE_NOT_ENOUGH");

        var notification = await _receiver.NextAsync();

        using var body = JsonDocument.Parse(notification.Body);
        Assert.Equal("USER_BALANCE_NOT_ENOUGH", body.RootElement.GetProperty("result").GetProperty("resultCode").GetString());
        Assert.Equal("F", body.RootElement.GetProperty("result").GetProperty("resultStatus").GetString());
    }

    [Fact]
    public async Task Expired_order_is_notified_as_closed()
    {
        var pay = await _session.PayWithOrderCodeAsync(Bodies.NewId("PR"), notifyUrl: _receiver.Url("/notify"));

        _session.Server.Clock.Advance(TimeSpan.FromMinutes(16)); // no inquiry: the emulator closes it by itself
        var notification = await _receiver.NextAsync();

        using var body = JsonDocument.Parse(notification.Body);
        Assert.Equal(pay.Get("paymentId"), body.RootElement.GetProperty("paymentId").GetString());
        Assert.Equal("ORDER_IS_CLOSED", body.RootElement.GetProperty("result").GetProperty("resultCode").GetString());
    }

    [Fact]
    public async Task Failure_answered_by_pay_itself_is_not_notified()
    {
        string code = _session.Server.Wallet.IssuePaymentCode(PaymentCodeOutcome.Decline());
        string id = Bodies.NewId("PR");
        await _session.PayWithCodeAsync(id, code, notifyUrl: _receiver.Url("/notify"));

        Assert.Equal(NotificationState.None, _session.Server.Records.FindPayment(EmulatorSession.ClientId, id)!.Notification);
    }

    [Fact]
    public async Task Failures_are_not_notified_when_switched_off()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.NotifyFailures = false);
        var pay = await session.PayWithOrderCodeAsync(Bodies.NewId("PR"), notifyUrl: _receiver.Url("/notify"));

        session.Server.Wallet.DeclineOrderCode(pay.Get("orderCodeForm.codeDetails.0.codeValue")!);

        Assert.Equal(NotificationState.None, session.Server.Records.FindPaymentById(pay.Get("paymentId")!)!.Notification);
    }

    private async Task<PaymentRecord> WaitForNotificationAsync(string paymentId, NotificationState state)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var record = _session.Server.Records.FindPaymentById(paymentId)!;
            if (record.Notification == state)
            {
                return record;
            }

            await Task.Delay(10, timeout.Token);
        }
    }
}
