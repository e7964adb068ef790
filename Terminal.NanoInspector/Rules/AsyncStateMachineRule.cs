using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO007: async methods (marked with AsyncStateMachineAttribute or AsyncIteratorStateMachineAttribute)
/// and any type implementing IAsyncStateMachine. nanoFramework has no Task type and no async machinery.
/// </summary>
internal sealed class AsyncStateMachineRule : INanoRule
{
    private const string CompilerServices = "System.Runtime.CompilerServices";
    private const string Why = "nanoFramework has no Task type and no async/await support; use a thread, " +
        "a Timer or events";

    public string Id => "NANO007";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        MetadataReader reader = assembly.Reader;
        var asyncMethods = new HashSet<(TypeDefinitionHandle, string)>();
        foreach (MethodDefinitionHandle handle in reader.MethodDefinitions)
        {
            MethodDefinition method = reader.GetMethodDefinition(handle);
            foreach (CustomAttributeHandle attributeHandle in method.GetCustomAttributes())
            {
                string attribute = AttributeTypeName(reader, reader.GetCustomAttribute(attributeHandle));
                if (attribute is CompilerServices + ".AsyncStateMachineAttribute"
                    or CompilerServices + ".AsyncIteratorStateMachineAttribute")
                {
                    asyncMethods.Add((method.GetDeclaringType(), reader.GetString(method.Name)));
                    var site = new CodeSite(method.GetDeclaringType(), handle);
                    yield return assembly.Report(Id, site, $"is an async method; {Why}");
                }
            }
        }

        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            bool isStateMachine = type.GetInterfaceImplementations()
                .Select(i => reader.GetInterfaceImplementation(i).Interface)
                .Any(i => i.Kind != HandleKind.TypeSpecification && assembly.Names.TypeDefOrRef(i) == CompilerServices + ".IAsyncStateMachine");
            if (isStateMachine && !asyncMethods.Contains((type.GetDeclaringType(), StateMachineOf(reader.GetString(type.Name)))))
            {
                yield return assembly.Report(Id, CodeSite.OfType(handle), $"implements IAsyncStateMachine; {Why}");
            }
        }
    }

    /// <summary>Roslyn names the state machine of method M "&lt;M&gt;d__N".</summary>
    private static string StateMachineOf(string typeName)
    {
        int close = typeName.IndexOf(">d__", StringComparison.Ordinal);
        return typeName.StartsWith('<') && close > 0 ? typeName[1..close] : "";
    }

    private static string AttributeTypeName(MetadataReader reader, CustomAttribute attribute)
    {
        EntityHandle type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind switch
        {
            HandleKind.TypeReference => new MetadataNames(reader).Type((TypeReferenceHandle)type),
            HandleKind.TypeDefinition => new MetadataNames(reader).Type((TypeDefinitionHandle)type),
            _ => "",
        };
    }
}
