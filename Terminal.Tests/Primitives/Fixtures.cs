namespace Terminal.Tests.Primitives;

/// <summary>
/// The project's Antom sample bodies (Terminal.Tests/Fixtures/antom, see its README), copied beside the test
/// assembly by the build.
/// </summary>
internal static class Fixtures
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "antom");

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Combine(Directory, relativePath));
}
