using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector;

/// <summary>
/// Command line: <c>Terminal.NanoInspector &lt;assembly.dll&gt; [--allow Name1,Name2]</c>. Prints one line per
/// finding and exits 1 if there is any, 0 if the assembly is loadable, 2 on a usage or read error.
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

        IReadOnlyList<Finding> findings;
        try
        {
            findings = Inspector.Inspect(assembly, new InspectionOptions(allowed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            output.WriteLine($"error NANO000: {assembly}: cannot inspect: {e.Message}");
            return Failed;
        }

        foreach (Finding finding in findings)
        {
            output.WriteLine(finding.ToString());
        }

        if (findings.Count == 0)
        {
            output.WriteLine($"NanoInspector: {Path.GetFileName(assembly)} is loadable by the nanoFramework 1.x runtime.");
            return Clean;
        }

        output.WriteLine($"NanoInspector: {findings.Count} problem(s) in {Path.GetFileName(assembly)}; see Terminal.NanoInspector/README.md.");
        return Rejected;
    }
}
