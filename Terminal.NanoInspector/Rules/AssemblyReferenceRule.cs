using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO003: references to any assembly but mscorlib and the project's own portable assemblies. The nano
/// build compiles against nanoFramework.CoreLibrary's mscorlib alone; anything else (a .NET facade, a NuGet
/// library) does not exist on the device, and device libraries belong in the bindings layer.
/// </summary>
internal sealed class AssemblyReferenceRule : INanoRule
{
    private const int TypesNamed = 3;

    public string Id => "NANO003";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        MetadataReader reader = assembly.Reader;
        string allowed = string.Join(", ", options.AllowedReferences.Order(StringComparer.OrdinalIgnoreCase));
        foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
        {
            AssemblyReference reference = reader.GetAssemblyReference(handle);
            string name = reader.GetString(reference.Name);
            if (options.AllowedReferences.Contains(name))
            {
                continue;
            }

            List<string> used = reader.TypeReferences
                .Where(t => reader.GetTypeReference(t).ResolutionScope == (EntityHandle)handle)
                .Select(t => assembly.Names.Type(t))
                .ToList();
            string types = used.Count == 0
                ? ""
                : " (uses " + string.Join(", ", used.Take(TypesNamed)) + (used.Count > TypesNamed ? ", ..." : "") + ")";
            yield return assembly.Report(
                Id,
                CodeSite.Assembly,
                $"references assembly '{name}' {reference.Version}{types}; a nano build may reference only " +
                $"mscorlib and the project's own portable assemblies (allowed here: {allowed}); move code that needs " +
                "other libraries into the device bindings");
        }
    }
}
