using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO001: generic type or method definitions (ours or compiler-generated, e.g. the closure of a lambda
/// inside a generic method). The 1.x runtime has no generics; it crashes while resolving them.
/// </summary>
internal sealed class GenericDefinitionRule : INanoRule
{
    private const string Why = "the nanoFramework 1.x runtime has no generics and crashes while resolving them; " +
        "write a non-generic type over a concrete type or object";

    public string Id => "NANO001";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        MetadataReader reader = assembly.Reader;
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            if (type.GetGenericParameters().Count > 0)
            {
                yield return assembly.Report(Id, CodeSite.OfType(typeHandle), "is a generic type definition; " + Why);
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                if (reader.GetMethodDefinition(methodHandle).GetGenericParameters().Count > 0)
                {
                    yield return assembly.Report(Id, new CodeSite(typeHandle, methodHandle), "is a generic method definition; " + Why);
                }
            }
        }
    }
}
