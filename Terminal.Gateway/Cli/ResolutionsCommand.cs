using System.CommandLine;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway resolutions list|show|retry|close</c>: the resolution queue's exception list and operators'
/// actions (docs/resolution-queue.md), straight on the database with the server's configuration, the admin API's JSON on
/// stdout. <c>retry</c> puts the exception back into the queue, due now: the running gateway's job works on it at its
/// next pass (<c>Recovery:IntervalSeconds</c>); the admin API's retry also works on it at once.
/// </summary>
public static class ResolutionsCommand
{
    /// <summary>Runs <c>resolutions args...</c> in-process; returns the exit code (0 ok, 1 refused or not found, 2 usage or configuration).</summary>
    public static Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        GatewayCommandLine.RunGroupAsync("resolutions", arguments, CliContext.With(options, TextReader.Null, stdout, stderr));

    internal static Command Create(CliContext context) => new("resolutions", "The resolution queue's items and exceptions, and operators' actions on them")
    {
        List(context),
        Show(context),
        Retry(context),
        Close(context),
    };

    private static Command List(CliContext context)
    {
        var state = CliOptions.OneOf("--state", "only items in this state", ResolutionStates.All);
        var device = CliOptions.Text("--device", "only this device's items", "deviceId");
        var kind = CliOptions.OneOf("--kind", "only this kind of transaction", [ResolutionQueue.Sale, ResolutionQueue.Void, ResolutionQueue.Refund]);
        var limit = CliOptions.Number("--limit", "items on the page (default 50)", 1, ResolutionFilter.MaxLimit);
        var offset = CliOptions.Number("--offset", "items to skip (default 0)", 0, int.MaxValue);
        var list = new Command("list", "One page of items, newest first, with the counts per state") { state, device, kind, limit, offset };
        list.SetAction((r, _) => RunAsync(context, async (store, _) =>
        {
            var filter = new ResolutionFilter(r.GetValue(state), r.GetValue(device), r.GetValue(kind), (int)(r.GetValue(limit) ?? 50), (int)(r.GetValue(offset) ?? 0));
            await context.Out.WriteLineAsync(AntomJson.Serialize(ResolutionQueries.PageJson(await new ResolutionQueries(store).ListAsync(filter))));
            return 0;
        }));
        return list;
    }

    private static Command Show(CliContext context)
    {
        var itemId = ItemId();
        var show = new Command("show", "An item's history: events, calls to Antom, device requests") { itemId };
        show.SetAction((r, _) => RunAsync(context, async (store, _) =>
        {
            string id = r.GetRequiredValue(itemId);
            var history = ResolutionAdminApi.IsItemId(id) ? await new ResolutionQueries(store).HistoryAsync(id) : null;
            if (history == null) return await context.FailAsync("no such resolution item", 1);
            await context.Out.WriteLineAsync(AntomJson.Serialize(ResolutionQueries.HistoryJson(history)));
            return 0;
        }));
        return show;
    }

    private static Command Retry(CliContext context)
    {
        var itemId = ItemId();
        var (by, note) = (By(), Note());
        var retry = new Command("retry", "Put an exception back into the queue, due now") { itemId, by, note };
        retry.SetAction((r, _) => RunAsync(context, async (store, storage) =>
        {
            var action = Action(r.GetValue(by), r.GetValue(note), null, needStatus: false);
            string id = r.GetRequiredValue(itemId);
            long now = storage.Now;
            var (item, changed) = ResolutionAdminApi.IsItemId(id)
                ? await store.ReopenItemAsync(id, action.By, action.Note, now, now + context.Options().Recovery.GiveUpAfterHours * 3_600_000L)
                : (null, false);
            return await Report(context, item, changed, "only an exception can be retried");
        }));
        return retry;
    }

    private static Command Close(CliContext context)
    {
        var itemId = ItemId();
        var status = CliOptions.OneOf("--status", "the outcome the operator established", ResolutionQueue.FinalStatuses, required: true);
        var (by, note) = (By(), Note());
        var close = new Command("close", "Close an open item or an exception with the outcome established elsewhere") { itemId, status, by, note };
        close.SetAction((r, _) => RunAsync(context, async (store, storage) =>
        {
            var action = Action(r.GetValue(by), r.GetValue(note), r.GetValue(status), needStatus: true);
            string id = r.GetRequiredValue(itemId);
            var (item, changed) = ResolutionAdminApi.IsItemId(id) ? await store.CloseItemAsync(id, action.By, action.Note, action.Status!, storage.Now) : (null, false);
            return await Report(context, item, changed, "only an open item or an exception can be closed");
        }));
        return close;
    }

    private static Argument<string> ItemId() => new("itemId") { Description = "the item's id (hex)" };

    private static Option<string> By() => CliOptions.Text("--by", "who acts (1..64 characters), for the audit", "name", required: true);

    private static Option<string> Note() => CliOptions.Text("--note", "why (1..500 characters), for the audit", "why", required: true);

    /// <summary>The admin API's checks of an action (lengths, control characters).</summary>
    private static ResolutionAdminApi.ActionBody Action(string? by, string? note, string? status, bool needStatus)
    {
        var body = new JsonObject();
        if (by != null) body["by"] = by;
        if (note != null) body["note"] = note;
        if (status != null) body["status"] = status;
        return ResolutionAdminApi.ParseAction(body, needStatus);
    }

    private static async Task<int> Report(CliContext context, ResolutionItem? item, bool changed, string conflict)
    {
        if (item == null) return await context.FailAsync("no such resolution item", 1);
        if (!changed) return await context.FailAsync($"{conflict}; this one is {item.State}", 1);
        await context.Out.WriteLineAsync(AntomJson.Serialize(ResolutionQueries.ItemJson(item)));
        return 0;
    }

    private static async Task<int> RunAsync(CliContext context, Func<GatewayStore, CliStorage, Task<int>> command)
    {
        await using var storage = await CliStorage.OpenAsync(context.Options(), "resolutions", context.Err);
        if (storage == null) return 2;
        try
        {
            return await command(new GatewayStore(storage.Database), storage);
        }
        catch (ArgumentException e)
        {
            return await context.FailAsync(e.Message, 2);
        }
    }
}
