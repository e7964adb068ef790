using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Arguments of the standalone server, parsed as the program parses them (the server itself is not started).</summary>
public sealed class CommandLineTests
{
    /// <summary>The exit code, what the server would have been started with (null: it would not), and the two streams.</summary>
    internal static async Task<(int Code, CommandLine? Parsed, string Out, string Err)> ParseAsync(params string[] args)
    {
        CommandLine? parsed = null;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CommandLine.InvokeAsync(args, stdout, stderr, (command, _) =>
        {
            parsed = command;
            return Task.FromResult(0);
        });
        return (code, parsed, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Options_are_read_from_the_arguments()
    {
        var (code, command, _, err) = await ParseAsync(
            "--urls", "https://127.0.0.1:9443;http://127.0.0.1:9080", "--sqlite", "state.db", "--seed", "42",
            "--client", "SANDBOX_A,2=MIIBIjAN", "--cancel-window", "00:30:00", "--time-header", "epoch", "--no-control-api", "--quiet",
            "--export-ca", "ca.pem");

        Assert.Equal((0, ""), (code, err));
        Assert.Equal(new[] { "https://127.0.0.1:9443", "http://127.0.0.1:9080" }, command!.Options.Urls);
        Assert.Equal("state.db", command.Options.SqlitePath);
        Assert.Equal(42, command.Options.Seed);
        Assert.Equal(("SANDBOX_A", 2, "MIIBIjAN"), command.Clients.Single());
        Assert.Equal(TimeSpan.FromMinutes(30), command.Options.CancelWindow);
        Assert.Equal(TimeHeaderFormat.EpochMilliseconds, command.Options.TimeHeaderFormat);
        Assert.False(command.Options.EnableControlApi);
        Assert.False(command.Options.ConsoleLogging);
        Assert.Equal("ca.pem", command.ExportCaPath);
    }

    [Fact]
    public async Task No_arguments_are_the_documented_defaults_and_clients_repeat()
    {
        var defaults = (await ParseAsync()).Parsed!;
        Assert.Equal(("https://127.0.0.1:9443", 1, TimeHeaderFormat.Iso8601, true, true),
            (defaults.Options.Urls.Single(), defaults.Options.Seed, defaults.Options.TimeHeaderFormat, defaults.Options.EnableControlApi, defaults.Options.ConsoleLogging));
        Assert.Empty(defaults.Clients);

        var two = (await ParseAsync("--client", "A=k1", "--client", "B,3=k2")).Parsed!;
        Assert.Equal(new[] { ("A", 1, "k1"), ("B", 3, "k2") }, two.Clients);
    }

    [Fact]
    public async Task Help_lists_every_option_and_starts_nothing()
    {
        var (code, parsed, output, _) = await ParseAsync("--help");

        Assert.Equal((0, null), (code, parsed));
        foreach (string option in new[] { "--urls", "--client", "--sqlite", "--seed", "--export-ca", "--export-public-key", "--cancel-window", "--refund-window",
                     "--order-code-lifetime", "--time-header", "--max-request-time-skew", "--no-control-api", "--quiet" })
            Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--seed")]
    [InlineData("--seed", "many")]
    [InlineData("--client", "no-key")]
    [InlineData("--client", "A,x=key")]
    [InlineData("--client", "A=@/nonexistent/key.pem")]
    [InlineData("--cancel-window", "soon")]
    [InlineData("--refund-window", "-1.00:00:00")]
    [InlineData("--time-header", "rfc")]
    public async Task Bad_arguments_exit_2_naming_the_option_and_start_nothing(params string[] args)
    {
        var (code, parsed, output, err) = await ParseAsync(args);

        Assert.Equal((2, null), (code, parsed));
        Assert.Contains(args[0], err);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Non_loopback_host_names_are_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            AntomEmulatorServer.StartAsync(new AntomEmulatorOptions { Urls = new List<string> { "https://example.com:9443" } }));

        Assert.Contains("example.com", error.Message);
    }
}
