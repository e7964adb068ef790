using Microsoft.Extensions.Logging;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>The Antom hop: RSA256 signing, response verification, timeouts and retries.</summary>
public sealed class UpstreamTests
{
    [Fact]
    public async Task Requests_are_RSA256_signed_for_the_sandbox_path_with_the_merchant_client_id()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-sig"));
        var sent = t.Antom.Requests.Single();
        Assert.True(sent.SignatureValid);
        Assert.Equal("/ams/sandbox/api/v1/payments/pay", sent.Path);
        Assert.Equal(t.Antom.ClientId, sent.ClientId);
        Assert.StartsWith("algorithm=RSA256,keyVersion=1,signature=", sent.SignatureHeader);
        Assert.True(long.TryParse(sent.RequestTime, out _), "Request-Time is epoch milliseconds");
    }

    [Fact]
    public async Task A_live_client_id_uses_the_live_path()
    {
        await using var antom = await FakeAntom.StartAsync("LIVECLIENT01");
        await using var t = await TestGateway.StartAsync(antom: antom);
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-live"))).ResultStatus);
        Assert.Equal("/ams/api/v1/payments/pay", antom.Requests.Single().Path);
    }

    [Theory]
    [InlineData(false)] // signed with a key that is not Antom's
    [InlineData(true)] // no signature at all
    public async Task An_answer_that_fails_verification_is_U_never_success(bool unsigned)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        t.Antom.Script = r => new FakeReply(FakeAntom.Result("S", "SUCCESS", "success"), Unsigned: unsigned, SignWithStranger: !unsigned);
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-bad"));
        Assert.Equal(("U", "UNKNOWN_EXCEPTION"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains("signature verification", reply.ResultMessage);
        Assert.True(reply.SignatureValid);
        Assert.Equal(1, t.Antom.CallCount("pay")); // never retried
        var record = (await t.Gateway.Store.ListTransactionsAsync()).Single();
        Assert.Equal(UpstreamOutcomes.BadSignature, record.UpstreamOutcome);
        Assert.Equal("U", record.ResultStatus);
        Assert.Equal("PENDING", (await t.Gateway.Store.FindPaymentAsync("P-bad", null))!.Status);
    }

    /// <summary>The answer is read into one array of its size, with or without Content-Length; a longer one than
    /// <c>AntomClient.MaxAnswerBytes</c> is not read (a hostile or broken upstream cannot fill the gateway's memory).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_answer_is_read_with_or_without_its_length_and_a_huge_one_is_U(bool chunked)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        string padding = new(' ', 5_000); // more than one read of the chunked path's first buffer
        t.Antom.Script = r => r.Body.Contains("P-huge", StringComparison.Ordinal)
            ? new FakeReply("{\"result\":{\"resultStatus\":\"S\",\"resultCode\":\"SUCCESS\"}," + new string(' ', (1 << 20) + 1) + "\"paymentId\":\"x\"}", Chunked: chunked)
            : new FakeReply("{" + padding + "\"result\":{\"resultStatus\":\"S\",\"resultCode\":\"SUCCESS\",\"resultMessage\":\"success\"},\"paymentId\":\"A-1\"}", Chunked: chunked);

        var read = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-read"));
        Assert.Equal(("S", "A-1"), (read.ResultStatus, read["paymentId"]));

        var huge = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-huge"));
        Assert.Equal(("U", "UNKNOWN_EXCEPTION"), (huge.ResultStatus, huge.ResultCode));
        Assert.Equal(1, t.Antom.Requests.Count(r => r.Body.Contains("P-huge", StringComparison.Ordinal))); // not retried
        var record = (await t.Gateway.Store.ListTransactionsAsync()).Single(r => r.PaymentRequestId == "P-huge");
        Assert.Equal(UpstreamOutcomes.TransportError, record.UpstreamOutcome);
        Assert.Contains("longer than 1048576 bytes", record.UpstreamDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upstream_timeout_is_U_and_the_record_says_timeout()
    {
        await using var t = await TestGateway.StartAsync(configure: o =>
        {
            // Room for both attempts on a loaded machine: 2 x 1 s attempts and the backoff fit in 4 s.
            o.Antom.AttemptTimeoutMs = 1_000;
            o.Antom.TotalTimeoutMs = 4_000;
        });
        var device = await t.AddDeviceAsync();
        t.Antom.Script = _ => new FakeReply(FakeAntom.Result("S", "SUCCESS", "late"), Delay: TimeSpan.FromSeconds(10));
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-slow"));
        Assert.Equal(("U", "UNKNOWN_EXCEPTION"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains("did not answer in time", reply.ResultMessage);
        var record = (await t.Gateway.Store.ListTransactionsAsync()).Single();
        Assert.Equal(UpstreamOutcomes.Timeout, record.UpstreamOutcome);
        Assert.Equal(2, record.UpstreamAttempts); // MaxAttemptsPayRefund default
        Assert.Contains("no answer within", record.UpstreamDetail);
        Assert.NotNull(record.UpstreamSentAt);
        Assert.NotNull(record.UpstreamCompletedAt);
        // Both attempts carried the same paymentRequestId: a retry is the same request to Antom.
        Assert.All(t.Antom.Requests, r => Assert.Equal("P-slow", (string?)r.Json["paymentRequestId"]));
    }

    [Fact]
    public async Task The_total_limit_bounds_every_attempt_after_the_first()
    {
        await using var t = await TestGateway.StartAsync(configure: o =>
        {
            // The first attempt's 1 s and TestGateway's 10 ms pause leave at most 790 ms for a second attempt.
            o.Antom.AttemptTimeoutMs = 1_000;
            o.Antom.TotalTimeoutMs = 1_800;
        });
        var device = await t.AddDeviceAsync();
        t.Antom.Script = _ => new FakeReply(FakeAntom.Result("S", "SUCCESS", "late"), Delay: TimeSpan.FromSeconds(10));
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-total"));
        var record = (await t.Gateway.Store.ListTransactionsAsync()).Single();
        Assert.Equal(UpstreamOutcomes.Timeout, record.UpstreamOutcome);
        // The second attempt has only what the total leaves, never a full attempt's second. The limits are compared, not
        // the waits: a busy machine runs the timer's callback late.
        var limits = System.Text.RegularExpressions.Regex.Matches(record.UpstreamDetail!, @"attempt \d: no answer within its (\d+) ms limit \(waited \d+ ms\)")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2, record.UpstreamAttempts);
        Assert.Equal(2, limits.Count);
        Assert.Equal(1_000, limits[0]);
        Assert.True(limits[1] is >= 1 and <= 790, record.UpstreamDetail);
    }

    [Fact]
    public async Task An_inquiry_is_retried_after_a_5xx_and_then_succeeds()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-retry"));
        int failures = 2;
        t.Antom.Script = r => r.Path.EndsWith("inquiryPayment", StringComparison.Ordinal) && Interlocked.Decrement(ref failures) >= 0
            ? new FakeReply("busy", Status: 503) : null;
        var reply = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-retry"));
        Assert.Equal("S", reply.ResultStatus);
        Assert.Equal("SUCCESS", reply["paymentStatus"]);
        Assert.Equal(3, t.Antom.CallCount("inquiryPayment"));
        Assert.Equal(3, (await t.Gateway.Store.ListTransactionsAsync()).Last().UpstreamAttempts);
    }

    [Fact]
    public async Task A_4xx_is_not_retried_and_is_U()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        t.Antom.Script = _ => new FakeReply("bad request", Status: 400);
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-400"));
        Assert.Equal("U", reply.ResultStatus);
        Assert.Contains("HTTP 400", reply.ResultMessage);
        Assert.Equal(1, t.Antom.CallCount("pay"));
        Assert.Equal(UpstreamOutcomes.HttpError, (await t.Gateway.Store.ListTransactionsAsync()).Single().UpstreamOutcome);
    }

    [Fact]
    public async Task Pay_is_retried_only_as_often_as_configured()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.Antom.MaxAttemptsPayRefund = 1);
        var device = await t.AddDeviceAsync();
        t.Antom.Script = _ => new FakeReply("busy", Status: 503);
        Assert.Equal("U", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-once"))).ResultStatus);
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Fact]
    public async Task Antom_business_failures_pass_through_unchanged()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        string declined = FakeAntom.Result("F", "USER_BALANCE_NOT_ENOUGH", "insufficient balance");
        t.Antom.Script = _ => new FakeReply(declined);
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-declined"));
        Assert.Equal(declined, reply.Body);
        Assert.True(reply.SignatureValid);
        Assert.Equal("FAIL", (await t.Gateway.Store.FindPaymentAsync("P-declined", null))!.Status);
    }

    [Fact]
    public async Task An_upstream_whose_certificate_is_not_trusted_is_not_reached()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.Antom.TrustedCertificate = null);
        var device = await t.AddDeviceAsync();
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-tls"));
        Assert.Equal("U", reply.ResultStatus);
        Assert.Contains("could not be reached", reply.ResultMessage);
        Assert.Empty(t.Antom.Requests);
        Assert.Equal(UpstreamOutcomes.TransportError, (await t.Gateway.Store.ListTransactionsAsync()).Single().UpstreamOutcome);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_U()
    {
        await using var t = await TestGateway.StartAsync(configure: o => o.Antom.BaseUrl = "https://127.0.0.1:1/");
        var device = await t.AddDeviceAsync();
        var reply = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-nowhere"));
        Assert.Equal(("U", "UNKNOWN_EXCEPTION"), (reply.ResultStatus, reply.ResultCode));
        Assert.Equal(3, (await t.Gateway.Store.ListTransactionsAsync()).Single().UpstreamAttempts);
    }

    [Fact]
    public async Task A_verified_answer_reaches_the_device_even_if_its_state_cannot_be_recorded()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-first")))["paymentId"]!;
        // Antom (wrongly) names the same paymentId for another payment: the unique index refuses it.
        t.Antom.Script = r => new FakeReply(new System.Text.Json.Nodes.JsonObject
        {
            ["result"] = new System.Text.Json.Nodes.JsonObject { ["resultCode"] = "SUCCESS", ["resultStatus"] = "S", ["resultMessage"] = "success" },
            ["paymentRequestId"] = "P-second",
            ["paymentId"] = paymentId,
        }.ToJsonString());
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-second"));
        Assert.Equal(("S", paymentId), (reply.ResultStatus, reply["paymentId"]));
        Assert.Null((await t.Gateway.Store.FindPaymentAsync("P-second", null))!.PaymentId);
        Assert.Contains(t.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("could not record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Antoms_unsigned_INVALID_SIGNATURE_is_U_for_the_device_and_an_error_naming_the_merchant_key()
    {
        // The real emulator answers a signature it cannot verify unsigned, as Antom does: here the gateway signs with
        // a merchant key the emulator does not know (a configuration error of the gateway).
        await using var rig = await EndToEndRig.StartAsync(configure: o =>
        {
            o.Antom.MerchantPrivateKey = Convert.ToBase64String(TestKeys.Stranger.ExportPkcs8PrivateKey());
            o.ConfigureLogging = l => l.AddProvider(Logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Information);
        });
        var device = new TestDevice(rig.Http, rig.Gateway.BaseUri, "T0001", (await rig.RegisterAsync()).KeyBytes);

        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-refused"));
        Assert.Equal(("U", "UNKNOWN_EXCEPTION"), (reply.ResultStatus, reply.ResultCode));
        Assert.Contains("refused the gateway's signature", reply.ResultMessage);
        Assert.True(reply.SignatureValid);
        var record = Assert.Single(await rig.Gateway.Store.ListTransactionsAsync());
        Assert.Equal(("signature_refused", 1), (record.UpstreamOutcome, record.UpstreamAttempts));
        Assert.Contains(Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("MerchantPrivateKey", StringComparison.Ordinal));
        Assert.Null(rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, "P-refused"));
    }

    private CapturingLoggerProvider Logs { get; } = new();
}
