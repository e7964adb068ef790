using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Arguments of the standalone server.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Options_are_read_from_the_arguments()
    {
        var command = CommandLine.Parse(new[]
        {
            "--urls", "https://127.0.0.1:9443;http://127.0.0.1:9080", "--sqlite", "state.db", "--seed", "42",
            "--client", "SANDBOX_A,2=MIIBIjAN", "--cancel-window", "00:30:00", "--time-header", "epoch", "--no-control-api", "--quiet",
            "--export-ca", "ca.pem",
        });

        Assert.Equal(new[] { "https://127.0.0.1:9443", "http://127.0.0.1:9080" }, command.Options.Urls);
        Assert.Equal("state.db", command.Options.SqlitePath);
        Assert.Equal(42, command.Options.Seed);
        Assert.Equal(("SANDBOX_A", 2, "MIIBIjAN"), command.Clients.Single());
        Assert.Equal(TimeSpan.FromMinutes(30), command.Options.CancelWindow);
        Assert.Equal(TimeHeaderFormat.EpochMilliseconds, command.Options.TimeHeaderFormat);
        Assert.False(command.Options.EnableControlApi);
        Assert.False(command.Options.ConsoleLogging);
        Assert.Equal("ca.pem", command.ExportCaPath);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--seed")]
    [InlineData("--client", "no-key")]
    [InlineData("--cancel-window", "soon")]
    [InlineData("--time-header", "rfc")]
    public void Bad_arguments_name_the_option(params string[] args)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));

        Assert.Contains(args[0], error.Message);
    }

    [Fact]
    public async Task Non_loopback_host_names_are_refused()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            AntomEmulatorServer.StartAsync(new AntomEmulatorOptions { Urls = new List<string> { "https://example.com:9443" } }));

        Assert.Contains("example.com", error.Message);
    }
}
