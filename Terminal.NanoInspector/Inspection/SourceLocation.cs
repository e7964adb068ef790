namespace Terminal.NanoInspector.Inspection;

/// <summary>A place in the source code; <see cref="Line"/> is 0 when only the file is known.</summary>
internal readonly record struct SourceLocation(string File, int Line);
