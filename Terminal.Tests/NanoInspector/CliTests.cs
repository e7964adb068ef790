using System.Text.RegularExpressions;
using Terminal.NanoInspector;
using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>The command line the build runs: output lines and exit codes.</summary>
public class CliTests
{
    private const string BoxSource = """
        namespace Demo
        {
            class Box<T> { }
        }
        """;

    [Fact]
    public void Findings_PrintOneErrorLinePerFinding_AndExitOne()
    {
        using var sample = NanoSample.Compile(BoxSource);
        var output = new StringWriter();

        int exit = Cli.Run([sample.AssemblyPath, "--allow", "Terminal.Drivers,Terminal.Firmware"], output);

        Assert.Equal(Cli.Rejected, exit);
        string[] errors = ErrorLines(output);
        Assert.Single(errors);
        Assert.Matches(@"^error NANO001: .+Sample\.cs\(3\): Demo\.Box<T>: .+", errors[0]);
    }

    [Fact]
    public void CleanAssembly_PrintsNoError_AndExitsZero()
    {
        using var sample = NanoSample.Compile("namespace Demo { class Plain { } }");
        var output = new StringWriter();

        int exit = Cli.Run([sample.AssemblyPath, "--allow", ""], output);

        Assert.Equal(Cli.Clean, exit);
        Assert.Empty(ErrorLines(output));
    }

    [Fact]
    public void WithoutPdb_TheAssemblyIsNamedInsteadOfTheSourceFile()
    {
        using var sample = NanoSample.Compile(BoxSource, withPdb: false);
        var output = new StringWriter();

        Cli.Run([sample.AssemblyPath], output);

        string line = Assert.Single(ErrorLines(output));
        Assert.StartsWith($"error NANO001: {sample.AssemblyPath}: Demo.Box<T>: ", line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("--bogus")]
    [InlineData("a.dll b.dll")]
    [InlineData("/no/such/assembly.dll")]
    public void UsageAndReadErrors_ExitTwo_WithAnErrorLine(string commandLine)
    {
        var output = new StringWriter();

        int exit = Cli.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries), output);

        Assert.Equal(Cli.Failed, exit);
        Assert.StartsWith("error NANO000: ", Assert.Single(ErrorLines(output)));
    }

    [Fact]
    public void NotAnAssembly_ExitsTwo()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a PE file");
            var output = new StringWriter();

            Assert.Equal(Cli.Failed, Cli.Run([path], output));
            Assert.Contains("cannot inspect", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string[] ErrorLines(StringWriter output)
    {
        return output.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => Regex.IsMatch(l, "^error NANO"))
            .ToArray();
    }
}
