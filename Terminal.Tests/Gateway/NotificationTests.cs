using System.Net;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>notifyPayment: verification, acknowledgement, duplicates, and inquiries answered from a final notification.</summary>
public sealed class NotificationTests
{
    private const string Ack = "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}";

    [Fact]
    public async Task A_verified_notification_is_recorded_and_acknowledged()
    {
        await using var t = await TestGateway.StartAsync();
        var response = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-n1", "2026000000000001"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Ack, await response.Content.ReadAsStringAsync());
        var n = Assert.Single(await t.Gateway.Store.ListNotificationsAsync());
        Assert.Equal(("PAYMENT_RESULT", "P-n1", "2026000000000001", "S", "SUCCESS"), (n.NotifyType, n.PaymentRequestId, n.PaymentId, n.ResultStatus, n.ResultCode));
        Assert.Equal(1, t.Gateway.Metrics.NotificationCount("recorded"));
    }

    [Fact]
    public async Task A_duplicate_notification_is_acknowledged_and_kept_as_one_record()
    {
        await using var t = await TestGateway.StartAsync();
        string body = FakeAntom.NotificationBody("P-dup", "2026000000000002");
        for (int i = 0; i < 3; i++)
        {
            var response = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, body, requestTime: (1_700_000_000_000L + i).ToString());
            Assert.Equal(Ack, await response.Content.ReadAsStringAsync());
        }
        var n = Assert.Single(await t.Gateway.Store.ListNotificationsAsync());
        Assert.Equal(2, n.Duplicates);
        Assert.Equal(2, t.Gateway.Metrics.NotificationCount("duplicate"));
    }

    [Fact]
    public async Task A_notification_with_a_bad_signature_is_refused_and_not_recorded()
    {
        await using var t = await TestGateway.StartAsync();
        var forged = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-f", "1"), key: TestKeys.Stranger);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("INVALID_SIGNATURE", await forged.Content.ReadAsStringAsync());
        var otherClient = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-f", "1"), clientId: "SANDBOX_SOMEONEELSE");
        Assert.Equal(HttpStatusCode.Unauthorized, otherClient.StatusCode);
        Assert.Empty(await t.Gateway.Store.ListNotificationsAsync());
        Assert.Equal(2, t.Gateway.Metrics.NotificationCount("invalid_signature"));
    }

    [Fact]
    public async Task The_signature_covers_the_path_of_the_public_notify_url()
    {
        // Behind a reverse proxy that maps https://pay.example/gw/ to the gateway, Antom signs over /gw/notify/antom.
        await using var t = await TestGateway.StartAsync(configure: o => o.PublicBaseUrl = "https://pay.example/gw/");
        Assert.Equal("https://pay.example/gw/notify/antom", t.Gateway.NotifyUrl);
        var localUrl = new Uri(t.Gateway.BaseUri, "/notify/antom").ToString();
        var signedForPublicPath = await SendSignedFor("/gw/notify/antom", localUrl, t);
        Assert.Equal(HttpStatusCode.OK, signedForPublicPath.StatusCode);
        var signedForLocalPath = await t.Antom.NotifyAsync(localUrl, FakeAntom.NotificationBody("P-p2", "2"));
        Assert.Equal(HttpStatusCode.Unauthorized, signedForLocalPath.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendSignedFor(string signedPath, string url, TestGateway t)
    {
        string body = FakeAntom.NotificationBody("P-p1", "1");
        string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();
        byte[] sig = Terminal.Gateway.Security.Rsa256.Sign(TestKeys.Antom, Terminal.Gateway.Security.SignContent.Build(signedPath, t.Antom.ClientId, time, System.Text.Encoding.UTF8.GetBytes(body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body) };
        request.Headers.TryAddWithoutValidation("Client-Id", t.Antom.ClientId);
        request.Headers.TryAddWithoutValidation("Request-Time", time);
        request.Headers.TryAddWithoutValidation("Signature", Terminal.Gateway.Security.SignatureHeader.Format("RSA256", 1, sig));
        return await t.Http.SendAsync(request);
    }

    [Fact]
    public async Task An_inquiry_is_answered_from_a_recorded_final_notification()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var created = await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-mpm"));
        string paymentId = created["paymentId"]!;
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-mpm", paymentId));

        var reply = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-mpm"));
        Assert.Equal(("S", "SUCCESS"), (reply.ResultStatus, reply.ResultCode));
        Assert.Equal("SUCCESS", reply["paymentStatus"]);
        Assert.Equal(paymentId, reply["paymentId"]);
        Assert.Equal("2026-01-01T10:00:05+00:00", reply["paymentTime"]);
        Assert.True(reply.SignatureValid);
        Assert.Equal(0, t.Antom.CallCount("inquiryPayment"));
        // The claim recorded the inquiry's first attempt (it is sent, mostly); answered without it, the record says so.
        var record = (await t.Gateway.Store.ListTransactionsAsync()).Last();
        Assert.Equal((UpstreamOutcomes.FromNotification, null, null, 0), (record.UpstreamOutcome, record.UpstreamSentAt, record.UpstreamRequestBody, record.UpstreamAttempts));
        Assert.Equal("SUCCESS", (await t.Gateway.Store.FindPaymentAsync("P-mpm", null))!.Status);

        // Negative control: a forwarded inquiry keeps the attempt its claim recorded.
        await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-sent"));
        record = (await t.Gateway.Store.ListTransactionsAsync()).Last();
        Assert.Equal((UpstreamOutcomes.Ok, 1), (record.UpstreamOutcome, record.UpstreamAttempts));
        Assert.NotNull(record.UpstreamSentAt);
        Assert.Equal(1, t.Antom.CallCount("inquiryPayment"));
    }

    [Fact]
    public async Task A_failure_notification_answers_FAIL()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-closed")))["paymentId"]!;
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-closed", paymentId, "F", "ORDER_IS_CLOSED"));
        var reply = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-closed"));
        Assert.Equal(("FAIL", "ORDER_IS_CLOSED"), (reply["paymentStatus"], reply["paymentResultCode"]));
    }

    [Fact]
    public async Task Without_a_final_notification_or_with_the_rule_off_the_inquiry_goes_to_Antom()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.AnswerInquiryFromNotification = false);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-off")))["paymentId"]!;
        Assert.Equal("PROCESSING", (await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-off")))["paymentStatus"]);
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-off", paymentId));
        await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-off"));
        Assert.Equal(2, t.Antom.CallCount("inquiryPayment"));
    }
}
