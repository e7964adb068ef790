using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// Answer reflection: every signed answer the gateway gives, posted back as a request (its Response-Time as
/// Request-Time, its Signature as Signature, its body as body, same path), must be refused, unsigned, and leave no
/// trace: nothing recorded, nothing forwarded, no key retired. Requests and answers are signed with different keys
/// derived from the device key, and no answer to an unverified request is signed at all. The negative control
/// switches the direction separation off and shows that the same collection of answers is then accepted as the device.
/// </summary>
public sealed class ReflectionTests
{
    [Fact]
    public async Task No_signed_answer_of_any_path_result_code_or_replay_is_accepted_as_a_request()
    {
        await using var t = await TestGateway.StartAsync();
        var answers = await CollectSignedAnswersAsync(t);
        int recorded = (await t.Gateway.Store.ListTransactionsAsync()).Count;
        int forwarded = t.Antom.Requests.Count;

        var accepted = new List<string>();
        foreach (var (kind, device, request, reply) in answers)
        {
            var reflected = await device.SendAsync(Reflect(request, reply));
            if (reflected.ResultCode != "INVALID_SIGNATURE" || reflected.Signed) accepted.Add($"{kind}: {reflected.ResultStatus}/{reflected.ResultCode} signed={reflected.Signed}");
        }
        Assert.Empty(accepted);
        Assert.Equal(recorded, (await t.Gateway.Store.ListTransactionsAsync()).Count);
        Assert.Equal(forwarded, t.Antom.Requests.Count);
    }

