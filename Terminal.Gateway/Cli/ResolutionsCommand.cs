using System.Globalization;
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
    public const string Usage =
        "usage: Terminal.Gateway resolutions list [--state open|resolved|exception|closed] [--device <deviceId>] [--kind sale|void|refund]\n" +
        "                                         [--limit <1..500>] [--offset <n>]\n" +
        "       Terminal.Gateway resolutions show <itemId>\n" +
        "       Terminal.Gateway resolutions retry <itemId> --by <name> --note <why>\n" +
        "       Terminal.Gateway resolutions close <itemId> --status SUCCESS|FAILED|CANCELLED --by <name> --note <why>\n" +
        "configuration as for the server, e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"";

    /// <summary>Runs the command; returns the process exit code (0 ok, 1 refused or not found, 2 usage or configuration).</summary>
    public static async Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (arguments.Length == 0) return await Fail(stderr, Usage, 2);
        await using var storage = await CliStorage.OpenAsync(options, "resolutions", stderr);
        if (storage == null) return 2;
        var store = new GatewayStore(storage.Database);
        var queries = new ResolutionQueries(store);
        string[] rest = arguments[1..];
        try
        {
            switch (arguments[0])
            {
                case "list":
                    {
                        var page = await queries.ListAsync(Filter(Options(rest, "--state", "--device", "--kind", "--limit", "--offset")));
                        await stdout.WriteLineAsync(AntomJson.Serialize(ResolutionQueries.PageJson(page)));
                        return 0;
                    }
                case "show" when rest.Length == 1:
                    {
                        var history = ResolutionAdminApi.IsItemId(rest[0]) ? await queries.HistoryAsync(rest[0]) : null;
                        if (history == null) return await Fail(stderr, "no such resolution item", 1);
                        await stdout.WriteLineAsync(AntomJson.Serialize(ResolutionQueries.HistoryJson(history)));
                        return 0;
                    }
                case "retry" when rest.Length > 0:
                    {
                        var action = Action(rest[1..], needStatus: false);
                        long now = storage.Now;
                        var (item, changed) = ResolutionAdminApi.IsItemId(rest[0])
                            ? await store.ReopenItemAsync(rest[0], action.By, action.Note, now, now + options.Recovery.GiveUpAfterHours * 3_600_000L)
                            : (null, false);
                        return await Report(stdout, stderr, item, changed, "only an exception can be retried");
                    }
                case "close" when rest.Length > 0:
                    {
                        var action = Action(rest[1..], needStatus: true);
                        var (item, changed) = ResolutionAdminApi.IsItemId(rest[0])
                            ? await store.CloseItemAsync(rest[0], action.By, action.Note, action.Status!, storage.Now)
                            : (null, false);
                        return await Report(stdout, stderr, item, changed, "only an open item or an exception can be closed");
                    }
                default:
                    return await Fail(stderr, Usage, 2);
            }
        }
        catch (ArgumentException e)
        {
            return await Fail(stderr, e.Message, 2);
        }
    }

    private static async Task<int> Report(TextWriter stdout, TextWriter stderr, ResolutionItem? item, bool changed, string conflict)
    {
        if (item == null) return await Fail(stderr, "no such resolution item", 1);
        if (!changed) return await Fail(stderr, $"{conflict}; this one is {item.State}", 1);
        await stdout.WriteLineAsync(AntomJson.Serialize(ResolutionQueries.ItemJson(item)));
        return 0;
    }

    private static ResolutionFilter Filter(Dictionary<string, string> o)
    {
        var filter = new ResolutionFilter(o.GetValueOrDefault("--state"), o.GetValueOrDefault("--device"), o.GetValueOrDefault("--kind"),
            Number(o, "--limit") ?? 50, Number(o, "--offset") ?? 0);
        if (filter.Problem() is { } problem) throw new ArgumentException(problem);
        return filter;
    }

    private static int? Number(Dictionary<string, string> o, string name) =>
        !o.TryGetValue(name, out string? text) ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
        : throw new ArgumentException($"{name}: a number");

    private static ResolutionAdminApi.ActionBody Action(string[] args, bool needStatus)
    {
        var o = Options(args, "--by", "--note", "--status");
        var body = new JsonObject();
        if (o.TryGetValue("--by", out string? by)) body["by"] = by;
        if (o.TryGetValue("--note", out string? note)) body["note"] = note;
        if (o.TryGetValue("--status", out string? status)) body["status"] = status;
        return ResolutionAdminApi.ParseAction(body, needStatus);
    }

    private static Dictionary<string, string> Options(string[] args, params string[] known)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!known.Contains(args[i])) throw new ArgumentException($"{args[i]}: unknown option");
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]}: value missing");
            if (!o.TryAdd(args[i], args[i + 1])) throw new ArgumentException($"{args[i]}: given twice");
            i++;
        }
        return o;
    }

    private static async Task<int> Fail(TextWriter stderr, string message, int code)
    {
        await stderr.WriteLineAsync(message);
        return code;
    }
}
