using Terminal.NanoInspector.Inspection;

namespace Terminal.NanoInspector.Rules;

/// <summary>
/// NANO004: multidimensional arrays (int[,], or any array with an explicit shape) in signatures, locals,
/// and IL (the md array constructor and Get/Set/Address calls are member references on the array type).
/// The nanoFramework MetadataProcessor has no support for them.
/// </summary>
internal sealed class MultidimensionalArrayRule : INanoRule
{
    public string Id => "NANO004";

    public IEnumerable<Finding> Check(InspectedAssembly assembly, InspectionOptions options)
    {
        return UsageFindings.Report(
            assembly,
            Id,
            usage => usage.Shape.Has(TypeTraits.MultidimensionalArray),
            usage => $"uses the multidimensional array type {usage.Shape.Name} ({usage.Role}); the nanoFramework " +
                "MetadataProcessor does not support multidimensional arrays; use a jagged array or a flat array " +
                "with index arithmetic");
    }
}
