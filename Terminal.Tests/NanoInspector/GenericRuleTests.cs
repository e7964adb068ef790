using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>NANO001 (generic definitions) and NANO002 (generic instantiations).</summary>
public class GenericRuleTests
{
    [Fact]
    public void GenericType_IsRejected_WithItsFileLineAndName()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class Box<T> { }
            }
            """);

        var findings = sample.Inspect();

        var finding = Findings.Single(findings, "NANO001", "Demo.Box<T>");
        Assert.Equal(sample.SourcePath, finding.File);
        Assert.Equal(sample.LineOf("class Box"), finding.Line);
        Assert.Equal(
            $"error NANO001: {sample.SourcePath}({finding.Line}): Demo.Box<T>: {finding.Message}",
            finding.ToString());
        Findings.OnlyRules(findings, "NANO001");
    }

    [Fact]
    public void GenericMethod_IsRejected_AndSoIsItsInstantiation()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class C
                {
                    static T Id<T>(T x) { return x; }
                    int Run() { return Id(3); }
                }
            }
            """);

        var findings = sample.Inspect();

        var definition = Findings.Single(findings, "NANO001", "Demo.C.Id<T>");
        Assert.Equal(sample.LineOf("static T Id"), definition.Line);
        var call = Findings.Single(findings, "NANO002", "Demo.C.Run");
        Assert.Contains("Demo.C.Id<int>", call.Message);
        Assert.Equal(sample.LineOf("int Run()"), call.Line);
    }

    [Theory]
    [InlineData("System.Action<int> handler;", "Demo.C.handler", "System.Action<int>")]
    [InlineData("void Apply(System.Func<int, int> f) { }", "Demo.C.Apply", "System.Func<int,int>")]
    [InlineData("event System.EventHandler<System.EventArgs> Changed;", "Demo.C.Changed", "System.EventHandler<System.EventArgs>")]
    [InlineData("void Run() { System.Action<string> log = s => { }; log(\"x\"); }", "Demo.C.Run", "System.Action<string>")]
    [InlineData("object Kind() { return typeof(System.Action<int>); }", "Demo.C.Kind", "System.Action<int>")]
    [InlineData("System.Func<bool> Make() { return null; }", "Demo.C.Make", "System.Func<bool>")]
    public void MscorlibGenericDelegates_AreRejected_WhereverTheyAppear(string member, string subject, string instantiation)
    {
        using var sample = NanoSample.Compile($$"""
            namespace Demo
            {
                class C
                {
                    {{member}}
                }
            }
            """);

        var findings = sample.Inspect();

        var finding = Findings.Single(findings, "NANO002", subject);
        Assert.Contains(instantiation, finding.Message);
        Findings.OnlyRules(findings, "NANO002");
    }

    [Fact]
    public void InstantiationUsedOnlyInIL_IsRejected()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class C
                {
                    static void Print(int value) { }
                    void Run() { new System.Action<int>(Print).Invoke(3); }
                }
            }
            """);

        var finding = Findings.Single(sample.Inspect(), "NANO002", "Demo.C.Run");

        Assert.Contains("System.Action<int> (IL ", finding.Message);
    }

    [Fact]
    public void GenericBaseType_IsRejected_OnTheDerivedType()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class Holder<T> { }
                class IntHolder : Holder<int> { }
            }
            """);

        var findings = sample.Inspect();

        Findings.Single(findings, "NANO001", "Demo.Holder<T>");
        var derived = Findings.Single(findings, "NANO002", "Demo.IntHolder");
        Assert.Contains("Demo.Holder<int> (base type)", derived.Message);
        Assert.Equal(sample.LineOf("class IntHolder"), derived.Line);
    }

    [Fact]
    public void LambdaClosureInGenericMethod_IsRejected_AsCompilerGenerated()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                delegate void Work();

                class C
                {
                    static void Later<T>(T item)
                    {
                        Work work = () => { item.ToString(); };
                        work();
                    }
                }
            }
            """);

        var findings = sample.Inspect();

        var closure = Findings.Single(findings, "NANO001", "Demo.C.<>c__DisplayClass0_0<T>");
        Assert.Contains("compiler-generated: closure of a lambda", closure.Message);
        Assert.Contains("in Demo.C", closure.Message);
        Assert.Equal(sample.LineOf("Work work ="), closure.Line);
    }
}
