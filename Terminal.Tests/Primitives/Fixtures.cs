namespace Terminal.Tests.Primitives;

/// <summary>The Antom sample bodies of ../shared/fixtures/antom-mocks (MIT, from alipay/ams-java-sdk), found by walking up.</summary>
internal static class Fixtures
{
    public static string Directory { get; } = Find();

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Directory, relativePath));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "fixtures", "antom-mocks");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/fixtures/antom-mocks (../shared beside the checkout) not found above " + AppContext.BaseDirectory);
    }
}
