using System.Text.Json.Nodes;
using Terminal.Gateway.Cli;
using Terminal.Gateway.Configuration;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>`devices add|list|revoke|rotate-key` against the database the server uses.</summary>
public sealed class CliTests
{
    private static GatewayOptions Options(TestDatabase db) => new()
    {
        KeyEncryptionKey = TestKeys.KeyEncryptionKey,
        Database = new DatabaseOptions { Provider = db.Provider, ConnectionString = db.ConnectionString },
        Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S001" },
    };

    private static async Task<(int Code, string Out, string Err)> Run(GatewayOptions options, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await DevicesCommand.RunAsync(args, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Add_list_rotate_revoke()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var options = Options(db);

        var add = await Run(options, "add", "T0001", "--store", "S002", "--max-amount", "5000", "--currencies", "USD,EUR");
        Assert.Equal(0, add.Code);
        var credentials = JsonNode.Parse(add.Out)!;
        Assert.Equal(32, Convert.FromBase64String((string)credentials["key"]!).Length);

        var list = await Run(options, "list");
        var device = JsonNode.Parse(list.Out)!.AsArray().Single()!;
        Assert.Equal(("T0001", "S002", "5000"), ((string?)device["deviceId"], (string?)device["referenceStoreId"], (string?)device["maxAmountMinor"]));
        Assert.DoesNotContain((string)credentials["key"]!, list.Out);

        var rotate = await Run(options, "rotate-key", "T0001");
        Assert.Equal((0, 2), (rotate.Code, (int)JsonNode.Parse(rotate.Out)!["keyVersion"]!));
        Assert.Equal("{\"deviceId\":\"T0001\",\"status\":\"revoked\"}", (await Run(options, "revoke", "T0001")).Out.Trim());

        Assert.Equal((1, "device exists"), await CodeAndError(options, "add", "T0001"));
        Assert.Equal((1, "device not found"), await CodeAndError(options, "revoke", "T0404"));
        Assert.Equal((1, "device revoked"), await CodeAndError(options, "rotate-key", "T0001"));
    }

    [Fact]
    public async Task Bad_usage_and_configuration_exit_2_with_a_clear_message()
    {
        await using var db = await TestDatabase.CreateAsync("sqlite");
        var (code, err) = await CodeAndError(Options(db), "add", "T-1");
        Assert.Equal(2, code);
        Assert.StartsWith("deviceId:", err);
        Assert.Equal(2, (await CodeAndError(Options(db), "add", "T1", "--max-amount", "ten")).Code);
        Assert.Equal(2, (await CodeAndError(Options(db), "frobnicate")).Code);
        Assert.Contains("Usage:", (await Run(Options(db))).Err); // System.CommandLine's help, after "Required command was not provided."

        var noKek = Options(db);
        noKek.KeyEncryptionKey = null;
        var missing = await Run(noKek, "list");
        Assert.Equal(2, missing.Code);
        Assert.Contains("Gateway:KeyEncryptionKey is missing", missing.Err);
        Assert.DoesNotContain("Gateway:Antom", missing.Err); // the CLI does not need Antom settings
    }

    private static async Task<(int Code, string Err)> CodeAndError(GatewayOptions options, params string[] args)
    {
        var r = await Run(options, args);
        return (r.Code, r.Err.Trim());
    }
}
