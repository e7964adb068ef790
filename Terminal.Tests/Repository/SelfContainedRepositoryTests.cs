using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Terminal.Tests.Repository;

/// <summary>
/// The repository stands on its own: no tracked file outside .ci/ names the team's material beside the checkout
/// (a relative path up into a sibling "shared" folder) or an absolute path of a build machine. A clone has neither,
/// so code, tests, docs or scripts that name them are broken for everyone else. .ci/ may: its interpreter stage
/// uses tools beside the checkout when they are there, and skips when they are not.
/// </summary>
public sealed class SelfContainedRepositoryTests
{
    // Built from pieces so that this file does not match itself.
    private static readonly Regex OutsidePath = new(
        @"\.\./" + "shared" + @"\b"
        + "|" + "shared/" + @"(facts|design|fixtures|tools)/"
        + "|" + @"(?<![\w.:/~-])/(" + "work" + "|" + "home" + @")/"
        + "|" + @"(?<![\w.:/~-])/" + "tmp/nf",
        RegexOptions.CultureInvariant);

    [Fact]
    public void No_tracked_file_outside_ci_names_a_path_outside_the_repository()
    {
        string root = RepositoryRoot();
        var offending = new List<string>();
        foreach (string file in TrackedFiles(root))
        {
            if (file.StartsWith(".ci/", StringComparison.Ordinal))
            {
                continue;
            }

            string path = Path.Combine(root, file);
            if (!File.Exists(path) || IsBinary(path))
            {
                continue;
            }

            string[] lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                if (OutsidePath.IsMatch(lines[i]))
                {
                    offending.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offending.Count == 0,
            "paths outside the repository (write the fact into docs/ in the project's own words instead):\n" + string.Join("\n", offending));
    }

    // Split constants, like the pattern, so that this file passes the check above.
    [Theory]
    [InlineData("see ../" + "shared/" + "design/SYSTEM.md section 5")]
    [InlineData("    /// (../" + "shared/" + "facts/nanoframework.md section 4.4)")]
    [InlineData("Facts: `/" + "work/shared/" + "facts/antom-api.md`")]
    [InlineData("samples (fixtures under shared/" + "fixtures/antom-mocks)")]
    [InlineData("cd /" + "work/main && dotnet test")]
    [InlineData("export NANO_CORLIB=/" + "tmp/nf-corlib")]
    [InlineData("dotnet /" + "home/builder/tools/mdp.dll")]
    public void The_matcher_flags_outside_paths(string line)
    {
        Assert.Matches(OutsidePath, line);
    }

    [Theory]
    [InlineData("Terminal.Tests/Fixtures/antom/README.md")]
    [InlineData("https://github.com/nanoframework/nf-interpreter/tree/main/targets/posix")]
    [InlineData("https://example.com/work/items and https://example.com/home/")]
    [InlineData("a key shared by terminal and gateway; ./shared-state")]
    [InlineData("~/.nuget/packages/nanoframework.corelibrary/1.17.11/lib")]
    public void The_matcher_leaves_ordinary_text_alone(string line)
    {
        Assert.DoesNotMatch(OutsidePath, line);
    }

    [Fact]
    public void The_repository_root_is_found_and_has_the_files_ci_runs()
    {
        string root = RepositoryRoot();

        Assert.True(File.Exists(Path.Combine(root, "Terminal.sln")));
        Assert.Contains(".ci/run", TrackedFiles(root));
    }

    /// <summary>The folder holding Terminal.sln, walking up from the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Terminal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (Terminal.sln) not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The files git tracks (paths with '/'); every file below the root but build output when git is unavailable.</summary>
    private static List<string> TrackedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", "ls-files -z")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            };
            using Process git = Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0)
            {
                return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no git on this machine: walk the tree instead
        }

        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !Regex.IsMatch(f, @"(^|/)(bin|obj|\.git|TestResults|BenchmarkDotNet\.Artifacts|data)/"))
            .ToList();
    }

    private static bool IsBinary(string path)
    {
        byte[] head = new byte[Math.Min(8000, (int)new FileInfo(path).Length)];
        using (FileStream stream = File.OpenRead(path))
        {
            stream.ReadExactly(head);
        }

        return Array.IndexOf(head, (byte)0) >= 0;
    }
}
