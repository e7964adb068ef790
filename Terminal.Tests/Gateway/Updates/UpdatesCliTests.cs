using System.Text.Json.Nodes;
using Terminal.Gateway.Cli;
using Terminal.Gateway.Configuration;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway.Updates;

/// <summary>`bundles upload|list|show|delete` and `rollouts create|list|show|pause|resume|abort` on the database the server uses.</summary>
public sealed class UpdatesCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bundles-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static GatewayOptions Options(TestDatabase db) => new()
    {
        KeyEncryptionKey = TestKeys.KeyEncryptionKey,
        Database = new DatabaseOptions { Provider = db.Provider, ConnectionString = db.ConnectionString },
        Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S001" },
    };

    private static async Task<(int Code, string Out, string Err)> Run(Func<string[], GatewayOptions, TextWriter, TextWriter, Task<int>> command, GatewayOptions options,
        params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await command(args, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString().Trim());
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_bundle_folder_is_uploaded_and_rolled_out_paused_and_aborted_from_the_command_line(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var options = Options(db);
        Assert.Equal(0, (await Run(DevicesCommand.RunAsync, options, "add", "T0001")).Code);
        string pe = Path.Combine(_dir, "pe");
        Directory.CreateDirectory(pe);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Terminal.Core.dll"), Path.Combine(pe, "Terminal.Core.dll"));
        File.WriteAllBytes(Path.Combine(pe, "Terminal.Core.pe"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(5000));
        string folder = Path.Combine(_dir, "bundle");
        Terminal.Bundler.BundleBuilder.Build(pe, ["Terminal.Core"], "1.4.0", "A.B.Main", folder);

        var upload = await Run(UpdatesCommand.BundlesAsync, options, "upload", folder, "--by", "alice");
        Assert.Equal((0, "1.4.0"), (upload.Code, (string?)JsonNode.Parse(upload.Out)!["version"]));
        Assert.Equal((1, "bundle 1.4.0 is already uploaded"), ((await Run(UpdatesCommand.BundlesAsync, options, "upload", folder, "--by", "alice")) is var again ? (again.Code, again.Err) : default));
        File.WriteAllBytes(Path.Combine(folder, "Stray.pe"), new byte[3]);
        Assert.Equal((1, "Stray.pe: not a file of the manifest"), ((await Run(UpdatesCommand.BundlesAsync, options, "upload", folder, "--by", "alice")) is var stray ? (stray.Code, stray.Err) : default));
        Assert.Single(JsonNode.Parse((await Run(UpdatesCommand.BundlesAsync, options, "list")).Out)!.AsArray());
        Assert.Equal("Terminal.Core.pe", (string?)JsonNode.Parse((await Run(UpdatesCommand.BundlesAsync, options, "show", "1.4.0")).Out)!["files"]![0]!["name"]);

        var created = await Run(UpdatesCommand.RolloutsAsync, options, "create", "--version", "1.4.0", "--devices", "T0001", "--percent", "50", "--allow-downgrade", "--by", "alice");
        Assert.Equal(0, created.Code);
        var rollout = JsonNode.Parse(created.Out)!;
        Assert.Equal((50, true, "active"), ((int)rollout["percent"]!, (bool)rollout["allowDowngrade"]!, (string?)rollout["state"]));
        string id = ((long)rollout["rolloutId"]!).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("paused", (string?)JsonNode.Parse((await Run(UpdatesCommand.RolloutsAsync, options, "pause", id, "--by", "bob")).Out)!["state"]);
        Assert.Equal("paused", (string?)JsonNode.Parse((await Run(UpdatesCommand.RolloutsAsync, options, "show", id)).Out)!["state"]);
        Assert.Equal((1, "bundle 1.4.0 is named by a rollout that is not aborted: abort it first"),
            ((await Run(UpdatesCommand.BundlesAsync, options, "delete", "1.4.0")) is var inUse ? (inUse.Code, inUse.Err) : default));
        Assert.Equal(0, (await Run(UpdatesCommand.RolloutsAsync, options, "abort", id, "--by", "bob")).Code);
        Assert.Equal(1, (await Run(UpdatesCommand.RolloutsAsync, options, "resume", id, "--by", "bob")).Code);
        Assert.Equal(0, (await Run(UpdatesCommand.BundlesAsync, options, "delete", "1.4.0")).Code);
        Assert.Equal(2, (await Run(UpdatesCommand.RolloutsAsync, options, "create", "--version", "1.4.0", "--colour", "red")).Code);
        Assert.Equal(2, (await Run(UpdatesCommand.BundlesAsync, options, "frobnicate")).Code);
        Assert.Equal(1, (await Run(UpdatesCommand.RolloutsAsync, options, "show", "42")).Code);
    }
}
