using Terminal.Loader;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>The loader on .NET: the same Assembly.Load(byte[]) path; CI's interpreter stage runs it on nanoCLR.</summary>
public sealed class AppLoaderTests
{
    private sealed class Files(Dictionary<string, byte[]> files) : IAppFiles
    {
        public byte[]? ReadAll(string version, string fileName) => files.GetValueOrDefault(fileName);
    }

    [Fact]
    public void Loads_the_files_from_bytes_and_finds_the_entry_type_by_name()
    {
        byte[] core = File.ReadAllBytes(typeof(Terminal.Core.Json.JsonReader).Assembly.Location);
        var loaded = AppLoader.LoadAll(new Files(new() { ["Terminal.Core.pe"] = core }), "1.0", ["Terminal.Core.pe"]);
        Assert.Equal("Terminal.Core", loaded.GetName().Name);
        Assert.NotNull(loaded.GetType("Terminal.Core.Json.JsonReader"));
    }

    [Fact]
    public void A_missing_file_a_missing_type_or_method_fail_with_the_name()
    {
        var files = new Files(new() { ["Terminal.Core.pe"] = File.ReadAllBytes(typeof(Terminal.Core.Json.JsonReader).Assembly.Location) });
        Assert.Equal("missing file B.pe", Assert.Throws<AppLoadException>(() => AppLoader.LoadAll(files, "1.0", ["Terminal.Core.pe", "B.pe"])).Message);
        var loaded = AppLoader.LoadAll(files, "1.0", ["Terminal.Core.pe"]);
        Assert.Equal("no type Terminal.Core.Nothing", Assert.Throws<AppLoadException>(() => AppLoader.Invoke(loaded, "Terminal.Core.Nothing", "Main")).Message);
        Assert.Contains("no static method", Assert.Throws<AppLoadException>(() => AppLoader.Invoke(loaded, "Terminal.Core.Json.JsonReader", "Main")).Message, StringComparison.Ordinal);
    }
}
