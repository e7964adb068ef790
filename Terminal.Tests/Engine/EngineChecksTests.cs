using System.Security.Cryptography;
using System.Text;
using Terminal.Firmware.Diagnostics;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class EngineChecksTests
{
    private static string DotNetSignature(string label, string content) =>
        "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(
            HMACSHA256.HashData(RelayKeys.Derive(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), label), Encoding.ASCII.GetBytes(content))));

    [Fact]
    public void The_precomputed_signatures_are_what_dotnet_computes()
    {
        const string response = "POST /ams/api/v1/payments/pay\nT0001.1700000000250.{\"result\":{\"resultStatus\":\"S\"}}";
        Assert.Equal(
            EngineChecks.ExpectedRequestSignature,
            DotNetSignature(RelayKeys.RequestLabel, "POST /ams/api/v1/payments/pay\nT0001.1700000000000.{\"paymentRequestId\":\"T000100000000004212345678\"}"));
        Assert.Equal(EngineChecks.ExpectedResponseSignature, DotNetSignature(RelayKeys.AnswerLabel, response));
        Assert.Equal(EngineChecks.RequestKeyResponseSignature, DotNetSignature(RelayKeys.RequestLabel, response));
    }

    [Fact]
    public void All_engine_checks_pass()
    {
        var lines = new List<string>();
        var report = new SelfTestReport(lines.Add);
        EngineChecks.Run(report);
        Assert.Equal(0, report.Failed);
        Assert.Equal(7, report.Passed);
        Assert.All(lines, l => Assert.StartsWith("PASS engine ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void The_self_test_includes_the_engine_checks()
    {
        var lines = new List<string>();
        SelfTestReport report = SelfTest.RunAll(lines.Add);
        Assert.Contains("PASS engine HS256 request signature", lines);
        Assert.Equal(0, report.Failed);
    }
}
