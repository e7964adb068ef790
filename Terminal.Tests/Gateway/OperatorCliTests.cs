using System.Text.Json.Nodes;
using Terminal.Gateway.Cli;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The operators' commands on the database the server uses: `devices settings show|status|set|history` (remote
/// settings with the admin API's checks and audit) and `resolutions list|show|retry|close` (the exception list).
/// </summary>
public sealed class OperatorCliTests
{
    private static GatewayOptions Options(TestDatabase db) => new()
    {
        KeyEncryptionKey = TestKeys.KeyEncryptionKey,
        Database = new DatabaseOptions { Provider = db.Provider, ConnectionString = db.ConnectionString },
        Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S001" },
    };

    private static async Task<(int Code, string Out, string Err)> Devices(GatewayOptions options, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await DevicesCommand.RunAsync(args, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString().Trim());
    }

    private static async Task<(int Code, string Out, string Err)> Resolutions(GatewayOptions options, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await ResolutionsCommand.RunAsync(args, options, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString().Trim());
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Settings_are_set_shown_and_audited_at_store_and_device_level_and_an_out_of_range_value_is_refused(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var options = Options(db);
        Assert.Equal(0, (await Devices(options, "add", "T0001", "--store", "S002")).Code);

        var set = await Devices(options, "settings", "set", "store", "S002", "--by", "alice", "--values", "{\"pollIntervalMs\":3000}");
        Assert.Equal(0, set.Code);
        long version = (long)JsonNode.Parse(set.Out)!["version"]!;
        var refused = await Devices(options, "settings", "set", "device", "T0001", "--by", "alice", "--values", "{\"pollIntervalMs\":50}");
        Assert.Equal((1, "pollIntervalMs must be 1000..10000"), (refused.Code, refused.Err));

        var shown = JsonNode.Parse((await Devices(options, "settings", "show", "store", "S002")).Out)!;
        Assert.Equal((3000, "alice", version), ((int)shown["values"]!["pollIntervalMs"]!, (string?)shown["changedBy"], (long)shown["version"]!));
        var status = JsonNode.Parse((await Devices(options, "settings", "status", "T0001")).Out)!;
        Assert.Equal("pending", (string?)status["state"]);
        var history = JsonNode.Parse((await Devices(options, "settings", "history", "--limit", "10")).Out)!.AsArray();
        Assert.Equal(("store", "S002", "alice"), ((string?)history.Single()!["scope"], (string?)history.Single()!["id"], (string?)history.Single()!["changedBy"]));

        Assert.Equal((1, "no settings at this scope"), ((await Devices(options, "settings", "show", "fleet")).Code, (await Devices(options, "settings", "show", "fleet")).Err));
        Assert.Equal(1, (await Devices(options, "settings", "status", "T0404")).Code);
        Assert.Equal(2, (await Devices(options, "settings", "set", "store", "S002", "--values", "{}")).Code); // who is missing
        Assert.Equal(2, (await Devices(options, "settings", "set", "store", "S002", "--by", "a", "--values", "{\"a\":1,\"a\":2}")).Code);
        Assert.Equal(2, (await Devices(options, "settings", "show", "planet")).Code);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_exception_list_is_listed_shown_retried_and_closed_from_the_command_line_with_an_audit(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var options = Options(db);
        Assert.Equal(0, (await Resolutions(options, "list")).Code); // migrates an empty database
        await using (var database = new GatewayDatabase(db.Provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, db.ConnectionString))
        {
            var store = new GatewayStore(database);
            foreach (string id in new[] { "a1", "b2" })
            {
                await store.EnterResolutionAsync(new NewResolutionItem(id, "T0001", "sale", "P-" + id, "device_review", true, 1000, 1000, 2000, "device T0001", "test"));
                var claimed = Assert.Single(await store.ClaimDueItemsAsync("gw-test", 1000, 5000, 10, id));
                Assert.True(await store.FinishItemAsync(id, "gw-test", new ItemOutcome(ResolutionStates.Exception, null, null, null, "still_unknown", "Antom silent", null),
                    "gw-test", 3000));
            }
        }

        var list = JsonNode.Parse((await Resolutions(options, "list", "--state", "exception")).Out)!;
        Assert.Equal(2L, (long)list["total"]!);
        var retried = await Resolutions(options, "retry", "a1", "--by", "alice", "--note", "Antom is back");
        Assert.Equal((0, "open"), (retried.Code, (string?)JsonNode.Parse(retried.Out)!["state"]));
        var closed = await Resolutions(options, "close", "b2", "--status", "FAILED", "--by", "bob", "--note", "not paid, per the portal");
        Assert.Equal((0, "closed", "OPERATOR_CLOSED"), (closed.Code, (string?)JsonNode.Parse(closed.Out)!["state"], (string?)JsonNode.Parse(closed.Out)!["resultCode"]));

        var shown = JsonNode.Parse((await Resolutions(options, "show", "b2")).Out)!;
        var last = shown["events"]!.AsArray().Last()!;
        Assert.Equal(("closed", "bob"), ((string?)last["event"], (string?)last["actor"]));
        Assert.Contains("not paid, per the portal", (string?)last["detail"], StringComparison.Ordinal);

        Assert.Equal((1, "only an open item or an exception can be closed; this one is closed"),
            ((await Resolutions(options, "close", "b2", "--status", "FAILED", "--by", "bob", "--note", "again")).Code,
             (await Resolutions(options, "close", "b2", "--status", "FAILED", "--by", "bob", "--note", "again")).Err));
        Assert.Equal(1, (await Resolutions(options, "retry", "a1", "--by", "alice", "--note", "twice")).Code); // open, not an exception
        Assert.Equal(1, (await Resolutions(options, "show", "ffff")).Code);
        Assert.Equal(2, (await Resolutions(options, "close", "a1", "--status", "MAYBE", "--by", "bob", "--note", "x")).Code);
        Assert.Equal(2, (await Resolutions(options, "list", "--state", "weird")).Code);
        Assert.Equal(2, (await Resolutions(options, "retry", "a1", "--by", "alice")).Code); // no note
    }
}
