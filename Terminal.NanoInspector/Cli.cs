using Terminal.NanoInspector.Inspection;
using Terminal.NanoInspector.Rules;

namespace Terminal.NanoInspector;

/// <summary>
/// Command line: <c>Terminal.NanoInspector &lt;assembly.dll&gt; [--allow Name1,Name2]</c>. Prints one line per
/// finding and exits 1 if there is any, 0 if the assembly is loadable, 2 on a usage or read error. A line starting
/// <c>NanoInspector: note:</c> says the assembly's byte code nears the .pe format's limit (build/Portable.targets
/// shows it in the build output).
/// </summary>
public static class Cli
{
    public const int Clean = 0;
    public const int Rejected = 1;
    public const int Failed = 2;

    private const string Usage = "usage: Terminal.NanoInspector <assembly.dll> [--allow Name1,Name2,...]";

    public static int Run(string[] args, TextWriter output)
    {
        string? assembly = null;
        var allowed = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--allow" && i + 1 < args.Length)
            {
                allowed.AddRange(args[++i].Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
            else if (assembly == null && !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                assembly = args[i];
            }
            else
            {
                output.WriteLine($"error NANO000: {Usage} (unexpected '{args[i]}')");
                return Failed;
            }
        }

        if (assembly == null)
        {
            output.WriteLine($"error NANO000: {Usage}");
            return Failed;
        }

        InspectionResult result;
        try
        {
            result = Inspector.Run(assembly, new InspectionOptions(allowed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            output.WriteLine($"error NANO000: {assembly}: cannot inspect: {e.Message}");
            return Failed;
        }

        string name = Path.GetFileName(assembly);
        foreach (Finding finding in result.Findings)
        {
            output.WriteLine(finding.ToString());
        }

        string? notice = ByteCodeSizeRule.Notice(name, result.NanoByteCodeBytes);
        if (notice != null)
        {
            output.WriteLine(notice);
        }

        if (result.Findings.Count == 0)
        {
            output.WriteLine($"NanoInspector: {name} is loadable by the nanoFramework 1.x runtime " +
                $"(nano byte code {ByteCodeSizeRule.Bytes(result.NanoByteCodeBytes)} of {ByteCodeSizeRule.Bytes(ByteCodeSizeRule.LimitBytes)} bytes).");
            return Clean;
        }

        output.WriteLine($"NanoInspector: {result.Findings.Count} problem(s) in {name}; see Terminal.NanoInspector/README.md.");
        return Rejected;
    }
}
