using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>The simulator's command line, parsed as the program parses it (nothing is started).</summary>
public sealed class CommandLineTests
{
    /// <summary>The exit code, what the program would have run (null: nothing) and the two streams.</summary>
    private static async Task<(int Code, CommandLine? Parsed, string Out, string Err)> ParseAsync(params string[] args)
    {
        CommandLine? parsed = null;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CommandLine.InvokeAsync(args, stdout, stderr, cl =>
        {
            parsed = cl;
            return Task.FromResult(0);
        });
        return (code, parsed, stdout.ToString(), stderr.ToString());
    }

    private static async Task<CommandLine> Parse(params string[] args)
    {
        var (code, parsed, _, err) = await ParseAsync(args);
        Assert.Equal((0, ""), (code, err));
        return parsed!;
    }

    [Fact]
    public async Task No_arguments_is_the_interactive_terminal_with_the_embedded_gateway()
    {
        CommandLine cl = await Parse();

        Assert.Equal("interactive", cl.Command);
        Assert.False(cl.SessionOptions().Remote);
        Assert.Equal("data", cl.SessionOptions().DataFolder);
        Assert.Equal("interactive", (await Parse("interactive", "--device-id", "T0002")).Command);
    }

    [Fact]
    public async Task Chaos_takes_the_count_rate_and_seed()
    {
        CommandLine cl = await Parse("chaos", "1000", "--faults", "0.2", "--seed", "7");

        Assert.Equal(("chaos", 1000, 0.2, 7), (cl.Command, cl.ChaosSales, cl.FaultRate, cl.Seed));
        Assert.Equal(0.05, cl.ChaosOptions("x").NetworkDropRate);
        Assert.Equal(0.3, (await Parse("chaos", "10", "--drops", "0.3")).ChaosOptions("x").NetworkDropRate);
        Assert.Equal(0.0, (await Parse("chaos", "10", "--drops", "0")).ChaosOptions("x").NetworkDropRate);
        Assert.Equal(("mdb", 1), ((await Parse("chaos", "300", "--vending", "mdb")).Vending, (await Parse("chaos", "300", "--vending", "mdb")).Seed));
        Assert.Null(cl.ChaosOptions("x").Scenarios);
        Assert.Equal([Terminal.Simulator.Chaos.ChaosScenario.PowerCutMpm, Terminal.Simulator.Chaos.ChaosScenario.KeypadPowerCut],
            (await Parse("chaos", "10", "--only", "PowerCutMpm,keypadpowercut")).ChaosOptions("x").Scenarios);
    }

    [Fact]
    public async Task Vending_figures_take_an_optional_count_and_demo_a_drawing()
    {
        Assert.Equal(("vending-figures", 50), ((await Parse("vending-figures")).Command, (await Parse("vending-figures")).FigureVends));
        Assert.Equal(120, (await Parse("vending-figures", "120")).FigureVends);
        Assert.Equal(Terminal.Simulator.Rendering.PictureStyle.Compact, (await Parse("demo", "--oled", "compact")).Style);
        Assert.Equal("selftest", (await Parse("selftest")).Command);
    }

    [Fact]
    public async Task A_remote_gateway_needs_its_key_file()
    {
        var (code, parsed, _, err) = await ParseAsync("--gateway-url", "https://gw.example.com");
        Assert.Equal((2, null), (code, parsed));
        Assert.Contains("--key-file", err);

        CommandLine cl = await Parse("--gateway-url", "https://gw.example.com/", "--device-id", "T0001", "--key-file", "k.txt");
        Assert.Equal(("https://gw.example.com", "T0001", "k.txt"), (cl.GatewayUrl, cl.DeviceId, cl.KeyFile));
        Assert.True(cl.SessionOptions().Remote);
    }

    [Theory]
    [InlineData("st7789")]
    [InlineData("ili9341")]
    [InlineData("sh1106")]
    public async Task Display_picks_the_controller_the_session_fits(string display)
    {
        Assert.Equal(display, (await Parse("--display", display)).SessionOptions().Display);
        Assert.Null((await Parse()).SessionOptions().Display);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    [InlineData("-h")]
    public async Task Help_lists_the_commands_and_options_and_runs_nothing(string ask)
    {
        var (code, parsed, output, _) = await ParseAsync(ask);

        Assert.Equal((0, null), (code, parsed));
        foreach (string word in new[] { "demo", "chaos", "selftest", "vending-figures", "--data", "--gateway-url", "--vending", "--display" })
            Assert.Contains(word, output);
        var chaos = await ParseAsync("chaos", "--help");
        Assert.Equal(0, chaos.Code);
        Assert.Contains("--faults", chaos.Out);
    }

    [Theory]
    [InlineData("sales", "chaos")]
    [InlineData("sales", "chaos", "many")]
    [InlineData("sales", "chaos", "0")]
    [InlineData("--faults", "chaos", "10", "--faults", "2")]
    [InlineData("--drops", "chaos", "10", "--drops", "0.6")]
    [InlineData("--seed", "chaos", "10", "--seed")]
    [InlineData("--vending", "chaos", "10", "--vending", "coins")]
    [InlineData("--only", "chaos", "10", "--only", "PowerCutMpm,Dance")]
    [InlineData("--only", "chaos", "10", "--only", "MpmReviewPaidLater")]
    [InlineData("--only", "chaos", "10", "--only", ",")]
    [InlineData("--faults", "--faults", "0.2")]
    [InlineData("--device-id", "--device-id", "T-1")]
    [InlineData("--oled", "--oled", "huge")]
    [InlineData("--display", "--display", "ssd1309")]
    [InlineData("--display", "--display")]
    [InlineData("--codes", "--codes", "/nonexistent/codes.txt")]
    [InlineData("--what", "--what")]
    [InlineData("dance", "dance")]
    [InlineData("vends", "vending-figures", "0")]
    public async Task Bad_arguments_exit_2_with_the_option_named_and_run_nothing(string named, params string[] args)
    {
        var (code, parsed, output, err) = await ParseAsync(args);

        Assert.Equal((2, null), (code, parsed));
        Assert.Contains(named, err);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Selftest_subcommand_exits_zero_when_every_check_passes()
    {
        Assert.Equal(0, await Terminal.Simulator.Program.Main(["selftest"]));
    }
}
