namespace Terminal.Simulator.Updates;

/// <summary>
/// Reads a version's files back from the simulator's update folder (<c>terminal-ota/versions/&lt;version&gt;/</c>),
/// where staging keeps each file as pieces <c>name.0</c>, <c>name.1</c>, ... (the loader's chunked format), so that a
/// run can check the version a terminal boots is complete: every file of the bundle, byte for byte.
/// </summary>
public static class StagedFiles
{
    /// <summary>The file's pieces joined, or null when it has none.</summary>
    public static byte[]? Read(string versionFolder, string name)
    {
        using var joined = new MemoryStream();
        int k = 0;
        for (; File.Exists(Path.Combine(versionFolder, name + "." + k)); k++)
        {
            byte[] piece = File.ReadAllBytes(Path.Combine(versionFolder, name + "." + k));
            joined.Write(piece, 0, piece.Length);
        }

        return k == 0 ? null : joined.ToArray();
    }

    /// <summary>Null when every file of the bundle folder (manifest included) is staged byte for byte; else what is not.</summary>
    public static string? Mismatch(string versionFolder, string bundleFolder)
    {
        foreach (string file in Directory.GetFiles(bundleFolder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            byte[]? staged = Read(versionFolder, name);
            if (staged == null)
            {
                return name + " is not staged";
            }

            if (!staged.AsSpan().SequenceEqual(File.ReadAllBytes(file)))
            {
                return name + " differs from the bundle's (" + staged.Length + " bytes staged)";
            }
        }

        return null;
    }
}
