using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>The type and method whose type parameters a signature may mention (for naming T and U).</summary>
internal readonly record struct GenericContext(TypeDefinitionHandle Type, MethodDefinitionHandle Method);
