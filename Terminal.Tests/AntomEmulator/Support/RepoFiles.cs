namespace Terminal.Tests.AntomEmulator;

/// <summary>Files of the repository, found from the test binaries (no copy step in the test project).</summary>
internal static class RepoFiles
{
    public static string Path(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Terminal.sln")))
            {
                return System.IO.Path.Combine(dir.FullName, relative);
            }
        }

        throw new FileNotFoundException("repository root (Terminal.sln) not found above " + AppContext.BaseDirectory);
    }

    public static string Fixture(string relative) => File.ReadAllText(System.IO.Path.Combine(Primitives.Fixtures.Directory, relative));
}
