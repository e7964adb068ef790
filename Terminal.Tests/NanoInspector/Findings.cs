using Terminal.NanoInspector.Inspection;
using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>Assertions over inspector findings that print every finding when they fail.</summary>
internal static class Findings
{
    /// <summary>The single finding of <paramref name="ruleId"/> on <paramref name="subject"/>.</summary>
    public static Finding Single(IReadOnlyList<Finding> findings, string ruleId, string subject)
    {
        List<Finding> matching = findings.Where(f => f.RuleId == ruleId && f.Subject == subject).ToList();
        Assert.True(matching.Count == 1, $"expected one {ruleId} on {subject}, got {matching.Count}:\n{Dump(findings)}");
        return matching[0];
    }

    public static void None(IReadOnlyList<Finding> findings)
    {
        Assert.True(findings.Count == 0, "expected no findings:\n" + Dump(findings));
    }

    public static void OnlyRules(IReadOnlyList<Finding> findings, params string[] ruleIds)
    {
        Assert.True(findings.Count > 0, "expected findings, got none");
        Assert.True(findings.All(f => ruleIds.Contains(f.RuleId)), $"unexpected rules:\n{Dump(findings)}");
    }

    public static string Dump(IEnumerable<Finding> findings) => string.Join("\n", findings);
}
