using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Terminal.Loader.Boot;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>
/// The ESP32 device build's bundle (Terminal.Esp32/build/Bundle.targets, docs/ota.md "On the ESP32"), checked where
/// the device build cannot run: its assembly list is every portable assembly the application references except the
/// flashed Terminal.Loader, each after the ones it references (the loader loads them in that order), Terminal.Esp32
/// last with the entry point Program.LoaderMain; and the version folder names the boot program, the staging and
/// flash.ps1 share.
/// </summary>
public sealed class DeviceBundleTests
{
    private static readonly string Root = RepositoryRoot();

    [Fact]
    public void The_bundle_holds_every_portable_assembly_of_the_app_but_the_loader_dependencies_first()
    {
        string[] bundle = BundleAssemblies();
        Assert.Equal("Terminal.Esp32", bundle[^1]);

        XDocument device = XDocument.Load(Path.Combine(Root, "Terminal.Esp32/build/Device.props"));
        var referenced = device.Descendants("ProjectReference")
            .Where(r => r.Attribute("ReferenceOutputAssembly")?.Value != "false")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .ToHashSet();
        Assert.Contains("Terminal.Loader", referenced);
        Assert.Equal(referenced.Where(n => n != "Terminal.Loader").Order(), bundle[..^1].Order());

        for (int i = 0; i < bundle.Length - 1; i++)
        {
            foreach (string reference in TerminalReferences(bundle[i]))
            {
                if (reference == "Terminal.Loader")
                {
                    continue;
                }

                int at = Array.IndexOf(bundle, reference);
                Assert.True(at >= 0 && at < i, $"{bundle[i]} references {reference}, which the bundle must load before it");
            }
        }
    }

    [Fact]
    public void The_device_entry_point_is_the_one_the_bundle_names()
    {
        string targets = File.ReadAllText(Path.Combine(Root, "Terminal.Esp32/build/Bundle.targets"));
        Assert.Contains("--entry Terminal.Esp32.Program.LoaderMain", targets);
        string program = File.ReadAllText(Path.Combine(Root, "Terminal.Esp32/Program.cs"));
        Assert.Matches(new Regex(@"public static void LoaderMain\(\)\s*\{\s*Start\(true\);"), program);
        Assert.Matches(new Regex(@"public static void Main\(\)\s*\{\s*Start\(false\);"), program);
    }

    [Theory]
    [InlineData("", "installed")]
    [InlineData(null, "installed")]
    [InlineData("1.4.0", "1.4.0")]
    public void A_version_s_folder_is_its_version_and_the_installed_one_is_installed(string? version, string folder)
    {
        Assert.Equal(folder, VersionFolderName.Of(version!));
    }

    [Fact]
    public void Flash_ps1_and_both_device_programs_use_the_same_folders()
    {
        string bundlePs1 = File.ReadAllText(Path.Combine(Root, "flash/Bundle.ps1"));
        Assert.Contains(@"$OtaDeviceRoot = 'I:\ota'", bundlePs1);
        Assert.Contains(@"$InstalledDeviceFolder = 'I:\ota\" + VersionFolderName.Installed + "'", bundlePs1);
        Assert.Contains(@"\" + VersionFolderName.Boot + @"\" + BootRecordFile.File0, bundlePs1);
        Assert.Contains(@"\" + VersionFolderName.Boot + @"\" + BootRecordFile.File1, bundlePs1);
        Assert.Contains(@"\" + LoadList.FileName + ".0", bundlePs1);
        foreach (string program in new[] { "Terminal.Esp32/Updates/FlashUpdatePorts.cs", "Terminal.Esp32.Boot/VersionFolders.cs" })
        {
            Assert.Contains("Root = \"I:\\\\ota\";", File.ReadAllText(Path.Combine(Root, program)));
        }
    }

    private static string[] BundleAssemblies()
    {
        XDocument targets = XDocument.Load(Path.Combine(Root, "Terminal.Esp32/build/Bundle.targets"));
        return targets.Descendants("BundleAssemblies").Single().Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The Terminal.* assemblies <paramref name="assembly"/> references, read from this test run's build of it.</summary>
    private static IEnumerable<string> TerminalReferences(string assembly)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        using var reader = new PEReader(stream);
        MetadataReader metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))
            .Where(n => n.StartsWith("Terminal.", StringComparison.Ordinal)).ToList();
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

        throw new DirectoryNotFoundException("repository root (Terminal.sln) not found above " + AppContext.BaseDirectory);
    }
}
