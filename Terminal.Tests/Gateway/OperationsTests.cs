using System.Net;
using System.Security.Cryptography;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>Health, readiness, metrics, logs without secrets, HTTPS with the generated CA.</summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task Health_and_readiness_answer()
    {
        await using var t = await TestGateway.StartAsync();
        using var health = await t.Http.GetAsync(new Uri(t.Gateway.BaseUri, "/healthz"));
        using var ready = await t.Http.GetAsync(new Uri(t.Gateway.BaseUri, "/readyz"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Metrics_count_requests_by_result_code_and_time_them()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-m1"));
        await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-m2"), signKey: RandomNumberGenerator.GetBytes(32)));
        string text = await t.Http.GetStringAsync(new Uri(t.Gateway.AdminBaseUri, "/metrics"));
        Assert.Contains("gateway_requests_total{operation=\"pay\",result_code=\"SUCCESS\"} 1", text);
        Assert.Contains("gateway_requests_total{operation=\"pay\",result_code=\"INVALID_SIGNATURE\"} 1", text);
        Assert.Contains("gateway_request_duration_ms_count{operation=\"pay\"} 2", text);
        Assert.Contains("gateway_upstream_total{operation=\"pay\",outcome=\"ok\"} 1", text);
        Assert.Contains("gateway_rsa_sign_duration_ms_count{operation=\"rsa256\"} 1", text);
    }

    [Fact]
    public async Task Logs_carry_no_keys_signatures_or_tokens()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var rotated = t.Device((await t.Gateway.Devices.RotateKeyAsync("T0001"))!);
        var signed = rotated.Sign(Bodies.Pay, Bodies.Upm("P-log"));
        await rotated.SendAsync(signed);
        await rotated.SendAsync(signed); // replay
        await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-log2"), signKey: RandomNumberGenerator.GetBytes(32)));
        t.Antom.Script = _ => new FakeReply(FakeAntom.Result("S", "SUCCESS", "x"), SignWithStranger: true);
        await rotated.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-log"));
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-log", "1"), key: TestKeys.Stranger);

        string logs = string.Join("\n", t.Logs.Lines);
        Assert.Contains("device request pay", logs); // the logs are there ...
        string[] secrets =
        [
            Convert.ToBase64String(device.Key), Convert.ToBase64String(rotated.Key), Uri.EscapeDataString(Convert.ToBase64String(device.Key)),
            signed.Signature, signed.Signature[(signed.Signature.IndexOf("signature=", StringComparison.Ordinal) + 10)..],
            TestKeys.MerchantPrivatePkcs8[..40], TestKeys.KeyEncryptionKey, TestGateway.AdminToken,
            "288888888888888888", // the customer's payment code
        ];
        foreach (string secret in secrets) Assert.DoesNotContain(secret, logs); // ... and none of these is in them
    }

    [Fact]
    public async Task Embedded_https_uses_a_generated_CA_that_clients_can_trust()
    {
        await using var t = await TestGateway.StartAsync(https: true);
        Assert.Equal("https", t.Gateway.BaseUri.Scheme);
        Assert.NotNull(t.Gateway.CaCertificate);
        Assert.Contains("BEGIN CERTIFICATE", t.Gateway.CaCertificatePem);
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-tls"))).ResultStatus);
        // A client without the CA refuses the connection.
        using var untrusting = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(t.Gateway.BaseUri, "/healthz")));
    }
}
