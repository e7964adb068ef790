using System.Text;
using Terminal.Updates.Manifest;
using Xunit;

namespace Terminal.Tests.Updates;

public sealed class UpdateManifestTests
{
    private const string Hash = "03cb42f455b122a7b02fbbe5dae4fd45e4a372c072fcafb143a8cea65e88e4f5";

    private const string TwoFiles = $"{{\"name\":\"A.pe\",\"size\":10,\"sha256\":\"{Hash}\"}},{{\"name\":\"B.pe\",\"size\":20,\"sha256\":\"{Hash}\"}}";

    private static string Manifest(string? files = TwoFiles, string extra = "", string version = "\"1.4.0\"") =>
        $"{{\"format\":1,\"version\":{version},\"entry\":\"Terminal.Esp32.Program.Main\",\"requires\":[{{\"assembly\":\"mscorlib\",\"version\":\"1.17.11.0\"}}],\"files\":[{files ?? TwoFiles}]{extra}}}";

    private static UpdateManifest Parse(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes("xx" + json);
        return UpdateManifest.Parse(bytes, 2, bytes.Length - 2);
    }

    [Fact]
    public void A_well_formed_manifest_gives_its_files_in_load_order_with_sizes_and_hashes()
    {
        UpdateManifest m = Parse(Manifest());
        Assert.Equal("1.4.0", m.Version);
        Assert.Equal(("Terminal.Esp32.Program", "Main"), (m.EntryType, m.EntryMethod));
        Assert.Equal(new[] { "A.pe", "B.pe" }, m.FileNames());
        Assert.Equal((10, 20, 30), (m.FileSize(0), m.FileSize(1), m.TotalBytes));
        Assert.Equal(Convert.FromHexString(Hash), m.FileSha256(1));
        Assert.Equal(("mscorlib", "1.17.11.0"), (m.RequiredAssembly(0), m.RequiredVersion(0)));
    }

    [Theory]
    [InlineData(null, ",\"format\":1", "format: given twice")]
    [InlineData(null, ",\"files\":[]", "files: given twice")]
    [InlineData(null, ",\"signedBy\":\"x\"", "unknown member signedBy")]
    [InlineData($"{{\"name\":\"A.pe\",\"size\":10,\"sha256\":\"{Hash}\"}},{{\"name\":\"a.PE\",\"size\":20,\"sha256\":\"{Hash}\"}}", "", "a.PE named twice")]
    [InlineData($"{{\"name\":\"../boot.pe\",\"size\":10,\"sha256\":\"{Hash}\"}}", "", "not a plain .pe file name")]
    [InlineData($"{{\"name\":\"A.dll\",\"size\":10,\"sha256\":\"{Hash}\"}}", "", "not a plain .pe file name")]
    [InlineData($"{{\"name\":\"A.pe\",\"size\":0,\"sha256\":\"{Hash}\"}}", "", "size: not 1..262144")]
    [InlineData($"{{\"name\":\"A.pe\",\"size\":262145,\"sha256\":\"{Hash}\"}}", "", "size: not 1..262144")]
    [InlineData("{\"name\":\"A.pe\",\"size\":10,\"sha256\":\"03CB\"}", "", "sha256: not 64 hex digits")]
    [InlineData("{\"name\":\"A.pe\",\"size\":10}", "", "name, size and sha256 are required")]
    [InlineData("", "", "files: none")]
    public void Malformed_manifests_are_refused_naming_the_field(string? files, string extra, string reason)
    {
        var e = Assert.Throws<ManifestException>(() => Parse(Manifest(files, extra)));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1.4\"", true)]
    [InlineData("\"01.4\"", false)]
    [InlineData("\"1..4\"", false)]
    [InlineData("\"1.2.3.4.5\"", false)]
    [InlineData("\"65536\"", false)]
    [InlineData("14", false)]
    public void Versions_are_one_to_four_numbers(string version, bool accepted)
    {
        if (accepted)
        {
            Assert.Equal("1.4", Parse(Manifest(version: version)).Version);
        }
        else
        {
            Assert.Throws<ManifestException>(() => Parse(Manifest(version: version)));
        }
    }

    [Fact]
    public void Seventeen_files_are_too_many()
    {
        string Files(int n) => string.Join(",", Enumerable.Range(0, n).Select(i => $"{{\"name\":\"F{i}.pe\",\"size\":1,\"sha256\":\"{Hash}\"}}"));
        Assert.Equal(16, Parse(Manifest(Files(16))).FileCount);
        Assert.Contains("more than 16", Assert.Throws<ManifestException>(() => Parse(Manifest(Files(17)))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_or_non_json_bytes_are_refused_not_thrown_as_something_else()
    {
        string json = Manifest();
        for (int cut = 0; cut < json.Length; cut++)
        {
            Assert.Throws<ManifestException>(() => Parse(json[..cut]));
        }
    }

    [Theory]
    [InlineData("1.4.0", "1.4", 0)]
    [InlineData("1.4.1", "1.4", 1)]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("2", "10.0.0.1", -1)]
    public void Versions_compare_number_by_number(string a, string b, int sign)
    {
        Assert.Equal(sign, Math.Sign(AppVersion.Compare(a, b)));
        Assert.Equal(-sign, Math.Sign(AppVersion.Compare(b, a)));
    }
}
