using System.Text;
using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>NANO008: more than 255 methods (or fields of a kind) in one type.</summary>
public class TypeSizeRuleTests
{
    [Fact]
    public void TwoHundredFiftyFiveMethods_Pass()
    {
        using var sample = NanoSample.Compile(TypeWith(staticMethods: 254, instanceMethods: 0)); // + the constructor

        Findings.None(sample.Inspect());
    }

    [Fact]
    public void TwoHundredFiftySixMethods_AreRejected_WithTheCounts()
    {
        using var sample = NanoSample.Compile(TypeWith(staticMethods: 255, instanceMethods: 0));

        var finding = Findings.Single(sample.Inspect(), "NANO008", "Demo.Big");

        Assert.Contains("256 methods (virtual 0, instance 1, static 255)", finding.Message);
        Assert.Equal(sample.LineOf("class Big"), finding.Line);
    }

    [Fact]
    public void MoreThan255MethodsOfAllKindsTogether_AreRejected()
    {
        using var sample = NanoSample.Compile(TypeWith(staticMethods: 130, instanceMethods: 130));

        var finding = Findings.Single(sample.Inspect(), "NANO008", "Demo.Big");

        Assert.Contains("261 methods (virtual 0, instance 131, static 130)", finding.Message);
    }

    [Fact]
    public void MoreThan255StaticFields_AreRejected_ButConstantsDoNotCount()
    {
        var source = new StringBuilder("namespace Demo { static class Table {\n");
        for (int i = 0; i < 256; i++)
        {
            source.Append($"public static int F{i};\npublic const int C{i} = {i};\n");
        }

        using var sample = NanoSample.Compile(source.Append("} }").ToString());

        var finding = Findings.Single(sample.Inspect(), "NANO008", "Demo.Table");

        Assert.Contains("256 static and 0 instance fields", finding.Message);
    }

    private static string TypeWith(int staticMethods, int instanceMethods)
    {
        var source = new StringBuilder("namespace Demo\n{\n    class Big\n    {\n");
        for (int i = 0; i < staticMethods; i++)
        {
            source.Append($"        static int S{i}() {{ return {i}; }}\n");
        }

        for (int i = 0; i < instanceMethods; i++)
        {
            source.Append($"        int I{i}() {{ return {i}; }}\n");
        }

        return source.Append("    }\n}\n").ToString();
    }
}
