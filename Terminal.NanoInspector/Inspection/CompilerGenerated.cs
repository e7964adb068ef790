using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Says which source construct a compiler-generated type or member comes from, using Roslyn's naming
/// scheme (<c>&lt;&gt;c__DisplayClass0_0</c>, <c>&lt;Run&gt;d__3</c>, <c>&lt;Run&gt;b__0_0</c>, ...), so that a
/// finding on generated code still points the reader at the code they wrote.
/// </summary>
internal static class CompilerGenerated
{
    public static string Explain(InspectedAssembly assembly, CodeSite site)
    {
        if (site.IsAssembly)
        {
            return "";
        }

        MetadataReader reader = assembly.Reader;
        string? member = site.Member.Kind is HandleKind.MethodDefinition or HandleKind.FieldDefinition
            ? assembly.Names.Member(site.Member)
            : null;
        TypeDefinitionHandle type = site.Type;
        string typeName = reader.GetString(reader.GetTypeDefinition(type).Name);
        string? what = Describe(typeName);
        if (what == null && member != null)
        {
            what = DescribeMember(member);
        }

        if (what == null)
        {
            return "";
        }

        // Name the first enclosing type the programmer wrote.
        TypeDefinitionHandle user = type;
        while (!user.IsNil && IsGenerated(reader.GetString(reader.GetTypeDefinition(user).Name)))
        {
            user = reader.GetTypeDefinition(user).GetDeclaringType();
        }

        string owner = user.IsNil ? "" : " in " + assembly.Names.Type(user);
        return $"[compiler-generated: {what}{owner}] ";
    }

    private static bool IsGenerated(string name) => name.StartsWith('<');

    private static string? Describe(string typeName)
    {
        if (typeName.StartsWith("<>c__DisplayClass", StringComparison.Ordinal))
        {
            return "closure of a lambda or local function that captures variables";
        }

        if (typeName == "<>c" || typeName.StartsWith("<>c`", StringComparison.Ordinal))
        {
            return "cache of lambdas that capture nothing";
        }

        if (typeName.StartsWith("<>f__AnonymousType", StringComparison.Ordinal))
        {
            return "anonymous type";
        }

        if (typeName.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal))
        {
            return "helper class for constant data and switch hashing";
        }

        int close = typeName.IndexOf(">d__", StringComparison.Ordinal);
        if (typeName.StartsWith('<') && close > 0)
        {
            return $"state machine of the iterator or async method {typeName[1..close]}";
        }

        return null;
    }

    private static string? DescribeMember(string member)
    {
        int close = member.IndexOf('>');
        if (!member.StartsWith('<') || close < 0 || close + 1 >= member.Length)
        {
            return null;
        }

        string source = member[1..close];
        string rest = member[(close + 1)..];
        if (rest.StartsWith("g__", StringComparison.Ordinal))
        {
            int bar = rest.IndexOf('|');
            return $"local function {rest[3..(bar > 3 ? bar : rest.Length)]} in {source}";
        }

        return rest.StartsWith("b__", StringComparison.Ordinal) ? $"lambda in {source}"
            : rest.StartsWith("k__", StringComparison.Ordinal) ? $"backing field of property {source}"
            : null;
    }
}
