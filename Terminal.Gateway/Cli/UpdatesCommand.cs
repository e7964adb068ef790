using System.Globalization;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Updates;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway bundles upload|list|show|delete</c> and <c>Terminal.Gateway rollouts create|list|show|pause|resume|abort</c>:
/// over-the-air updates (docs/ota.md, "Operator's steps") straight on the database with the server's configuration, with
/// the admin API's checks; its JSON on stdout. A running gateway sees every change at the next heartbeat.
/// </summary>
public static class UpdatesCommand
{
    public const string BundlesUsage =
        "usage: Terminal.Gateway bundles upload <folder made by Terminal.Bundler> --by <name>\n" +
        "       Terminal.Gateway bundles list\n" +
        "       Terminal.Gateway bundles show <version>\n" +
        "       Terminal.Gateway bundles delete <version>\n" +
        "configuration as for the server, e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"";

    public const string RolloutsUsage =
        "usage: Terminal.Gateway rollouts create --version <v> [--devices <id,id,...> | --stores <id,id,...>] [--percent <1..100>]\n" +
        "                                        [--start <ISO 8601, e.g. 2026-12-04T02:00:00Z>] [--allow-downgrade] --by <name>\n" +
        "       Terminal.Gateway rollouts list\n" +
        "       Terminal.Gateway rollouts show <rolloutId>\n" +
        "       Terminal.Gateway rollouts pause|resume|abort <rolloutId> --by <name>\n" +
        "configuration as for the server, e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"";

    /// <summary><c>bundles ...</c>; returns the exit code (0 done, 1 refused or not found, 2 usage or configuration).</summary>
    public static Task<int> BundlesAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        RunAsync(arguments, options, stdout, stderr, BundlesUsage, "bundles", async (storage, store, rest) =>
        {
            var bundles = new BundleLibrary(store, storage.Settings.Clock);
            switch (arguments[0])
            {
                case "upload" when rest.Length >= 1:
                    {
                        var o = Options(rest[1..], [], "--by");
                        var (manifest, files) = BundleLibrary.ReadFolder(rest[0]);
                        return await bundles.UploadAsync(manifest, files, o.GetValueOrDefault("--by") ?? "");
                    }
                case "list" when rest.Length == 0:
                    return await bundles.ListAsync();
                case "show" when rest.Length == 1:
                    return await bundles.DescribeAsync(rest[0]) ?? throw new UpdateRefusedException(404, "no such bundle");
                case "delete" when rest.Length == 1:
                    return await bundles.DeleteAsync(rest[0]);
                default:
                    return null;
            }
        });

    /// <summary><c>rollouts ...</c>; returns the exit code (0 done, 1 refused or not found, 2 usage or configuration).</summary>
    public static Task<int> RolloutsAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        RunAsync(arguments, options, stdout, stderr, RolloutsUsage, "rollouts", async (storage, store, rest) =>
        {
            var clock = storage.Settings.Clock;
            var rollouts = new Rollouts(store, new DeviceRegistry(storage.Database, storage.Settings.KeyProtector, options.Merchant, clock), clock);
            switch (arguments[0])
            {
                case "create":
                    {
                        var o = Options(rest, ["--allow-downgrade"], "--version", "--devices", "--stores", "--percent", "--start", "--by");
                        int? percent = o.TryGetValue("--percent", out string? p)
                            ? int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new ArgumentException("--percent: 1..100")
                            : null;
                        return await rollouts.CreateAsync(new RolloutRequest(o.GetValueOrDefault("--version"), Ids(o, "--devices"), Ids(o, "--stores"), percent,
                            o.TryGetValue("--start", out string? start) ? Rollouts.ParseStart(start) : null, o.ContainsKey("--allow-downgrade"), o.GetValueOrDefault("--by")));
                    }
                case "list" when rest.Length == 0:
                    return await rollouts.ListAsync();
                case "show" when rest.Length == 1:
                    return await rollouts.ShowAsync(Id(rest[0])) ?? throw new UpdateRefusedException(404, "no such rollout");
                case "pause" or "resume" or "abort" when rest.Length >= 1:
                    {
                        long id = Id(rest[0]);
                        string? by = Options(rest[1..], [], "--by").GetValueOrDefault("--by");
                        return arguments[0] switch
                        {
                            "pause" => await rollouts.PauseAsync(id, by),
                            "resume" => await rollouts.ResumeAsync(id, by),
                            _ => await rollouts.AbortAsync(id, by),
                        };
                    }
                default:
                    return null;
            }
        });

    /// <summary>Opens the database, runs <paramref name="command"/> (null: usage) and prints its JSON.</summary>
    private static async Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr, string usage, string name,
        Func<CliStorage, UpdateStore, string[], Task<JsonNode?>> command)
    {
        if (arguments.Length == 0) return await Fail(stderr, usage, 2);
        await using var storage = await CliStorage.OpenAsync(options, name, stderr);
        if (storage == null) return 2;
        try
        {
            var json = await command(storage, new UpdateStore(storage.Database), arguments[1..]);
            if (json == null) return await Fail(stderr, usage, 2);
            await stdout.WriteLineAsync(AntomJson.Serialize(json));
            return 0;
        }
        catch (UpdateRefusedException e)
        {
            return await Fail(stderr, e.Message, 1);
        }
        catch (ArgumentException e)
        {
            return await Fail(stderr, e.Message, 2);
        }
        catch (IOException e)
        {
            return await Fail(stderr, e.Message, 2);
        }
    }

    private static long Id(string text) =>
        text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit) ? long.Parse(text, CultureInfo.InvariantCulture) : throw new UpdateRefusedException(404, "no such rollout");

    private static List<string>? Ids(Dictionary<string, string> o, string name) =>
        o.TryGetValue(name, out string? list) ? list.Split(',', StringSplitOptions.TrimEntries).ToList() : null;

    /// <summary>Options with a value (<paramref name="known"/>) and flags without one (<paramref name="flags"/>, stored as "").</summary>
    private static Dictionary<string, string> Options(string[] args, string[] flags, params string[] known)
    {
        var o = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            bool flag = flags.Contains(args[i]);
            if (!flag && !known.Contains(args[i])) throw new ArgumentException($"{args[i]}: unknown option");
            if (!flag && i + 1 >= args.Length) throw new ArgumentException($"{args[i]}: value missing");
            if (!o.TryAdd(args[i], flag ? "" : args[i + 1])) throw new ArgumentException($"{args[i]}: given twice");
            if (!flag) i++;
        }
        return o;
    }

    private static async Task<int> Fail(TextWriter stderr, string message, int code)
    {
        await stderr.WriteLineAsync(message);
        return code;
    }
}
