using System.Reflection.Metadata;

namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// One use of a type: where (<see cref="Site"/>), in what role (<see cref="Role"/>, e.g. "local variable",
/// "IL newobj"), the decoded <see cref="Shape"/>, and the TypeSpec/MethodSpec row it came from, if any.
/// </summary>
internal sealed record TypeUsage(CodeSite Site, string Role, TypeShape Shape, EntityHandle Source);
