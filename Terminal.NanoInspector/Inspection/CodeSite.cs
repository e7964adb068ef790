using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// Where a construct sits: a type, optionally one of its members (method, field, property, event).
/// Both nil means the assembly itself (e.g. an assembly reference).
/// </summary>
internal readonly record struct CodeSite(TypeDefinitionHandle Type, EntityHandle Member)
{
    public static CodeSite Assembly => default;

    public static CodeSite OfType(TypeDefinitionHandle type) => new(type, default);

    public bool IsAssembly => Type.IsNil;
}
