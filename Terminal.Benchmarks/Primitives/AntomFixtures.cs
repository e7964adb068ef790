namespace Terminal.Benchmarks.Primitives;

/// <summary>
/// The project's Antom sample bodies (Terminal.Tests/Fixtures/antom, linked into this project and copied beside
/// the benchmark assembly by the build).
/// </summary>
internal static class AntomFixtures
{
    public static byte[] Read(string relativePath) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "antom", relativePath));
}
