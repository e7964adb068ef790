using Terminal.Firmware.Diagnostics;
using Runner = Terminal.NanoRunner.Program;
using Terminal.NanoRunner.Scenario;
using Xunit;

namespace Terminal.Tests.NanoRunner;

/// <summary>
/// The program CI also runs on nanoCLR (docs/nanoclr.md), run here on .NET: every self-test check and scenario
/// step passes, the closing line counts them, and two runs print the same lines (the two runtimes' outputs are
/// compared line by line, so nothing in them may depend on time or chance).
/// </summary>
public sealed class NanoRunnerTests
{
    private static List<string> Run()
    {
        var lines = new List<string>();
        int failed = Runner.Run(lines.Add, timing: false);
        Assert.Equal(0, failed);
        return lines;
    }

    [Fact]
    public void Every_check_and_step_passes_and_the_last_line_counts_them()
    {
        List<string> lines = Run();

        Assert.DoesNotContain(lines, l => l.Contains("FAIL"));
        int passes = lines.Count(l => l.StartsWith("PASS ") || l.StartsWith("selftest PASS "));
        Assert.Equal(passes + " passed, 0 failed", lines[^1]);
        string[] steps =
        [
            "cpm sale paid at once", "cpm sale paid after inquiries", "mpm order-code sale", "power cut with boot recovery",
            "refund", "void", "host-link session", "pulse vend cut as pulse 2 rose", "mdb vend failed after approval", "scanner late code waiting as the scan began",
            "scanner late code split across the begin", "scanner this scan's code", "scanner negative control",
            "tft st7789 240x320", "tft ili9341 320x240", "heartbeat",
        ];
        Assert.Equal(steps, lines.Where(l => l.StartsWith("PASS ")).Select(l => l[5..l.IndexOf(':')]));
    }

    [Fact]
    public void Two_runs_print_the_same_lines()
    {
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void A_terminal_with_the_wrong_key_fails_the_step_and_the_gateway_refuses_it()
    {
        var rig = new ScenarioRig();
        rig.Config.Device.Key[0] ^= 1;
        rig.Boot();
        var lines = new List<string>();
        var report = new SelfTestReport(lines.Add);

        SaleSteps.CpmPaidAtOnce(rig, report);

        Assert.Equal(1, report.Failed);
        Assert.StartsWith("FAIL cpm sale paid at once", Assert.Single(lines));
        Assert.True(rig.Gateway.Rejected > 0);
        Assert.Equal(0, rig.Gateway.PaymentCount);
    }

    [Fact]
    public void Timing_lines_carry_the_prefix_the_comparison_leaves_out()
    {
        var lines = new List<string>();
        Terminal.NanoRunner.Timing.TimingSection.Run(lines.Add);

        Assert.Equal(9, lines.Count);
        Assert.All(lines, l => Assert.StartsWith("timing", l));
        Assert.DoesNotContain(lines, l => l.Contains("FAILED"));
    }
}
