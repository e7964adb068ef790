using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>
/// Where the emulator must look like Antom byte for byte: JSON text written literally (Antom writes times as
/// <c>...+08:00</c>, not <c>\u002B08:00</c>), signature errors answered unsigned, and the Request-Time age limit on
/// the command line.
/// </summary>
public sealed class FidelityTests
{
    [Fact]
    public async Task Plus_and_angle_brackets_are_written_literally_in_answers()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.TimeZoneOffset = TimeSpan.FromHours(8));
        var paid = await session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"));
        Assert.Equal("SUCCESS", paid.ResultCode);
        Assert.Contains("+08:00\"", paid.Body);
        Assert.DoesNotContain("\\u002B", paid.Body, StringComparison.OrdinalIgnoreCase);
        Assert.True(paid.SignatureValid);

        // A message with < and > (the signature error names the content shape) and a key that needs none escaped.
        var refused = await session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { Key = TestKeys.SecondMerchant });
        Assert.Contains("<path>", refused.Body);
        Assert.DoesNotContain("\\u003C", refused.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\\u003E", refused.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_control_APIs_public_key_is_written_literally()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.Urls = ["https://127.0.0.1:0", "http://127.0.0.1:0"]);
        using var http = new HttpClient { BaseAddress = session.Server.HttpBaseUri };
        string text = await http.GetStringAsync("/__emulator/antom-public-key");
        Assert.DoesNotContain("\\u002B", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(session.Server.AntomPublicKeyBase64, JsonNode.Parse(text)!["publicKey"]!.GetValue<string>());
        Assert.Contains(session.Server.AntomPublicKeyBase64, text);
    }

    [Theory]
    [InlineData("another key")]
    [InlineData("tampered body")]
    [InlineData("another algorithm")]
    public async Task A_signature_error_is_answered_without_a_signature_like_Antom(string what)
    {
        await using var session = await EmulatorSession.StartAsync();
        string id = Bodies.NewId("PR");
        var sign = what switch
        {
            "another key" => new SignOptions { Key = TestKeys.SecondMerchant },
            "tampered body" => new SignOptions { SignedBody = Bodies.UpmPay(id, "288888888888888888", value: "1").ToJsonString() },
            _ => new SignOptions { Algorithm = "HS256" },
        };
        var reply = await session.Client.PostAsync("pay", Bodies.UpmPay(id, "288888888888888888"), sign);
        Assert.Equal(("F", "INVALID_SIGNATURE"), (reply.ResultStatus, reply.ResultCode));
        Assert.Null(reply.Signature);
        Assert.NotNull(reply.ResponseTime);
    }

    [Fact]
    public async Task The_Request_Time_age_limit_has_a_command_line_switch()
    {
        var command = await CommandLineTests.ParseAsync("--max-request-time-skew", "00:05:00");
        Assert.Equal(TimeSpan.FromMinutes(5), command.Parsed!.Options.MaxRequestTimeSkew);
        Assert.Contains("--max-request-time-skew", (await CommandLineTests.ParseAsync("--help")).Out);
        Assert.Equal(2, (await CommandLineTests.ParseAsync("--max-request-time-skew", "never")).Code);
    }

    [Fact]
    public async Task A_Request_Time_older_than_the_limit_is_PARAM_ILLEGAL()
    {
        await using var session = await EmulatorSession.StartAsync(o => o.MaxRequestTimeSkew = TimeSpan.FromMinutes(5));
        string old = DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = await session.Client.PostAsync("pay", Bodies.UpmPay(Bodies.NewId("PR"), "288888888888888888"), new SignOptions { TimeText = old });
        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains("Request-Time", reply.ResultMessage);
    }
}
