namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// What the inspected assembly may reference besides mscorlib: the simple names of the project's own
/// portable assemblies (from its ProjectReferences). Names compare case-insensitively, as the CLR does.
/// </summary>
public sealed class InspectionOptions(IEnumerable<string> allowedReferences)
{
    public IReadOnlySet<string> AllowedReferences { get; } =
        new HashSet<string>(allowedReferences.Where(n => n.Length > 0), StringComparer.OrdinalIgnoreCase) { "mscorlib" };
}
