using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>
/// The project's Antom sample bodies (Fixtures/antom, written from Antom's API reference) round-trip: the sample
/// requests are accepted as they are, and every field of the sample responses appears in the emulator's answers
/// with the same JSON type.
/// </summary>
public sealed class FixtureShapeTests : IClassFixture<FixtureShapeTests.SettlingEmulator>
{
    private readonly EmulatorSession _session;

    public FixtureShapeTests(SettlingEmulator shared)
    {
        _session = shared.Session;
    }

    /// <summary>Settles in HKD so that settlement fields appear, as in the samples.</summary>
    public sealed class SettlingEmulator : SharedEmulator
    {
        protected override void Configure(AntomEmulatorOptions options) => options.SettlementCurrency = "HKD";
    }

    [Fact]
    public async Task Payment_code_sample_gives_the_sample_success_and_inquiry_shapes()
    {
        var request = Sample("requests/pay-payment-code.json");

        var pay = await _session.PostAsync("pay", request);
        var inquiry = await _session.InquireAsync(request["paymentRequestId"]!.GetValue<string>());

        AssertShape("responses/pay-payment-code-success.json", pay);
        AssertShape("responses/inquiry-success.json", inquiry);
    }

    [Fact]
    public async Task Order_code_sample_gives_the_sample_shape()
    {
        var pay = await _session.PostAsync("pay", Sample("requests/pay-order-code.json"));

        AssertShape("responses/pay-order-code-created.json", pay);
    }

    [Fact]
    public async Task Entry_code_sample_gives_the_sample_shape()
    {
        var pay = await _session.PostAsync("pay", Sample("requests/pay-entry-code.json"));

        AssertShape("responses/pay-entry-code-created.json", pay);
    }

    [Fact]
    public async Task Processing_failed_cancelled_and_unknown_inquiries_have_the_sample_shapes()
    {
        var waiting = Sample("requests/pay-payment-code.json");
        waiting["paymentMethod"]!["paymentMethodId"] = _session.Server.Wallet.IssuePaymentCode(PaymentCodeOutcome.RequiresConfirmation);
        var declined = Sample("requests/pay-payment-code.json");
        declined["paymentMethod"]!["paymentMethodId"] = _session.Server.Wallet.IssuePaymentCode(PaymentCodeOutcome.Decline());
        var cancelled = Sample("requests/pay-order-code.json");

        var inProcess = await _session.PostAsync("pay", waiting);
        var failed = await _session.PostAsync("pay", declined);
        await _session.PostAsync("pay", cancelled);
        await _session.PostAsync("cancel", new JsonObject { ["paymentRequestId"] = cancelled["paymentRequestId"]!.GetValue<string>() });

        AssertShape("responses/pay-payment-code-unknown.json", inProcess);
        AssertShape("responses/pay-payment-code-declined.json", failed);
        AssertShape("responses/inquiry-processing.json", await _session.InquireAsync(waiting["paymentRequestId"]!.GetValue<string>()));
        AssertShape("responses/inquiry-failed.json", await _session.InquireAsync(declined["paymentRequestId"]!.GetValue<string>()));
        AssertShape("responses/inquiry-cancelled.json", await _session.InquireAsync(cancelled["paymentRequestId"]!.GetValue<string>()));
        AssertShape("responses/inquiry-not-found.json", await _session.InquireAsync("no-such-payment"));
    }

    [Fact]
    public async Task Refund_sample_gives_the_sample_shape()
    {
        var pay = await _session.PostAsync("pay", Sample("requests/pay-payment-code.json"));
        var refund = JsonNode.Parse(RepoFiles.Fixture("requests/refund.json"))!.AsObject();
        refund["paymentId"] = pay.Get("paymentId");
        refund["refundRequestId"] = Bodies.NewId("RF");

        var reply = await _session.PostAsync("refund", refund);

        Assert.Equal("SUCCESS", reply.ResultCode);
        AssertShape("responses/refund-success.json", reply);
    }

    [Fact]
    public async Task Notification_has_the_sample_shape()
    {
        await using var receiver = await NotifyReceiver.StartAsync();
        var request = Sample("requests/pay-payment-code.json");
        request["paymentNotifyUrl"] = receiver.Url("/notify");

        await _session.PostAsync("pay", request);
        var notification = await receiver.NextAsync();

        using var body = JsonDocument.Parse(notification.Body);
        AssertShape("requests/notify-payment-success.json", body.RootElement);
    }

    private static JsonObject Sample(string name)
    {
        var body = JsonNode.Parse(RepoFiles.Fixture(name))!.AsObject();
        body["paymentRequestId"] = Bodies.NewId("PR"); // the samples share one id
        return body;
    }

    private static void AssertShape(string sample, AntomReply reply)
    {
        Assert.True(reply.Json.HasValue, reply.ToString());
        AssertShape(sample, reply.Json!.Value);
    }

    private static void AssertShape(string sample, JsonElement actual)
    {
        using var expected = JsonDocument.Parse(RepoFiles.Fixture(sample));
        AssertSameShape(expected.RootElement, actual, sample + ":$");
    }

    private static void AssertSameShape(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(Kind(expected) == Kind(actual), $"{path}: expected {expected.ValueKind}, got {actual.ValueKind}");
        if (expected.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in expected.EnumerateObject())
            {
                Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name} is missing in {actual}");
                AssertSameShape(property.Value, value, path + "." + property.Name);
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0)
        {
            Assert.True(actual.GetArrayLength() > 0, $"{path} is empty");
            AssertSameShape(expected[0], actual[0], path + "[0]");
        }
        else if (expected.ValueKind == JsonValueKind.String && Regex.IsMatch(expected.GetString()!, @"^\d{4}-\d{2}-\d{2}T"))
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$", actual.GetString());
        }
    }

    private static JsonValueKind Kind(JsonElement element) =>
        element.ValueKind == JsonValueKind.False ? JsonValueKind.True : element.ValueKind;
}
