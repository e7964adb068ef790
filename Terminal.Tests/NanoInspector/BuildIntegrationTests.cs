using System.Diagnostics;
using Xunit;

namespace Terminal.Tests.NanoInspector;

/// <summary>
/// The real MSBuild check: a throwaway project outside the repository imports build/Portable.props and
/// build/Portable.targets like Terminal.Firmware does, and its nano build must fail naming Box, and show the
/// inspector's note that its byte code nears the .pe format's limit. Slow (one `dotnet build`), so it is the only
/// test of its kind.
/// </summary>
public class BuildIntegrationTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void NanoBuild_OfAGenericClass_FailsNamingIt_AndShowsTheByteCodeNote()
    {
        string repo = RepositoryRoot();
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        string inspector = Path.Combine(repo, "Terminal.NanoInspector", "bin", configuration, "net10.0", "Terminal.NanoInspector.dll");
        Assert.True(File.Exists(inspector), $"the inspector is built with the tests: {inspector}");

        string project = Path.Combine(Path.GetTempPath(), "nano-build-test", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(project);
        try
        {
            // Directory.*.props import the repository's, so the project gets the same settings and versions.
            File.WriteAllText(Path.Combine(project, "Directory.Build.props"),
                $"""<Project><Import Project="{repo}/Directory.Build.props" /></Project>""");
            File.WriteAllText(Path.Combine(project, "Directory.Packages.props"),
                $"""<Project><Import Project="{repo}/Directory.Packages.props" /></Project>""");
            File.WriteAllText(Path.Combine(project, "BoxCheck.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <Import Project="{repo}/build/Portable.props" />
                  <Import Project="{repo}/build/Portable.targets" />
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "Box.cs"), "namespace Check\n{\n    class Box<T> {}\n}\n");
            File.WriteAllText(Path.Combine(project, "Large.cs"), ByteCodeSizeRuleTests.Generated(("Check.Large", 49)));

            (int exit, string output) = DotnetBuild(project, configuration);

            Assert.True(exit != 0, "the nano build must fail:\n" + output);
            string expected = $"error NANO001: {Path.Combine(project, "Box.cs")}(3): Check.Box<T>: ";
            Assert.True(output.Contains(expected), $"expected '{expected}' in:\n{output}");
            Assert.True(output.Contains("NanoInspector: note: BoxCheck.dll has 5"), $"expected the byte-code note in:\n{output}");
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    private static (int Exit, string Output) DotnetBuild(string project, string configuration)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only the nano target framework; the inspector is already built with the tests. No build servers:
        // they would outlive the test and hold its output pipes.
        foreach (string arg in new[]
        {
            "build", "BoxCheck.csproj", "-f", "netstandard2.0", "-c", configuration,
            "-p:BuildProjectReferences=false", "--disable-build-servers", "-v:minimal",
        })
        {
            start.ArgumentList.Add(arg);
        }

        // Settings of the `dotnet test` that runs us must not leak into the child build.
        foreach (string variable in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build did not finish within {BuildTimeout}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Terminal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Terminal.sln not found above " + AppContext.BaseDirectory);
    }
}
