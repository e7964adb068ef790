using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator;

public sealed class CommandLineTests
{
    [Fact]
    public void No_arguments_is_the_interactive_terminal_with_the_embedded_gateway()
    {
        CommandLine cl = CommandLine.Parse([]);

        Assert.Equal("interactive", cl.Command);
        Assert.False(cl.SessionOptions().Remote);
        Assert.Equal("data", cl.SessionOptions().DataFolder);
    }

    [Fact]
    public void Chaos_takes_the_count_rate_and_seed()
    {
        CommandLine cl = CommandLine.Parse(["chaos", "1000", "--faults", "0.2", "--seed", "7"]);

        Assert.Equal(("chaos", 1000, 0.2, 7), (cl.Command, cl.ChaosSales, cl.FaultRate, cl.Seed));
        Assert.Equal(0.05, cl.ChaosOptions("x").NetworkDropRate);
        Assert.Equal(0.3, CommandLine.Parse(["chaos", "10", "--drops", "0.3"]).ChaosOptions("x").NetworkDropRate);
        Assert.Equal(0.0, CommandLine.Parse(["chaos", "10", "--drops", "0"]).ChaosOptions("x").NetworkDropRate);
    }

    [Fact]
    public void A_remote_gateway_needs_its_key_file()
    {
        Assert.Contains("--key-file", Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--gateway-url", "https://gw.example.com"])).Message);

        CommandLine cl = CommandLine.Parse(["--gateway-url", "https://gw.example.com/", "--device-id", "T0001", "--key-file", "k.txt"]);
        Assert.Equal(("https://gw.example.com", "T0001", "k.txt"), (cl.GatewayUrl, cl.DeviceId, cl.KeyFile));
        Assert.True(cl.SessionOptions().Remote);
    }

    [Theory]
    [InlineData("st7789")]
    [InlineData("ili9341")]
    [InlineData("sh1106")]
    public void Display_picks_the_controller_the_session_fits(string display)
    {
        Assert.Equal(display, CommandLine.Parse(["--display", display]).SessionOptions().Display);
        Assert.Null(CommandLine.Parse([]).SessionOptions().Display);
    }

    [Theory]
    [InlineData("chaos")]
    [InlineData("chaos", "many")]
    [InlineData("--faults", "2")]
    [InlineData("--drops", "0.6")]
    [InlineData("--device-id", "T-1")]
    [InlineData("--oled", "huge")]
    [InlineData("--display", "ssd1309")]
    [InlineData("--display")]
    [InlineData("--what")]
    [InlineData("dance")]
    public void Bad_arguments_are_refused_with_the_option_named(params string[] args)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => CommandLine.Parse(args));

        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public async Task Selftest_subcommand_exits_zero_when_every_check_passes()
    {
        Assert.Equal(0, await Terminal.Simulator.Program.Main(["selftest"]));
    }
}
