using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>NANO003: assembly references beyond mscorlib and the allowed project assemblies.</summary>
public class ReferenceRuleTests
{
    private const string Library = """
        namespace Other
        {
            public class Thing { public int Value; }
        }
        """;

    private const string User = """
        namespace Demo
        {
            class C
            {
                int Read(Other.Thing thing) { return thing.Value; }
            }
        }
        """;

    [Fact]
    public void ReferenceToAnotherAssembly_IsRejected_NamingItAndTheTypesUsed()
    {
        using var other = NanoSample.Compile(Library, "Other");
        using var sample = NanoSample.Compile(User, references: other);

        var findings = sample.Inspect("Terminal.Drivers");

        var finding = Findings.Single(findings, "NANO003", "Sample");
        Assert.Contains("'Other'", finding.Message);
        Assert.Contains("Other.Thing", finding.Message);
        Assert.Contains("mscorlib, Terminal.Drivers", finding.Message);
        Assert.Equal(sample.AssemblyPath, finding.File);
        Findings.OnlyRules(findings, "NANO003");
    }

    [Fact]
    public void ReferenceToAnAllowedProjectAssembly_Passes()
    {
        using var other = NanoSample.Compile(Library, "Other");
        using var sample = NanoSample.Compile(User, references: other);

        Findings.None(sample.Inspect("Other"));
        Findings.None(sample.Inspect("other")); // assembly names compare case-insensitively
    }
}
