using System.Globalization;
using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO010: an assembly whose byte code would not fit the .pe format. A method's offset in the .pe's ByteCode
/// table is 16 bits wide, so the MetadataProcessor refuses an assembly with more than 65,535 bytes of byte code
/// ("Byte code table overflow"). The size is computed from the IL the way the MetadataProcessor encodes it
/// (<see cref="NanoByteCode"/>); the build fails a margin below the format's limit, and the command line prints a
/// note from <see cref="NoticeBytes"/> on, while there is still time to plan the split.
/// </summary>
internal sealed class ByteCodeSizeRule : INanoRule
{
    /// <summary>What the .pe format can address.</summary>
    internal const int FormatLimitBytes = ushort.MaxValue;

    /// <summary>More than this fails the build.</summary>
    internal const int LimitBytes = 60000;

    /// <summary>More than this prints a note.</summary>
    internal const int NoticeBytes = 50000;

    private const int NamespacesNamed = 4;

    public string Id => "NANO010";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        if (assembly.NanoByteCodeBytes > LimitBytes)
        {
            yield return assembly.Report(
                Id,
                CodeSite.Assembly,
                $"has {Bytes(assembly.NanoByteCodeBytes)} bytes of nano byte code, more than the {Bytes(LimitBytes)} this build " +
                $"allows; a .pe addresses its methods' byte code with 16-bit offsets, so the MetadataProcessor refuses more than " +
                $"{Bytes(FormatLimitBytes)}; split the assembly along its folders (largest: {Largest(assembly)})");
        }
    }

    /// <summary>The note the command line prints between <see cref="NoticeBytes"/> and <see cref="LimitBytes"/>, else null.</summary>
    internal static string? Notice(string assemblyName, int bytes) =>
        bytes > NoticeBytes && bytes <= LimitBytes
            ? $"NanoInspector: note: {assemblyName} has {Bytes(bytes)} bytes of nano byte code, more than {Bytes(NoticeBytes)}: " +
              $"the build fails above {Bytes(LimitBytes)} (the .pe format ends at {Bytes(FormatLimitBytes)}), plan to split the assembly"
            : null;

    internal static string Bytes(int bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    private static string Largest(InspectedAssembly assembly)
    {
        MetadataReader reader = assembly.Reader;
        var byNamespace = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((MethodDefinitionHandle method, int bytes) in assembly.NanoByteCodeMethods)
        {
            TypeDefinition type = reader.GetTypeDefinition(reader.GetMethodDefinition(method).GetDeclaringType());
            while (type.IsNested)
            {
                type = reader.GetTypeDefinition(type.GetDeclaringType());
            }

            string ns = reader.GetString(type.Namespace);
            byNamespace[ns] = byNamespace.GetValueOrDefault(ns) + bytes;
        }

        return string.Join(", ", byNamespace
            .OrderByDescending(n => n.Value)
            .ThenBy(n => n.Key, StringComparer.Ordinal)
            .Take(NamespacesNamed)
            .Select(n => $"{(n.Key.Length == 0 ? "(no namespace)" : n.Key)} {Bytes(n.Value)}"));
    }
}