    [Fact]
    public async Task Negative_control_without_direction_separation_the_same_answers_are_accepted_as_the_device()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.SignAnswersWithRequestKey = true);
        var answers = await CollectSignedAnswersAsync(t, answerKey: d => RelayKeys.Request(d.Key));
        int recorded = (await t.Gateway.Store.ListTransactionsAsync()).Count;

        int accepted = 0;
        foreach (var (_, device, request, reply) in answers)
        {
            var reflected = await device.SendAsync(Reflect(request, reply));
            if (reflected.ResultCode != "INVALID_SIGNATURE") accepted++;
        }
        // Every reflected answer passes the MAC check (those of the revoked device then end as ACCESS_DENIED).
        Assert.Equal(answers.Count, accepted);
        Assert.True((await t.Gateway.Store.ListTransactionsAsync()).Count > recorded, "reflected answers were stored as authenticated transactions");
    }

    [Fact]
    public async Task A_junk_signature_naming_a_fresh_key_version_gets_an_unsigned_answer_and_retires_nothing()
    {
        // The attack of the report: after rotate-key, while the device still uses v1, a party with no key sends {}
        // claiming keyVersion 2, and reflects the signed INVALID_SIGNATURE it used to get.
        await using var t = await TestGateway.StartAsync();
        var v1 = await t.AddDeviceAsync();
        await t.Gateway.Devices.RotateKeyAsync("T0001");
        var junk = v1.Sign(Bodies.Pay, "{}", keyVersion: 2, macKey: RandomNumberGenerator.GetBytes(32));
        var reply = await v1.SendAsync(junk);
        Assert.Equal(("F", "INVALID_SIGNATURE"), (reply.ResultStatus, reply.ResultCode));
        Assert.False(reply.Signed);
        Assert.False(reply.Headers.Contains("Signature"));

        Assert.Equal([1, 2], (await t.Gateway.Devices.ListAsync()).Single().KeyVersions);
        Assert.Empty(await t.Gateway.Store.ListTransactionsAsync());
        Assert.Equal("S", (await v1.PostAsync(Bodies.Pay, Bodies.Upm("P-still-v1"))).ResultStatus);
    }

    [Theory]
    [InlineData("forged MAC")]
    [InlineData("retired key version, forged MAC")]
    [InlineData("another algorithm")]
    [InlineData("unknown key version")]
    public async Task Answers_to_requests_whose_MAC_did_not_verify_are_unsigned(string kind)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var request = kind switch
        {
            "forged MAC" => device.Sign(Bodies.Pay, Bodies.Upm("P-u"), macKey: RandomNumberGenerator.GetBytes(32)),
            "another algorithm" => device.Sign(Bodies.Pay, Bodies.Upm("P-u"), algorithm: "RSA256"),
            "unknown key version" => device.Sign(Bodies.Pay, Bodies.Upm("P-u"), keyVersion: 9),
            _ => await RetiredAsync(t, device),
        };
        var reply = await device.SendAsync(request);
        Assert.Equal("F", reply.ResultStatus);
        Assert.False(reply.Signed, kind);
        Assert.Empty(t.Antom.Requests);
    }

    [Fact]
    public async Task Property_random_bodies_on_every_path_never_yield_a_reflectable_answer()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        string[] paths = [Bodies.Pay, Bodies.Inquiry, Bodies.Cancel, Bodies.Refund, Bodies.InquiryRefund];
        var json = Gen.OneOf(
            Gen.String.Select(s => s),
            Gen.Char["abcdefgP0123456789-"].Array[1, 20].Select(c => Bodies.Upm("P-" + new string(c))),
            Gen.Char["abcdefgP0123456789-"].Array[1, 20].Select(c => Bodies.InquiryBody("P-" + new string(c))),
            Gen.Byte.Array[0, 200].Select(b => Encoding.UTF8.GetString(b)));
        await Gen.Int[0, paths.Length - 1].Select(json).SampleAsync(async (p, body) =>
        {
            var request = device.Sign(paths[p], body);
            var reply = await device.SendAsync(request);
            Assert.True(reply.SignatureValid, "an authenticated request gets a signed answer");
            var reflected = await device.SendAsync(Reflect(request, reply));
            Assert.Equal("INVALID_SIGNATURE", reflected.ResultCode);
            Assert.False(reflected.Signed);
        }, iter: 150, threads: 1);
    }

    /// <summary>The answer as a request: same path, its Response-Time and Signature as the request's headers.</summary>
    private static SignedRequest Reflect(SignedRequest request, DeviceReply reply) =>
        new(request.Path, request.DeviceId, reply.Headers.GetValues("Response-Time").Single(), reply.Body, reply.Headers.GetValues("Signature").Single());

    private static async Task<SignedRequest> RetiredAsync(TestGateway t, TestDevice device)
    {
        var v2 = t.Device((await t.Gateway.Devices.RotateKeyAsync(device.DeviceId))!);
        Assert.Equal("S", (await v2.PostAsync(Bodies.Pay, Bodies.Upm("P-v2"))).ResultStatus);
        t.Antom.Requests.Clear();
        return device.Sign(Bodies.Pay, Bodies.Upm("P-u"), macKey: RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>
    /// Drives the gateway through every kind of signed answer: each of the five paths with success, Antom's own
    /// failures, unknown results and every local refusal; an inquiry answered from a notification; replays; and the
    /// two signed authentication failures (revoked device, Request-Time outside the window).
    /// </summary>
    private static async Task<List<(string Kind, TestDevice Device, SignedRequest Request, DeviceReply Reply)>> CollectSignedAnswersAsync(
        TestGateway t, Func<TestDevice, byte[]>? answerKey = null)
    {
        var device = await t.AddDeviceAsync(maxAmount: 100_000, currencies: ["USD"]);
        var neighbour = await t.AddDeviceAsync("T0002");
        var otherStore = await t.AddDeviceAsync("T0003", store: "S009");
        var answers = new List<(string, TestDevice, SignedRequest, DeviceReply)>();

        async Task<DeviceReply> Send(string kind, TestDevice d, string path, string body, long? time = null)
        {
            var request = d.Sign(path, body, requestTime: time);
            var reply = await d.SendAsync(request);
            bool valid = answerKey == null ? reply.SignatureValid : Verifies(reply, request, answerKey(d));
            Assert.True(valid, kind + ": the answer is signed for the device");
            answers.Add((kind, d, request, reply));
            return reply;
        }

        async Task Replay(string kind, TestDevice d, SignedRequest request)
        {
            var reply = await d.SendAsync(request);
            Assert.True(reply.Replayed, kind);
            answers.Add((kind, d, request, reply));
        }

        // pay
        var paid = await Send("pay S (payment code)", device, Bodies.Pay, Bodies.Upm("P-r1"));
        string paymentId = paid["paymentId"]!;
        await Replay("pay replayed", device, answers[^1].Item3);
        string orderPaymentId = (await Send("pay S (order code)", device, Bodies.Pay, Bodies.OrderCode("P-r2")))["paymentId"]!;
        await Send("pay PARAM_ILLEGAL", device, Bodies.Pay, "{\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1\"}}");
        await Send("pay PARAM_ILLEGAL (not JSON)", device, Bodies.Pay, "not json");
        await Send("pay PARAM_ILLEGAL (duplicate key)", device, Bodies.Pay, "{\"paymentRequestId\":\"a\",\"paymentRequestId\":\"b\"}");
        await Send("pay PARAM_ILLEGAL (lone surrogate)", device, Bodies.Pay, "{\"paymentRequestId\":\"\\ud800\"}");
        await Send("pay CURRENCY_NOT_SUPPORT", device, Bodies.Pay, Bodies.Upm("P-r3", currency: "EUR"));
        await Send("pay PAYMENT_AMOUNT_EXCEED_LIMIT", device, Bodies.Pay, Bodies.Upm("P-r4", amount: 100_001));
        await Send("pay ACCESS_DENIED", neighbour, Bodies.Pay, Bodies.Upm("P-r1"));
        await Send("pay REPEAT_REQ_INCONSISTENT", device, Bodies.Pay, Bodies.Upm("P-r1", amount: 999));
        t.Antom.Script = r => r.Path.EndsWith("/pay", StringComparison.Ordinal) ? new FakeReply(FakeAntom.Result("F", "USER_BALANCE_NOT_ENOUGH", "no money")) : null;
        await Send("pay F from Antom", device, Bodies.Pay, Bodies.Upm("P-r5"));
        t.Antom.Script = r => new FakeReply(FakeAntom.Result("U", "UNKNOWN_EXCEPTION", "x"), SignWithStranger: true);
        await Send("pay U (bad upstream signature)", device, Bodies.Pay, Bodies.Upm("P-r6"));
        await Send("inquiryPayment U (bad upstream signature)", device, Bodies.Inquiry, Bodies.InquiryBody("P-r1"));
        t.Antom.Script = null;

        // inquiryPayment
        await Send("inquiryPayment S", device, Bodies.Inquiry, Bodies.InquiryBody("P-r1"));
        await Send("inquiryPayment F ORDER_NOT_EXIST", device, Bodies.Inquiry, Bodies.InquiryBody("P-none"));
        await Send("inquiryPayment PARAM_ILLEGAL", device, Bodies.Inquiry, "{}");
        await Send("inquiryPayment ACCESS_DENIED", otherStore, Bodies.Inquiry, Bodies.InquiryBody("P-r1"));
        t.Antom.CustomerPays("P-r2");
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-r2", orderPaymentId));
        var fromNotification = await Send("inquiryPayment S from a notification", device, Bodies.Inquiry, Bodies.InquiryBody("P-r2"));
        Assert.Equal("SUCCESS", fromNotification["paymentStatus"]);
        await Replay("inquiryPayment replayed", device, answers[^1].Item3);

        // refund and inquiryRefund
        await Send("refund S", device, Bodies.Refund, Bodies.RefundBody("R-r1", paymentId));
        await Replay("refund replayed", device, answers[^1].Item3);
        await Send("refund PARAM_ILLEGAL", device, Bodies.Refund, "{}");
        await Send("refund ACCESS_DENIED (unknown payment)", device, Bodies.Refund, Bodies.RefundBody("R-r2", "no-such-payment"));
        await Send("refund CURRENCY_NOT_SUPPORT", device, Bodies.Refund, Bodies.RefundBody("R-r3", paymentId, currency: "EUR"));
        await Send("refund ACCESS_DENIED (other store)", otherStore, Bodies.Refund, Bodies.RefundBody("R-r4", paymentId));
        await Send("inquiryRefund S", device, Bodies.InquiryRefund, Bodies.InquiryRefundBody("R-r1"));
        await Send("inquiryRefund F ORDER_NOT_EXIST", device, Bodies.InquiryRefund, Bodies.InquiryRefundBody("R-none"));
        await Send("inquiryRefund PARAM_ILLEGAL", device, Bodies.InquiryRefund, "{}");

        // cancel
        await Send("cancel S", device, Bodies.Cancel, Bodies.CancelBody("P-r1"));
        await Replay("cancel replayed", device, answers[^1].Item3);
        await Send("cancel F ORDER_NOT_EXIST", device, Bodies.Cancel, Bodies.CancelBody("P-none"));
        await Send("cancel PARAM_ILLEGAL", device, Bodies.Cancel, "{}");
        await Send("cancel ACCESS_DENIED", otherStore, Bodies.Cancel, Bodies.CancelBody("P-r1"));

        // signed authentication failures: the MAC verified
        await Send("Request-Time outside the window", device, Bodies.Pay, Bodies.Upm("P-r7"), DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
        var rotating = await t.AddDeviceAsync("T0004");
        var rotated = t.Device((await t.Gateway.Devices.RotateKeyAsync("T0004"))!);
        Assert.Equal("F", (await rotated.PostAsync(Bodies.Inquiry, "{}")).ResultStatus); // first use of v2 retires v1
        await Send("retired key version", rotating, Bodies.Inquiry, Bodies.InquiryBody("P-r1"));
        await t.Gateway.Devices.RevokeAsync(neighbour.DeviceId);
        await Send("revoked device", neighbour, Bodies.Inquiry, Bodies.InquiryBody("P-r1"));
        return answers;
    }

    private static bool Verifies(DeviceReply reply, SignedRequest request, byte[] key)
    {
        if (!reply.Headers.TryGetValues("Signature", out var sig)) return false;
        string header = sig.First();
        byte[] mac = Convert.FromBase64String(Uri.UnescapeDataString(header[(header.IndexOf("signature=", StringComparison.Ordinal) + 10)..]));
        string time = reply.Headers.GetValues("Response-Time").Single();
        return CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"POST {request.Path}\n{request.DeviceId}.{time}.{reply.Body}")));
    }
}
