namespace Terminal.Benchmarks.Primitives;

/// <summary>The Antom sample bodies in ../shared/fixtures/antom-mocks, found by walking up from the running benchmark.</summary>
internal static class AntomFixtures
{
    public static byte[] Read(string relativePath)
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "fixtures", "antom-mocks", relativePath);
                if (File.Exists(candidate))
                {
                    return File.ReadAllBytes(candidate);
                }
            }
        }

        throw new FileNotFoundException("shared/fixtures/antom-mocks/" + relativePath + " not found above " + AppContext.BaseDirectory);
    }
}
