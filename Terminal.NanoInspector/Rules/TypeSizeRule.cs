using System.Reflection;
using System.Reflection.Metadata;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO008: types too large for the nanoFramework type record. The MetadataProcessor stores the number of
/// virtual, instance and static methods of a type, and of its static and instance fields, in one byte each
/// (CLR_RECORD_TYPEDEF); it refuses more than 255 methods of a kind and silently truncates field counts.
/// This check is stricter on methods: more than 255 in a type, of all kinds together, fails.
/// </summary>
internal sealed class TypeSizeRule : INanoRule
{
    internal const int Limit = byte.MaxValue;

    public string Id => "NANO008";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        MetadataReader reader = assembly.Reader;
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            int isVirtual = 0, instance = 0, isStatic = 0;
            foreach (MethodDefinitionHandle method in type.GetMethods())
            {
                MethodAttributes attributes = reader.GetMethodDefinition(method).Attributes;
                if ((attributes & MethodAttributes.Virtual) != 0)
                {
                    isVirtual++;
                }
                else if ((attributes & MethodAttributes.Static) != 0)
                {
                    isStatic++;
                }
                else
                {
                    instance++;
                }
            }

            int methods = isVirtual + instance + isStatic;
            if (methods > Limit)
            {
                yield return assembly.Report(
                    Id,
                    CodeSite.OfType(handle),
                    $"has {methods} methods (virtual {isVirtual}, instance {instance}, static {isStatic}), more than " +
                    $"{Limit}; the nanoFramework type record counts methods in one byte per kind; split the type");
            }

            // Constants are not stored as fields on the device (the MetadataProcessor drops them).
            int staticFields = 0, instanceFields = 0;
            foreach (FieldDefinitionHandle field in type.GetFields())
            {
                FieldAttributes attributes = reader.GetFieldDefinition(field).Attributes;
                if ((attributes & FieldAttributes.Literal) != 0)
                {
                    continue;
                }

                if ((attributes & FieldAttributes.Static) != 0)
                {
                    staticFields++;
                }
                else
                {
                    instanceFields++;
                }
            }

            if (staticFields > Limit || instanceFields > Limit)
            {
                yield return assembly.Report(
                    Id,
                    CodeSite.OfType(handle),
                    $"has {staticFields} static and {instanceFields} instance fields, more than {Limit} of a kind; " +
                    "the nanoFramework type record counts them in one byte each; split the type");
            }
        }
    }
}
