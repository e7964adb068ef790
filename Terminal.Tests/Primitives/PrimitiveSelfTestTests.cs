using Terminal.Firmware.Diagnostics;
using Xunit;

namespace Terminal.Tests.Primitives;

public class PrimitiveSelfTestTests
{
    [Fact]
    public void SelfTest_RunAll_reports_no_failures()
    {
        var lines = new List<string>();
        SelfTestReport report = SelfTest.RunAll(lines.Add);
        Assert.Equal(0, report.Failed);
        Assert.True(report.Passed >= 7);
        Assert.Equal(report.Summary, lines[^1]);
        Assert.Matches("^[0-9]+ passed, 0 failed$", lines[^1]);
    }

    [Fact]
    public void Primitive_checks_pass_one_line_each()
    {
        var lines = new List<string>();
        var report = new SelfTestReport(lines.Add);
        PrimitiveChecks.Run(report);
        Assert.Equal(7, report.Passed);
        Assert.Equal(0, report.Failed);
        Assert.All(lines, line => Assert.StartsWith("PASS ", line));
    }
}
