namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Turns matching type uses into findings, one per member and distinct type: a member that declares an
/// Action&lt;int&gt; local and then calls Invoke on it is reported once, in the first role seen.
/// </summary>
internal static class UsageFindings
{
    public static IEnumerable<Finding> Report(
        InspectedAssembly assembly,
        string ruleId,
        Func<TypeUsage, bool> matches,
        Func<TypeUsage, string> message)
    {
        // Keyed by the printed name, so an event and its backing field (both "C.E") count as one member.
        var seen = new HashSet<(string, string)>();
        foreach (TypeUsage usage in assembly.TypeUsages)
        {
            if (matches(usage) && seen.Add((assembly.Names.Site(usage.Site), usage.Shape.Name)))
            {
                yield return assembly.Report(ruleId, usage.Site, message(usage));
            }
        }
    }
}
