namespace Terminal.Tests.Primitives;

/// <summary>The Antom sample bodies kept in the repository (fixtures/antom-mocks, MIT, from alipay/ams-java-sdk).</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Find();

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Directory, relativePath));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "fixtures", "antom-mocks");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("fixtures/antom-mocks not found above " + AppContext.BaseDirectory);
    }
}
