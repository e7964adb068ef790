using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Replay and idempotency on both databases, with one gateway and with two gateways sharing one database (the
/// scale-out story: any instance answers, the database decides which one executes).
/// </summary>
public sealed class ReplayTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_same_signed_request_is_answered_from_the_record_not_re_executed(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-replay"));
        var first = await device.SendAsync(signed);
        var second = await device.SendAsync(signed);
        Assert.Equal("S", first.ResultStatus);
        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.Body, second.Body);
        Assert.True(second.SignatureValid);
        Assert.Equal(1, t.Antom.CallCount("pay"));
        Assert.Single(await t.Gateway.Store.ListTransactionsAsync());
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_replayed_rejection_is_answered_from_the_record_too(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync(maxAmount: 10);
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-limit", amount: 11));
        Assert.Equal("PAYMENT_AMOUNT_EXCEED_LIMIT", (await device.SendAsync(signed)).ResultCode);
        var again = await device.SendAsync(signed);
        Assert.True(again.Replayed);
        Assert.Equal("PAYMENT_AMOUNT_EXCEED_LIMIT", again.ResultCode);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Concurrent_copies_of_one_signed_request_execute_once(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        t.Antom.Script = _ => null; // default answers
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-burst"));
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => device.SendAsync(signed)));
        Assert.Equal(1, t.Antom.CallCount("pay"));
        Assert.All(replies, r => Assert.Equal(replies[0].Body, r.Body));
        Assert.Equal(7, replies.Count(r => r.Replayed));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_retry_with_a_new_Request_Time_is_a_new_request(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-again"), requestTime: now));
        var retry = await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-again"), requestTime: now + 1));
        Assert.False(retry.Replayed);
        Assert.Equal("S", retry.ResultStatus);
        Assert.Equal(2, t.Antom.CallCount("pay")); // Antom's own idempotency on paymentRequestId applies
        Assert.Equal(2, (await t.Gateway.Store.ListTransactionsAsync()).Count);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Two_gateways_on_one_database_execute_a_request_once(string provider)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var a = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-a", antom, database);
        await using var b = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-b", antom, database);
        var credentials = await a.Gateway.RegisterDeviceAsync("T0001");
        var onA = a.Device(credentials);
        var onB = b.Device(credentials);

        // Slow upstream, so the copies overlap in time on both instances.
        antom.Script = _ => new FakeReply(FakeAntom.Result("U", "PAYMENT_IN_PROCESS", "processing"), Delay: TimeSpan.FromMilliseconds(300));
        var signed = onA.Sign(Bodies.Pay, Bodies.Upm("P-two"));
        var replies = await Task.WhenAll(onA.SendAsync(signed), onB.SendAsync(signed), onA.SendAsync(signed), onB.SendAsync(signed));
        Assert.Equal(1, antom.CallCount("pay"));
        Assert.All(replies, r => Assert.Equal(("U", "PAYMENT_IN_PROCESS"), (r.ResultStatus, r.ResultCode)));
        Assert.All(replies, r => Assert.True(r.SignatureValid));
        Assert.Equal(3, replies.Count(r => r.Replayed));

        // A device registered through one instance, rotated through the other, works on both.
        var v2 = await b.Gateway.Devices.RotateKeyAsync("T0001");
        antom.Script = null;
        // Authenticated and forwarded: Antom's answer (the scripted pay never created the order there).
        Assert.Equal("ORDER_NOT_EXIST", (await b.Device(v2!).PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-two"))).ResultCode);
        Assert.Equal("KEY_NOT_FOUND", (await onA.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-two"))).ResultCode);

        var records = await a.Gateway.Store.ListTransactionsAsync();
        Assert.Equal(2, records.Count);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Two_gateways_share_notifications_and_payment_ownership(string provider)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var a = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-a", antom, database);
        await using var b = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-b", antom, database);
        var credentials = await a.Gateway.RegisterDeviceAsync("T0001");
        var other = await b.Gateway.RegisterDeviceAsync(new Terminal.Gateway.Devices.DeviceRegistration("T0002", ReferenceStoreId: "S009"));
        string paymentId = (await a.Device(credentials).PostAsync(Bodies.Pay, Bodies.OrderCode("P-shared")))["paymentId"]!;

        // Antom notifies instance B twice (a resend); the device then asks instance A.
        await antom.NotifyAsync(b.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-shared", paymentId));
        await antom.NotifyAsync(a.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-shared", paymentId));
        Assert.Single(await a.Gateway.Store.ListNotificationsAsync());
        Assert.Equal("SUCCESS", (await a.Device(credentials).PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-shared")))["paymentStatus"]);
        Assert.Equal(0, antom.CallCount("inquiryPayment"));
        Assert.Equal("ACCESS_DENIED", (await b.Device(other).PostAsync(Bodies.Cancel, Bodies.CancelBody("P-shared"))).ResultCode);
    }
}
