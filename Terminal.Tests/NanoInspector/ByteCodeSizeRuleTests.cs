using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using Terminal.NanoInspector;
using Terminal.NanoInspector.Inspection;
using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>
/// NANO010: the nano byte-code size of an assembly, computed from the IL as the MetadataProcessor encodes it, and
/// the limit of the .pe format it must stay under.
/// </summary>
public class ByteCodeSizeRuleTests
{
    /// <summary>Every operand kind the MetadataProcessor re-encodes, one method each.</summary>
    private const string EncodingSample = """
        using System;

        namespace Demo
        {
            public interface IShape
            {
                int Area();
            }

            public class Codes : IShape
            {
                private static string _name = "start";
                private int _count;

                public int Area() { return _count; }

                public string Tokens(object o)
                {
                    _count++;
                    string s = o as string;
                    return s ?? _name + "x" + Twice(_count);
                }

                public static int Twice(int x) { return x * 2; }

                public static int Table(int k)
                {
                    switch (k)
                    {
                        case 0: return 10;
                        case 1: return 11;
                        case 2: return 12;
                        case 3: return 13;
                        case 4: return 14;
                        case 5: return 15;
                        default: return -1;
                    }
                }

                public static long Far(long a)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        a = a * 1000003L + 1234567890123L; a = a * 1000003L + 1234567890123L;
                        a = a * 1000003L + 1234567890123L; a = a * 1000003L + 1234567890123L;
                        a = a * 1000003L + 1234567890123L; a = a * 1000003L + 1234567890123L;
                        a = a * 1000003L + 1234567890123L; a = a * 1000003L + 1234567890123L;
                        a = a * 1000003L + 1234567890123L; a = a * 1000003L + 1234567890123L;
                    }

                    return a;
                }

                public static int Guarded(int x)
                {
                    try
                    {
                        try
                        {
                            if (x < 0) { throw new ArgumentException("x"); } return 100 / x;
                        }
                        catch (ArgumentException)
                        {
                            return -1;
                        }
                    }
                    finally
                    {
                        _name = "done";
                    }
                }

                public static Type Kind() { return typeof(Codes); }

                public static double Half(double d) { return d * 0.5; }
            }
        }
        """;

    [Fact]
    public void TheEstimate_IsTheByteCodeTableTheMetadataProcessorWrites()
    {
        using var sample = NanoSample.Compile(EncodingSample, "Encoding");

        Dictionary<string, int> methods = MethodSizes(sample);

        // Measured: this sample converted by the MetadataProcessor v3.0.100 (nano-convert) has a ByteCode table
        // of 470 bytes (the .pe header's ByteCode and ResourcesFiles offsets minus the table's padding).
        Assert.Equal(470, methods.Values.Sum());

        // IL 73 bytes; the switch's count shrinks from 4 bytes to 1, its 6 targets from 4 bytes to 2 each.
        Assert.Equal(73 - 3 - 6 * 2, methods["Demo.Codes.Table"]);

        // IL 231 bytes; the loop's two long branches (br, blt) carry 2-byte offsets instead of 4.
        Assert.Equal(231 - 2 * 2, methods["Demo.Codes.Far"]);

        // IL 51 bytes; newobj, two ldstr and stsfld tokens shrink by 2 each; two handlers of 12 bytes and their count follow.
        Assert.Equal(51 - 4 * 2 + 2 * 12 + 1, methods["Demo.Codes.Guarded"]);

        // ldtoken keeps its 4-byte token; the call to Type.GetTypeFromHandle shrinks by 2 (IL 16 bytes).
        Assert.Equal(16 - 2, methods["Demo.Codes.Kind"]);

        // No tokens: as in IL.
        Assert.Equal(9, methods["Demo.Codes.Twice"]);
        Assert.Equal(17, methods["Demo.Codes.Half"]);

        // An interface method has no body and takes no bytes.
        Assert.DoesNotContain("Demo.IShape.Area", methods.Keys);
    }

    [Fact]
    public void AnAssemblyOverTheLimit_IsRejected_NamingItsLargestNamespaces()
    {
        using var sample = NanoSample.Compile(Generated(("Demo.Big", 52), ("Demo.Small", 1)), "Huge");

        Finding finding = Findings.Single(sample.Inspect(), "NANO010", "Huge");

        int size = MethodSizes(sample).Values.Sum();
        Assert.InRange(size, 60001, 65535);
        Assert.Contains($"has {size:N0} bytes of nano byte code, more than the 60,000 this build allows", finding.Message);
        Assert.Contains("split the assembly", finding.Message);
        Assert.Contains("largest: Demo.Big 62,", finding.Message);
    }

    [Fact]
    public void AnAssemblyJustUnderTheLimit_Passes_WithANoteFromTheCommandLine()
    {
        using var sample = NanoSample.Compile(Generated(("Demo.Big", 49)), "Large");
        var output = new StringWriter();

        int exit = Cli.Run([sample.AssemblyPath], output);

        Assert.Equal(Cli.Clean, exit);
        Assert.InRange(MethodSizes(sample).Values.Sum(), 50001, 60000);
        Assert.Contains("NanoInspector: note: Large.dll has 5", output.ToString());
        Assert.Contains("plan to split the assembly", output.ToString());
    }

    [Fact]
    public void ASmallAssembly_Passes_WithoutANote_AndSaysItsSize()
    {
        using var sample = NanoSample.Compile(Generated(("Demo.Big", 3)), "Modest");
        var output = new StringWriter();

        int exit = Cli.Run([sample.AssemblyPath], output);

        Assert.Equal(Cli.Clean, exit);
        Assert.DoesNotContain("note", output.ToString());
        Assert.Contains($"(nano byte code {MethodSizes(sample).Values.Sum():N0} of 60,000 bytes)", output.ToString());
    }

    private static Dictionary<string, int> MethodSizes(NanoSample sample)
    {
        using var pe = new PEReader(File.OpenRead(sample.AssemblyPath));
        MetadataReader reader = pe.GetMetadataReader();
        var names = new MetadataNames(reader);
        return NanoByteCode.Methods(reader, rva => pe.GetMethodBody(rva))
            .ToDictionary(m => names.Type(reader.GetMethodDefinition(m.Method).GetDeclaringType()) + "." + names.Member(m.Method), m => m.Bytes);
    }

    /// <summary>One static class per namespace, of <c>Methods</c> methods of about 1,200 bytes of byte code each.</summary>
    internal static string Generated(params (string Namespace, int Methods)[] namespaces)
    {
        var source = new StringBuilder();
        foreach ((string ns, int methods) in namespaces)
        {
            source.Append($"namespace {ns}\n{{\n    public static class Code\n    {{\n");
            for (int m = 0; m < methods; m++)
            {
                source.Append($"        public static int M{m}(int x)\n        {{\n");
                for (int s = 0; s < 100; s++)
                {
                    source.Append($"            x = x * 31 + {1000000 + s};\n");
                }

                source.Append("            return x;\n        }\n");
            }

            source.Append("    }\n}\n");
        }

        return source.ToString();
    }
}
