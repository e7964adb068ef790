using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO002: any generic instantiation (TypeSpec or MethodSpec), in signatures, locals, fields, base types,
/// member references and IL operands, mscorlib's own Action`1, Func`2 and EventHandler`1 included: the
/// 1.x runtime crashes while resolving them. Uses inside a generic definition that only repeat its own
/// type parameters are left to NANO001.
/// </summary>
internal sealed class GenericInstantiationRule : INanoRule
{
    private const string Why = "the nanoFramework 1.x runtime crashes while resolving generic instantiations " +
        "(mscorlib's Action`1, Func`2 and EventHandler`1 included); declare a plain delegate or a concrete type";

    public string Id => "NANO002";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        var covered = new HashSet<EntityHandle>();
        foreach (TypeUsage usage in assembly.TypeUsages)
        {
            if (usage.Shape.Has(TypeTraits.GenericInstance) && !usage.Source.IsNil)
            {
                covered.Add(usage.Source);
            }
        }

        IEnumerable<Finding> found = UsageFindings.Report(
            assembly,
            Id,
            usage => usage.Shape.Has(TypeTraits.GenericInstance) && !RepeatsOwnParameters(assembly.Reader, usage),
            usage => usage.Source.Kind == HandleKind.MethodSpecification
                ? $"calls the generic method instantiation {usage.Shape.Name} ({usage.Role}); {Why}"
                : $"uses the generic instantiation {usage.Shape.Name} ({usage.Role}); {Why}");
        foreach (Finding finding in found)
        {
            yield return finding;
        }

        // Rows that no walked site reaches (e.g. only named from a table the walker does not visit).
        MetadataReader reader = assembly.Reader;
        for (int row = 1; row <= reader.GetTableRowCount(TableIndex.TypeSpec); row++)
        {
            TypeSpecificationHandle handle = MetadataTokens.TypeSpecificationHandle(row);
            TypeShape shape = reader.GetTypeSpecification(handle).DecodeSignature(assembly.Shapes, default);
            if (shape.Has(TypeTraits.GenericInstance) && !covered.Contains(handle))
            {
                yield return assembly.Report(Id, CodeSite.Assembly, $"contains the generic instantiation {shape.Name}; {Why}");
            }
        }

        foreach (MethodSpecificationHandle handle in EnumerateMethodSpecs(reader))
        {
            if (!covered.Contains(handle))
            {
                yield return assembly.Report(Id, CodeSite.Assembly, $"contains a generic method instantiation (MethodSpec row); {Why}");
            }
        }
    }

    /// <summary>Inside Box&lt;T&gt;, a reference to Box&lt;T&gt; itself is part of the definition NANO001 reports.</summary>
    private static bool RepeatsOwnParameters(MetadataReader reader, TypeUsage usage)
    {
        if (!usage.Shape.Has(TypeTraits.GenericParameter))
        {
            return false;
        }

        if (usage.Site.Member.Kind == HandleKind.MethodDefinition &&
            reader.GetMethodDefinition((MethodDefinitionHandle)usage.Site.Member).GetGenericParameters().Count > 0)
        {
            return true;
        }

        for (TypeDefinitionHandle type = usage.Site.Type; !type.IsNil; type = reader.GetTypeDefinition(type).GetDeclaringType())
        {
            if (reader.GetTypeDefinition(type).GetGenericParameters().Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<MethodSpecificationHandle> EnumerateMethodSpecs(MetadataReader reader)
    {
        int rows = reader.GetTableRowCount(TableIndex.MethodSpec);
        for (int row = 1; row <= rows; row++)
        {
            yield return MetadataTokens.MethodSpecificationHandle(row);
        }
    }
}
