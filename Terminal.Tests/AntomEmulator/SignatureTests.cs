using Xunit;
using System.Net.Http;
using System.Security.Authentication;
using System.Text.Json.Nodes;
using Terminal.AntomEmulator;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Request signature checks, accepted header variants, and the signature on every answer.</summary>
public sealed class SignatureTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public SignatureTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    public static TheoryData<TimeStyle> TimeStyles => new()
    {
        TimeStyle.EpochMilliseconds, TimeStyle.DotNetRoundTrip, TimeStyle.PythonSeconds, TimeStyle.PythonMicroseconds, TimeStyle.Php,
    };

    [Theory]
    [MemberData(nameof(TimeStyles))]
    public async Task Request_time_in_every_sdk_format_is_accepted(TimeStyle style)
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { TimeStyle = style });

        Assert.Equal("SUCCESS", reply.ResultCode);
        Assert.True(reply.SignatureValid);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Signature_escapes_in_upper_or_lower_case_or_raw_base64_are_accepted(bool lowerCase, bool raw)
    {
        // Run until the signature actually contains a character that gets escaped, so the case matters.
        for (int i = 0; i < 20; i++)
        {
            string id = Bodies.NewId("PR");
            var body = Bodies.UpmPay(id, "288888888888888888");
            string content = $"POST /ams/api/v1/payments/pay\n{EmulatorSession.ClientId}.1700000000000.{body.ToJsonString()}";
            string encoded = TestSigner.Encode(TestSigner.Sign(TestKeys.Merchant, System.Text.Encoding.UTF8.GetBytes(content)), lowerCase);
            if (!encoded.Contains('%'))
            {
                continue;
            }

            var reply = await _session.Client.PostAsync("pay", body,
                new SignOptions { TimeText = "1700000000000", LowerCaseEscapes = lowerCase, RawBase64 = raw });
            Assert.Equal("SUCCESS", reply.ResultCode);
            return;
        }

        Assert.Fail("no signature with an escaped character in 20 tries");
    }

    [Fact]
    public async Task Header_names_are_case_insensitive()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"),
            new SignOptions { ClientIdHeader = "client-id", RequestTimeHeader = "REQUEST-TIME", SignatureHeader = "signature" });

        Assert.Equal("SUCCESS", reply.ResultCode);
    }

    [Fact]
    public async Task Tampered_body_is_invalid_signature_and_changes_nothing()
    {
        string id = Bodies.NewId("PR");
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888", value: "100"),
            new SignOptions { SignedBody = Bodies.UpmPay(id, "288888888888888888", value: "1").ToJsonString() });

        Assert.Equal(200, reply.Status);
        Assert.Equal("INVALID_SIGNATURE", reply.ResultCode);
        Assert.Equal("F", reply.ResultStatus);
        Assert.Null(reply.Signature); // as Antom: a signature error is answered unsigned
        Assert.Null(_session.Server.Records.FindPayment(EmulatorSession.ClientId, id));
    }

    [Fact]
    public async Task Signature_over_another_path_is_invalid()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"),
            new SignOptions { SignedPath = "/ams/sandbox/api/v1/payments/pay" });

        Assert.Equal("INVALID_SIGNATURE", reply.ResultCode);
    }

    [Fact]
    public async Task Signature_with_another_key_is_invalid()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"),
            new SignOptions { Key = TestKeys.SecondMerchant });

        Assert.Equal("INVALID_SIGNATURE", reply.ResultCode);
    }

    [Fact]
    public async Task Unregistered_key_version_is_key_not_found()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { KeyVersion = 7 });

        Assert.Equal("KEY_NOT_FOUND", reply.ResultCode);
        Assert.Equal("F", reply.ResultStatus);
    }

    [Fact]
    public async Task Unknown_client_is_rejected()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { ClientId = "NOBODY" });

        Assert.Equal("UNKNOWN_CLIENT", reply.ResultCode);
        Assert.Equal("NOBODY", reply.ClientId);
        Assert.True(reply.SignatureValid);
    }

    [Fact]
    public async Task Non_rsa256_algorithm_is_invalid_signature()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { Algorithm = "HS256" });

        Assert.Equal("INVALID_SIGNATURE", reply.ResultCode);
    }

    [Theory]
    [InlineData("not-a-time")]
    [InlineData("2024-05-01T10:00:00")]
    [InlineData("")]
    public async Task Bad_request_time_is_param_illegal(string time)
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { TimeText = time });

        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains("Request-Time", reply.ResultMessage);
    }

    [Fact]
    public async Task Missing_signature_is_param_illegal()
    {
        var reply = await _session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { OmitSignature = true });

        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains("Signature", reply.ResultMessage);
    }

    [Fact]
    public async Task Key_rotation_serves_both_versions_and_defaults_to_the_latest()
    {
        const string clientId = "ROTATING_CLIENT";
        _session.Server.RegisterClient(clientId, TestKeys.PublicOf(TestKeys.Merchant), keyVersion: 1);
        _session.Server.RegisterClient(clientId, TestKeys.PublicOf(TestKeys.SecondMerchant), keyVersion: 2);
        using var client = _session.NewClient(clientId, TestKeys.Merchant);

        var v1 = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { KeyVersion = 1 });
        var v2 = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"),
            new SignOptions { KeyVersion = 2, Key = TestKeys.SecondMerchant });
        var latest = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"),
            new SignOptions { KeyVersion = null, Key = TestKeys.SecondMerchant });
        var oldKeyAsLatest = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"),
            new SignOptions { KeyVersion = null });

        Assert.Equal("SUCCESS", v1.ResultCode);
        Assert.Equal("SUCCESS", v2.ResultCode);
        Assert.Equal("SUCCESS", latest.ResultCode);
        Assert.Equal("INVALID_SIGNATURE", oldKeyAsLatest.ResultCode);
    }

    [Fact]
    public async Task Sandbox_path_is_served_and_signed_over_the_sandbox_path()
    {
        using var client = _session.NewClient(EmulatorSession.ClientId, TestKeys.Merchant);
        client.Sandbox = true;
        var reply = await client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));

        Assert.Equal("SUCCESS", reply.ResultCode);
        Assert.True(reply.SignatureValid); // verified over /ams/sandbox/api/v1/payments/pay
    }

    [Fact]
    public async Task Every_answer_carries_response_time_client_id_and_a_valid_signature()
    {
        var reply = await _session.Client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "nothing-here" });

        Assert.Equal("ORDER_NOT_EXIST", reply.ResultCode);
        Assert.Equal(EmulatorSession.ClientId, reply.ClientId);
        Assert.NotNull(reply.ResponseTime);
        Assert.True(reply.SignatureValid);
        Assert.StartsWith("algorithm=RSA256,keyVersion=1,signature=", reply.Signature);
    }

    [Fact]
    public async Task Response_time_can_be_epoch_milliseconds()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.TimeHeaderFormat = TimeHeaderFormat.EpochMilliseconds);
        var reply = await session.InquireAsync("nothing-here");

        Assert.Matches("^[0-9]{13}$", reply.ResponseTime);
    }

    [Fact]
    public async Task Request_time_skew_limit_is_enforced_when_configured()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.MaxRequestTimeSkew = TimeSpan.FromMinutes(5));
        string old = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds().ToString();

        var stale = await session.Client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" }, new SignOptions { TimeText = old });
        var fresh = await session.Client.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" });

        Assert.Equal("PARAM_ILLEGAL", stale.ResultCode);
        Assert.Equal("ORDER_NOT_EXIST", fresh.ResultCode);
    }

    [Fact]
    public async Task Unknown_path_and_wrong_method_are_signed_errors()
    {
        var unknown = await _session.Client.PostRawAsync("/ams/api/v1/payments/capture", "{}");
        var get = await _session.Client.PostRawAsync("/ams/api/v1/payments/pay", "{}", method: HttpMethod.Put);
        var text = await _session.Client.PostRawAsync("/ams/api/v1/payments/pay", "{}", contentType: "text/plain");

        Assert.Equal(404, unknown.Status);
        Assert.Equal("NO_INTERFACE_DEF", unknown.ResultCode);
        Assert.Equal(405, get.Status);
        Assert.Equal("METHOD_NOT_SUPPORTED", get.ResultCode);
        Assert.Equal("MEDIA_TYPE_NOT_ACCEPTABLE", text.ResultCode);
        Assert.True(unknown.SignatureValid && get.SignatureValid && text.SignatureValid);
    }

    [Fact]
    public async Task Tls_is_trusted_only_through_the_exported_ca()
    {
        // Negative control: without the custom callback the system trust store rejects the emulator's certificate.
        using var plain = new HttpClient { BaseAddress = _session.Server.HttpsBaseUri };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync("/__emulator/health"));
        Assert.IsType<AuthenticationException>(error.InnerException);

        // Another emulator's CA does not vouch for this one.
        await using var other = await EmulatorSession.StartAsync();
        using var wrongCa = new AntomTestClient(_session.Server.HttpsBaseUri!, other.Server.CaCertificatePem, _session.Server.AntomPublicKey,
            EmulatorSession.ClientId, TestKeys.Merchant);
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.PostAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = "x" }));
    }
}
