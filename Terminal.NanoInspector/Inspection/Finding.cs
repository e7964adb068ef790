namespace Terminal.NanoInspector.Inspection;

/// <summary>
/// One construct the nanoFramework 1.x runtime cannot load. <see cref="Line"/> is 0 when no source line
/// is known; <see cref="File"/> is then the source file or, without debug information, the assembly.
/// </summary>
public sealed record Finding(string RuleId, string File, int Line, string Subject, string Message)
{
    /// <summary>The line the build shows: <c>error NANOxxx: file(line): Type.Member: explanation</c>.</summary>
    public override string ToString()
    {
        string where = Line > 0 ? $"{File}({Line})" : File;
        return $"error {RuleId}: {where}: {Subject}: {Message}";
    }
}
