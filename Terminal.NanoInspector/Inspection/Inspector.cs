using Terminal.NanoInspector.Rules;

namespace Terminal.NanoInspector.Inspection;

/// <summary>Runs every nano rule over one compiled assembly.</summary>
public static class Inspector
{
    /// <summary>The rules, in the order of their codes (see README.md).</summary>
    internal static readonly IReadOnlyList<INanoRule> Rules =
    [
        new GenericDefinitionRule(),
        new GenericInstantiationRule(),
        new AssemblyReferenceRule(),
        new MultidimensionalArrayRule(),
        new UnsafeCodeRule(),
        new PInvokeRule(),
        new AsyncStateMachineRule(),
        new TypeSizeRule(),
        new StringArrayRule(),
        new ByteCodeSizeRule(),
    ];

    /// <summary>
    /// Inspects the assembly at <paramref name="assemblyPath"/> (with its portable PDB when present) and
    /// returns the findings sorted by file, line and rule; empty means the runtime can load it.
    /// </summary>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<Finding> Inspect(string assemblyPath, InspectionOptions options) =>
        Run(assemblyPath, options).Findings;

    /// <summary>As <see cref="Inspect"/>, with the assembly's nano byte-code size.</summary>
    public static InspectionResult Run(string assemblyPath, InspectionOptions options)
    {
        using InspectedAssembly assembly = InspectedAssembly.Open(assemblyPath);
        List<Finding> findings = Rules
            .SelectMany(rule => rule.Check(assembly, options))
            .Distinct()
            .OrderBy(f => f.File, StringComparer.Ordinal)
            .ThenBy(f => f.Line)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.Subject, StringComparer.Ordinal)
            .ToList();
        return new InspectionResult(findings, assembly.NanoByteCodeBytes);
    }
}
