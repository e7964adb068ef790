using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>NANO009: string[] elements left unwritten (nanoCLR crashes comparing them).</summary>
public class StringArrayRuleTests
{
    [Fact]
    public void StringArrays_WithUnwrittenElements_AreRejected()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class Slots
                {
                    string[] names = new string[2];
                    static string[] Holes() { return new string[] { "a", null, "c" }; }
                }
            }
            """);

        var findings = sample.Inspect();

        var field = Findings.Single(findings, "NANO009", "Demo.Slots..ctor");
        Assert.Contains("string[] of length 2 whose initializer does not write element(s) 0, 1", field.Message);
        Assert.Equal(sample.LineOf("string[] names = new string[2];"), field.Line);
        Assert.Contains("does not write element(s) 1;", Findings.Single(findings, "NANO009", "Demo.Slots.Holes").Message);
        Findings.OnlyRules(findings, "NANO009");
    }

    [Fact]
    public void StringArrays_WithEveryElementWritten_Pass()
    {
        using var sample = NanoSample.Compile("""
            namespace Demo
            {
                class Tables
                {
                    static readonly string[] Codes = { "USD", "EUR", "JPY" };
                    string[] slots = { string.Empty, string.Empty };
                    static string[] None() { return new string[0]; }
                    static string[] Filled(int n) { var a = new string[n]; for (int i = 0; i < n; i++) a[i] = ""; return a; }
                    object[] boxes = new object[4];
                    bool Has(string name) { return slots[0] == name || Codes[1] == name; }
                }
            }
            """);

        Findings.None(sample.Inspect());
    }
}
