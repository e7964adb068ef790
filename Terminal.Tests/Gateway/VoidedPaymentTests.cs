using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// A payment reported paid by a notification and then cancelled (an abort race, or a void) must never be answered
/// "paid" from that notification again: once a cancel was forwarded for the payment, whatever its answer, inquiries
/// go to Antom (docs/gateway.md, "Inquiries answered from notifications").
/// </summary>
public sealed class VoidedPaymentTests
{
    [Theory]
    [InlineData("answered S")]
    [InlineData("answer with a bad signature")]
    [InlineData("answer too late")]
    public async Task After_a_cancel_the_inquiry_is_relayed_and_says_CANCELLED(string cancelAnswer)
    {
        await using var t = await TestGateway.StartAsync(configure: o => { o.Antom.AttemptTimeoutMs = 1_000; o.Antom.TotalTimeoutMs = 1_500; });
        var device = await t.AddDeviceAsync();
        string paymentId = await PaidWithNotificationAsync(t, device, "P-void");

        t.Antom.Script = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? cancelAnswer switch
        {
            "answer with a bad signature" => Processed(t, r, new FakeReply(FakeAntom.Result("S", "SUCCESS", "success"), SignWithStranger: true)),
            "answer too late" => Processed(t, r, new FakeReply(FakeAntom.Result("S", "SUCCESS", "success"), Delay: TimeSpan.FromSeconds(3))),
            _ => null,
        } : null;
        var cancel = await device.PostAsync(Bodies.Cancel, Bodies.CancelBody("P-void"));
        Assert.Equal(cancelAnswer == "answered S" ? "S" : "U", cancel.ResultStatus);
        Assert.Equal("CANCELLED", (string?)t.Antom.Payment("P-void")!["paymentStatus"]);
        t.Antom.Script = null;

        int inquiriesBefore = t.Antom.CallCount("inquiryPayment");
        var inquiry = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-void"));
        Assert.Equal(("S", "CANCELLED"), (inquiry.ResultStatus, inquiry["paymentStatus"]));
        Assert.Equal(inquiriesBefore + 1, t.Antom.CallCount("inquiryPayment"));
        // ... also when asked by paymentId.
        var byId = await device.PostAsync(Bodies.Inquiry, "{\"paymentId\":\"" + paymentId + "\"}");
        Assert.Equal("CANCELLED", byId["paymentStatus"]);
    }

    [Fact]
    public async Task Without_a_cancel_the_notification_still_answers()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        await PaidWithNotificationAsync(t, device, "P-kept");
        var inquiry = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-kept"));
        Assert.Equal("SUCCESS", inquiry["paymentStatus"]);
        Assert.Equal(0, t.Antom.CallCount("inquiryPayment"));
    }

    [Fact]
    public async Task A_cancel_refused_before_forwarding_changes_nothing()
    {
        // A cancel the gateway answers itself (another store's device) was never sent: the notification still answers.
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var stranger = await t.AddDeviceAsync("T0009", store: "S009");
        await PaidWithNotificationAsync(t, device, "P-other");
        Assert.Equal("ACCESS_DENIED", (await stranger.PostAsync(Bodies.Cancel, Bodies.CancelBody("P-other"))).ResultCode);
        Assert.Equal("SUCCESS", (await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-other")))["paymentStatus"]);
        Assert.Equal(0, t.Antom.CallCount("inquiryPayment"));
    }

    private static async Task<string> PaidWithNotificationAsync(TestGateway t, TestDevice device, string paymentRequestId)
    {
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode(paymentRequestId)))["paymentId"]!;
        t.Antom.CustomerPays(paymentRequestId);
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody(paymentRequestId, paymentId));
        Assert.Equal("SUCCESS", (await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody(paymentRequestId)))["paymentStatus"]);
        return paymentId;
    }

    /// <summary>The fake processes the cancel as usual, then answers with <paramref name="reply"/>.</summary>
    private static FakeReply Processed(TestGateway t, FakeAntomRequest request, FakeReply reply)
    {
        t.Antom.Cancel((string)request.Json["paymentRequestId"]!);
        return reply;
    }
}
