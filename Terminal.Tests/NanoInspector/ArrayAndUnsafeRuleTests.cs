using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>NANO004 (multidimensional arrays) and NANO005 (pointers and unsafe code).</summary>
public class ArrayAndUnsafeRuleTests
{
    [Fact]
    public void MultidimensionalArrays_AreRejected_InFieldsParametersLocalsAndIL()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class Grid
                {
                    int[,] cells;
                    void Fill(byte[,,] cube) { }
                    int Corner() { int[,] copy = cells; return copy[0, 0]; }
                    void Reset() { cells = new int[2, 3]; }
                }
            }
            """);

        var findings = sample.Inspect();

        Assert.Contains("int[,] (field type)", Findings.Single(findings, "NANO004", "Demo.Grid.cells").Message);
        Assert.Contains("byte[,,] (parameter)", Findings.Single(findings, "NANO004", "Demo.Grid.Fill").Message);
        Assert.Contains("int[,] (local variable)", Findings.Single(findings, "NANO004", "Demo.Grid.Corner").Message);
        var reset = Findings.Single(findings, "NANO004", "Demo.Grid.Reset");
        Assert.Contains("int[,] (IL newobj)", reset.Message);
        Assert.Equal(sample.LineOf("void Reset()"), reset.Line);
        Assert.Equal(sample.LineOf("int[,] cells;"), Findings.Single(findings, "NANO004", "Demo.Grid.cells").Line);
        Findings.OnlyRules(findings, "NANO004");
    }

    [Fact]
    public void PointerTypes_AreRejected()
    {
        using var sample = NanoSample.Compile(
            """
            namespace Demo
            {
                unsafe class Raw
                {
                    static int Read(int* p) { return *p; }
                }
            }
            """,
            allowUnsafe: true);

        var finding = Findings.Single(sample.Inspect(), "NANO005", "Demo.Raw.Read");

        Assert.Contains("pointer type int* (parameter)", finding.Message);
    }

    [Fact]
    public void FixedStatement_IsRejected_AsPinnedMemory()
    {
        using var sample = NanoSample.Compile(
            """
            namespace Demo
            {
                class Raw
                {
                    static unsafe void Clear(byte[] buffer)
                    {
                        fixed (byte* p = buffer) { p[0] = 0; }
                    }
                }
            }
            """,
            allowUnsafe: true);

        var findings = sample.Inspect().Where(f => f.Subject == "Demo.Raw.Clear").ToList();

        Assert.Contains(findings, f => f.RuleId == "NANO005" && f.Message.Contains("fixed statement"));
    }

    [Fact]
    public void Stackalloc_IsRejected_AsLocalloc()
    {
        using var sample = NanoSample.Compile(
            """
            namespace Demo
            {
                class Raw
                {
                    static unsafe int Scratch()
                    {
                        int* p = stackalloc int[4];
                        return p[0];
                    }
                }
            }
            """,
            allowUnsafe: true);

        var findings = sample.Inspect().Where(f => f.Subject == "Demo.Raw.Scratch").ToList();

        Assert.Contains(findings, f => f.RuleId == "NANO005" && f.Message.Contains("stackalloc"));
    }

    [Fact]
    public void FunctionPointers_AreRejected()
    {
        using var sample = NanoSample.Compile(
            """
            namespace Demo
            {
                unsafe class Raw
                {
                    static void Tick() { }
                    static void Call() { delegate*<void> f = &Tick; f(); }
                }
            }
            """,
            allowUnsafe: true);

        var finding = Findings.Single(sample.Inspect(), "NANO005", "Demo.Raw.Call");

        Assert.Contains("function pointer type delegate*<void>", finding.Message);
    }
}
