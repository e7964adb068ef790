using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Fuzzing;

/// <summary>
/// Every parser that takes bytes from outside, fuzzed (<see cref="FuzzEngine"/>): 0 crashes, 0 hangs, and 0 answers
/// other than acceptance or the parser's clear error. The suite runs a short pass of each (seconds in all); the long
/// run of docs/fuzzing.md sets <c>TERMINAL_FUZZ_INPUTS=1000000</c> (and optionally <c>TERMINAL_FUZZ_SEED</c>,
/// <c>TERMINAL_FUZZ_REPORT</c>, a file the figures are appended to).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("json", 30_000)]
    [InlineData("response", 30_000)]
    [InlineData("config", 20_000)]
    [InlineData("hostlink", 30_000)]
    [InlineData("framer", 30_000)]
    [InlineData("gm65", 30_000)]
    [InlineData("strictjson", 30_000)]
    public async Task Parsers_of_outside_bytes_never_crash_hang_or_answer_unclearly(string target, long inputs)
    {
        var fuzz = target switch
        {
            "json" => ParserTargets.ForJsonReader(),
            "response" => ParserTargets.ForResponseParser(),
            "config" => ParserTargets.ForConfigParser(),
            "hostlink" => ParserTargets.ForHostLink(),
            "framer" => ParserTargets.ForCodeFramer(),
            "gm65" => ParserTargets.ForGm65Replies(),
            _ => GatewayTargets.ForStrictJson(),
        };
        await RunAsync(fuzz, inputs);
    }

    [Theory]
    [InlineData("device", 1_500)]
    [InlineData("notify", 1_500)]
    public async Task The_gateways_device_and_notify_handling_never_crash_hang_or_answer_unclearly(string target, long inputs)
    {
        await using var gateway = await GatewayTargets.StartAsync();
        await RunAsync(target == "device" ? gateway.ForDeviceRequests() : gateway.ForNotifications(), inputs);
    }

    [Fact]
    public void Negative_control_the_fuzzer_finds_the_duplicate_key_crash_the_gateway_had()
    {
        // The gateway's old body handling: JsonNode.Parse caught JsonException only, and duplicate keys surfaced
        // later, as an ArgumentException from the first property lookup (an HTTP 500 with a stack trace).
        var old = new FuzzTarget("old gateway body handling", ParserTargets.AntomJson, ParserTargets.JsonTokens, input =>
        {
            System.Text.Json.Nodes.JsonObject? body;
            try
            {
                body = System.Text.Json.Nodes.JsonNode.Parse(input) as System.Text.Json.Nodes.JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                return FuzzVerdict.ClearError;
            }
            return body?["paymentRequestId"] is null ? FuzzVerdict.ClearError : FuzzVerdict.Accepted;
        });
        var report = FuzzEngine.Run(old, 30_000, 1, HangLimit);
        output.WriteLine(report.ToString());
        Assert.True(report.CrashCount > 0, "the fuzzer did not find the duplicate-key crash: " + report);
        Assert.Contains(report.Crashes, c => c.StartsWith("ArgumentException", StringComparison.Ordinal));
    }

    private async Task RunAsync(FuzzTarget target, long inputs)
    {
        if (long.TryParse(Environment.GetEnvironmentVariable("TERMINAL_FUZZ_INPUTS"), out long requested) && requested > 0) inputs = requested;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("TERMINAL_FUZZ_SEED"), out int s) ? s : 1;
        // Off the test framework's synchronization context: the gateway targets wait on async code.
        var report = await Task.Run(() => FuzzEngine.Run(target, inputs, seed, HangLimit));
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("TERMINAL_FUZZ_REPORT") is { Length: > 0 } file)
            await File.AppendAllTextAsync(file, report + Environment.NewLine);
        Assert.True(report.CrashCount == 0, report + "\n" + string.Join("\n", report.Crashes));
        Assert.True(report.Accepted > 0 && report.ClearErrors > 0, "the fuzzer reached only one side of the parser: " + report);
    }
}
