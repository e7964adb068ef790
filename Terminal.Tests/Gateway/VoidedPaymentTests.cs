using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// A payment reported paid by a notification and then cancelled (an abort race, or a void) must never be answered
/// "paid" from that notification again: once a cancel was forwarded for the payment, whatever its answer, inquiries
/// go to Antom, unless Antom has already said the payment is cancelled: then the gateway's record answers
/// (docs/gateway.md, "Inquiries answered from notifications").
/// </summary>
public sealed class VoidedPaymentTests
{
    [Theory]
    [InlineData("answered S")]
    [InlineData("answer with a bad signature")]
    [InlineData("answer too late")]
    public async Task After_a_cancel_the_inquiry_says_CANCELLED_from_the_confirmed_cancel_or_else_from_Antom(string cancelAnswer)
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
        // A cancel answered S is Antom's word that the payment is cancelled for good; any other answer proved nothing.
        Assert.Equal(inquiriesBefore + (cancelAnswer == "answered S" ? 0 : 1), t.Antom.CallCount("inquiryPayment"));
        // ... also when asked by paymentId.
        var byId = await device.PostAsync(Bodies.Inquiry, "{\"paymentId\":\"" + paymentId + "\"}");
        Assert.Equal("CANCELLED", byId["paymentStatus"]);
    }

    [Fact]
    public async Task After_a_confirmed_cancel_the_inquiry_says_CANCELLED_while_Antom_cannot_answer()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        string paymentId = await PaidWithNotificationAsync(t, device, "P-gone");
        Assert.Equal("S", (await device.PostAsync(Bodies.Cancel, Bodies.CancelBody("P-gone"))).ResultStatus);

        // Every inquiry at Antom fails from now on: relayed, it could only come back U.
        t.Antom.Script = r => r.Path.EndsWith("/inquiryPayment", StringComparison.Ordinal) ? new FakeReply("unavailable", 503) : null;
        int inquiriesBefore = t.Antom.CallCount("inquiryPayment");
        var inquiry = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-gone"));
        var byId = await device.PostAsync(Bodies.Inquiry, "{\"paymentId\":\"" + paymentId + "\"}");

        foreach (var answer in new[] { inquiry, byId })
        {
            Assert.Equal(("S", "CANCELLED", "P-gone", paymentId), (answer.ResultStatus, answer["paymentStatus"], answer["paymentRequestId"], answer["paymentId"]));
            Assert.Equal(("USD", "1000"), ((string?)answer.Json!["paymentAmount"]!["currency"], (string?)answer.Json["paymentAmount"]!["value"]));
            Assert.True(answer.SignatureValid);
        }

        Assert.Equal(inquiriesBefore, t.Antom.CallCount("inquiryPayment"));
        Assert.Equal(UpstreamOutcomes.FromRecord, (await t.Gateway.Store.ListTransactionsAsync()).Last().UpstreamOutcome);
    }

    [Fact]
    public async Task After_an_unconfirmed_cancel_an_inquiry_Antom_cannot_answer_stays_unknown()
    {
        // Negative control: a cancel whose answer was discarded proved nothing, so the record (SUCCESS) does not answer
        // and neither does the notification; the device hears U and asks again.
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        await PaidWithNotificationAsync(t, device, "P-unsure");
        t.Antom.Script = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)
            ? Processed(t, r, new FakeReply(FakeAntom.Result("S", "SUCCESS", "success"), SignWithStranger: true))
            : r.Path.EndsWith("/inquiryPayment", StringComparison.Ordinal) ? new FakeReply("unavailable", 503) : null;
        Assert.Equal("U", (await device.PostAsync(Bodies.Cancel, Bodies.CancelBody("P-unsure"))).ResultStatus);

        var inquiry = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-unsure"));

        Assert.Equal(("U", "UNKNOWN_EXCEPTION", null), (inquiry.ResultStatus, inquiry.ResultCode, inquiry["paymentStatus"]));
        Assert.Equal("SUCCESS", (await t.Gateway.Store.FindPaymentAsync("P-unsure", null))!.Status);
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
