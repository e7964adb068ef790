using System.Security.Cryptography;
using Terminal.Bundler;
using Terminal.Updates.Manifest;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>
/// The bundler over stand-in files: random .pe bytes beside real compiled assemblies (this test run's builds of
/// Terminal.Core and Terminal.Payments), whose references say what the bundle requires. CI's interpreter stage runs
/// it on the real .pe files and loads the bundle on nanoCLR (docs/ota.md).
/// </summary>
public sealed class BundleBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bundle-test").FullName;
    private readonly string _pe;
    private readonly string _out;

    public BundleBuilderTests()
    {
        _pe = Path.Combine(_dir, "pe");
        _out = Path.Combine(_dir, "out");
        Directory.CreateDirectory(_pe);
        foreach (string name in new[] { "Terminal.Core", "Terminal.Payments" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, name + ".dll"), Path.Combine(_pe, name + ".dll"));
            File.WriteAllBytes(Path.Combine(_pe, name + ".pe"), RandomNumberGenerator.GetBytes(name.Length * 1000));
        }
    }

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void The_manifest_lists_each_file_with_its_size_and_sha256_in_load_order_and_the_files_are_copied()
    {
        byte[] bytes = BundleBuilder.Build(_pe, ["Terminal.Core", "Terminal.Payments"], "1.4.0", "Terminal.Esp32.Program.Main", _out);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_out, BundleBuilder.ManifestFileName)));
        UpdateManifest m = UpdateManifest.Parse(bytes, 0, bytes.Length);
        Assert.Equal(new[] { "Terminal.Core.pe", "Terminal.Payments.pe" }, m.FileNames());
        for (int i = 0; i < m.FileCount; i++)
        {
            byte[] file = File.ReadAllBytes(Path.Combine(_out, m.FileName(i)));
            Assert.Equal(File.ReadAllBytes(Path.Combine(_pe, m.FileName(i))), file);
            Assert.Equal(file.Length, m.FileSize(i));
            Assert.Equal(SHA256.HashData(file), m.FileSha256(i));
        }
    }

    [Fact]
    public void It_requires_the_referenced_assemblies_outside_the_bundle_at_their_compiled_version()
    {
        byte[] bytes = BundleBuilder.Build(_pe, ["Terminal.Core", "Terminal.Payments"], "1.4.0", "A.B.Main", _out);
        UpdateManifest m = UpdateManifest.Parse(bytes, 0, bytes.Length);
        var requires = Enumerable.Range(0, m.RequireCount).ToDictionary(m.RequiredAssembly, m.RequiredVersion);
        Assert.DoesNotContain("Terminal.Core", requires.Keys);
        var runtime = typeof(Terminal.Core.Json.JsonReader).Assembly.GetReferencedAssemblies().Single(a => a.Name == "System.Runtime");
        Assert.Equal(runtime.Version!.ToString(), requires["System.Runtime"]);
    }

    [Fact]
    public void Without_the_dll_beside_a_pe_or_with_a_bad_version_no_bundle_is_made()
    {
        File.Delete(Path.Combine(_pe, "Terminal.Payments.dll"));
        Assert.Contains("beside the .pe", Assert.Throws<BundleException>(() => BundleBuilder.Build(_pe, ["Terminal.Core", "Terminal.Payments"], "1.4.0", "A.B.Main", _out)).Message, StringComparison.Ordinal);
        Assert.Throws<BundleException>(() => BundleBuilder.Build(_pe, ["Terminal.Core"], "1.4.0-beta", "A.B.Main", _out));
        Assert.Throws<BundleException>(() => BundleBuilder.Build(_pe, ["Terminal.Core"], "1.4.0", "Main", _out));
        Assert.False(Directory.Exists(_out));
    }
}
