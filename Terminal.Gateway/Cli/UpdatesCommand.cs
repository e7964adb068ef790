using System.CommandLine;
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
    /// <summary>Runs <c>bundles args...</c> in-process; returns the exit code (0 done, 1 refused or not found, 2 usage or configuration).</summary>
    public static Task<int> BundlesAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        GatewayCommandLine.RunGroupAsync("bundles", arguments, CliContext.With(options, TextReader.Null, stdout, stderr));

    /// <summary>Runs <c>rollouts args...</c> in-process; returns the exit code (0 done, 1 refused or not found, 2 usage or configuration).</summary>
    public static Task<int> RolloutsAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        GatewayCommandLine.RunGroupAsync("rollouts", arguments, CliContext.With(options, TextReader.Null, stdout, stderr));

    internal static Command CreateBundles(CliContext context)
    {
        var folder = new Argument<string>("folder") { Description = "the folder Terminal.Bundler made (manifest.json and the files it names)" };
        var by = By("who uploads");
        var upload = new Command("upload", "Upload a signed bundle") { folder, by };
        upload.SetAction((r, _) => RunAsync(context, "bundles", async (storage, store) =>
        {
            var (manifest, files) = BundleLibrary.ReadFolder(r.GetRequiredValue(folder));
            return await new BundleLibrary(store, storage.Settings.Clock).UploadAsync(manifest, files, r.GetRequiredValue(by));
        }));

        var list = new Command("list", "Every bundle");
        list.SetAction((_, _) => RunAsync(context, "bundles", async (storage, store) => await new BundleLibrary(store, storage.Settings.Clock).ListAsync()));

        var version = Version();
        var show = new Command("show", "A bundle's manifest and files") { version };
        show.SetAction((r, _) => RunAsync(context, "bundles", async (storage, store) =>
            await new BundleLibrary(store, storage.Settings.Clock).DescribeAsync(r.GetRequiredValue(version)) ?? throw new UpdateRefusedException(404, "no such bundle")));

        var deleted = Version();
        var delete = new Command("delete", "Delete a bundle no rollout uses") { deleted };
        delete.SetAction((r, _) => RunAsync(context, "bundles", async (storage, store) =>
            await new BundleLibrary(store, storage.Settings.Clock).DeleteAsync(r.GetRequiredValue(deleted))));

        return new Command("bundles", "Over-the-air update bundles (docs/ota.md)") { upload, list, show, delete };
    }

    internal static Command CreateRollouts(CliContext context)
    {
        var rollouts = new Command("rollouts", "Over-the-air rollouts of a bundle to devices (docs/ota.md)") { Create(context) };

        var list = new Command("list", "Every rollout");
        list.SetAction((_, _) => RunAsync(context, "rollouts", async (storage, store) => await Rollouts(context, storage, store).ListAsync()));
        rollouts.Add(list);

        var rolloutId = RolloutId();
        var show = new Command("show", "A rollout and its devices' states") { rolloutId };
        show.SetAction((r, _) => RunAsync(context, "rollouts", async (storage, store) =>
            await Rollouts(context, storage, store).ShowAsync(Id(r.GetRequiredValue(rolloutId))) ?? throw new UpdateRefusedException(404, "no such rollout")));
        rollouts.Add(show);

        rollouts.Add(Move(context, "pause", "Stop offering the update and downloads (resume continues)", (all, id, by) => all.PauseAsync(id, by)));
        rollouts.Add(Move(context, "resume", "Continue a paused rollout", (all, id, by) => all.ResumeAsync(id, by)));
        rollouts.Add(Move(context, "abort", "End a rollout for good", (all, id, by) => all.AbortAsync(id, by)));
        return rollouts;
    }

    private static Command Create(CliContext context)
    {
        var version = new Option<string>("--version") { Description = "the bundle's version", HelpName = "version", Required = true };
        var devices = CliOptions.Text("--devices", "only these devices", "id,id,...");
        var stores = CliOptions.Text("--stores", "only these stores' devices", "id,id,...");
        var percent = CliOptions.Number("--percent", "this share of the devices named (stable buckets; default all)", 1, 100, "--percent: 1..100");
        var start = CliOptions.Text("--start", "when offers start (default now)", "ISO 8601, e.g. 2026-12-04T02:00:00Z");
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "allow a version older than a device's" };
        var by = By("who starts it");
        var create = new Command("create", "Start offering a bundle") { version, devices, stores, percent, start, allowDowngrade, by };
        create.SetAction((r, _) => RunAsync(context, "rollouts", async (storage, store) =>
        {
            string? startText = r.GetValue(start);
            return await Rollouts(context, storage, store).CreateAsync(new RolloutRequest(r.GetRequiredValue(version), Ids(r.GetValue(devices)), Ids(r.GetValue(stores)),
                (int?)r.GetValue(percent), startText == null ? null : Updates.Rollouts.ParseStart(startText), r.GetValue(allowDowngrade), r.GetRequiredValue(by)));
        }));
        return create;
    }

    private static Command Move(CliContext context, string verb, string description, Func<Rollouts, long, string, Task<JsonObject>> move)
    {
        var rolloutId = RolloutId();
        var by = By("who acts");
        var command = new Command(verb, description) { rolloutId, by };
        command.SetAction((r, _) => RunAsync(context, "rollouts", async (storage, store) =>
            await move(Rollouts(context, storage, store), Id(r.GetRequiredValue(rolloutId)), r.GetRequiredValue(by))));
        return command;
    }

    private static Rollouts Rollouts(CliContext context, CliStorage storage, UpdateStore store)
    {
        var clock = storage.Settings.Clock;
        return new Rollouts(store, new DeviceRegistry(storage.Database, storage.Settings.KeyProtector, context.Options().Merchant, clock), clock);
    }

    private static Option<string> By(string who) => CliOptions.Text("--by", who + " (1..64 characters), for the audit", "name", required: true);

    private static Argument<string> Version() => new("version") { Description = "the bundle's version, e.g. 1.4.0" };

    private static Argument<string> RolloutId() => new("rolloutId") { Description = "the rollout's number" };

    /// <summary>Opens the database, runs <paramref name="command"/> and prints its JSON.</summary>
    private static async Task<int> RunAsync(CliContext context, string name, Func<CliStorage, UpdateStore, Task<JsonNode>> command)
    {
        await using var storage = await CliStorage.OpenAsync(context.Options(), name, context.Err);
        if (storage == null) return 2;
        try
        {
            await context.Out.WriteLineAsync(AntomJson.Serialize(await command(storage, new UpdateStore(storage.Database))));
            return 0;
        }
        catch (UpdateRefusedException e)
        {
            return await context.FailAsync(e.Message, 1);
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            return await context.FailAsync(e.Message, 2);
        }
    }

    private static long Id(string text) =>
        text.Length is > 0 and <= 18 && text.All(char.IsAsciiDigit) ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : throw new UpdateRefusedException(404, "no such rollout");

    private static List<string>? Ids(string? list) => list?.Split(',', StringSplitOptions.TrimEntries).ToList();
}
