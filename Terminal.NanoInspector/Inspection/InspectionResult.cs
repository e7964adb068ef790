namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// What one inspection found: the problems (empty: the runtime can load the assembly) and the size of the ByteCode
/// table the MetadataProcessor will write for it (<see cref="NanoByteCode"/>).
/// </summary>
public sealed record InspectionResult(IReadOnlyList<Finding> Findings, int NanoByteCodeBytes);
