using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway devices settings show|status|set|history</c>: remote settings at fleet, store and device level
/// (docs/fleet-link.md, "Remote settings"), straight on the database as the other <c>devices</c> commands, with the
/// checks and the audit of the admin API (<see cref="FleetSettings"/>) and its JSON on stdout. A scope is a word after
/// the verb: <c>fleet</c>, <c>store &lt;storeId&gt;</c> or <c>device &lt;deviceId&gt;</c>.
/// </summary>
internal static class SettingsCommand
{
    internal static Command Create(CliContext context) => new("settings", "Remote settings at fleet, store and device level")
    {
        Show(context),
        Status(context),
        Set(context),
        History(context),
    };

    private static Command Show(CliContext context) =>
        Scoped("show", "Settings at one scope", context, [], (scope, id, _, store, _) => ShowAsync(context, store, scope, id));

    private static async Task<int> ShowAsync(CliContext context, FleetStore store, string scope, string id)
    {
        var document = await store.SettingsAsync(scope, id);
        if (document == null) return await context.FailAsync("no settings at this scope", 1);
        await context.Out.WriteLineAsync(AntomJson.Serialize(AdminApi.SettingsDocumentJson(document)));
        return 0;
    }

    private static Command Status(CliContext context)
    {
        var deviceId = DevicesCommand.DeviceId();
        var status = new Command("status", "Whether a device has taken its settings") { deviceId };
        status.SetAction((r, _) => DevicesCommand.RunAsync(context, async (storage, registry) =>
        {
            string id = r.GetRequiredValue(deviceId);
            var json = DeviceValidation.IsDeviceId(id) ? await new FleetSettings(new FleetStore(storage.Database), registry, storage.Settings.Clock).DeviceStatusAsync(id) : null;
            if (json == null) return await context.FailAsync("device not found", 1);
            await context.Out.WriteLineAsync(AntomJson.Serialize(json));
            return 0;
        }));
        return status;
    }

    private static Command Set(CliContext context)
    {
        var by = CliOptions.Text("--by", "who makes the change (1..64 characters), for the audit", "name", required: true);
        var values = CliOptions.Text("--values", "a JSON object of settings, e.g. '{\"pollIntervalMs\":3000}'; '{}' clears the scope", "json", required: true);
        return Scoped("set", "Replace the settings at one scope", context, [by, values], async (scope, id, r, store, storage) =>
        {
            string who = r.GetRequiredValue(by);
            if (who.Length > 64 || who.Any(char.IsControl)) throw new ArgumentException("--by: 1..64 characters naming who makes the change");
            try
            {
                var registry = new DeviceRegistry(storage.Database, storage.Settings.KeyProtector, context.Options().Merchant, storage.Settings.Clock);
                var (version, error) = await new FleetSettings(store, registry, storage.Settings.Clock).SetAsync(scope, id, Values(r.GetRequiredValue(values)), who);
                if (error != null) return await context.FailAsync(error, 1);
                await context.Out.WriteLineAsync(AntomJson.Serialize(new JsonObject { ["scope"] = scope, ["id"] = id, ["version"] = version }));
                return 0;
            }
            catch (KeyNotFoundException)
            {
                return await context.FailAsync("device not found", 1);
            }
        });
    }

    private static Command History(CliContext context)
    {
        var limit = CliOptions.Number("--limit", "how many changes, newest first (default 100)", 1, 1000, "--limit: 1..1000");
        var history = new Command("history", "The audit of settings changes") { limit };
        history.SetAction((r, _) => DevicesCommand.RunAsync(context, async (storage, _) =>
        {
            var audit = await new FleetStore(storage.Database).SettingsAuditAsync((int)(r.GetValue(limit) ?? 100));
            await context.Out.WriteLineAsync(AntomJson.Serialize(AdminApi.SettingsAuditJson(audit)));
            return 0;
        }));
        return history;
    }

    /// <summary><paramref name="verb"/> with the three scopes as its sub-commands: fleet, store &lt;storeId&gt;, device &lt;deviceId&gt;.</summary>
    private static Command Scoped(string verb, string description, CliContext context, Option[] options,
        Func<string, string, ParseResult, FleetStore, CliStorage, Task<int>> action)
    {
        var command = new Command(verb, description);
        foreach (var (scope, idName) in new[] { (FleetSettings.Fleet, (string?)null), (FleetSettings.Store, "storeId"), (FleetSettings.Device, "deviceId") })
        {
            var sub = new Command(scope, idName == null ? "the whole fleet" : $"one {scope}");
            var id = idName == null ? null : new Argument<string>(idName) { Description = $"the {scope}'s id" };
            if (id != null) sub.Add(id);
            foreach (var option in options) sub.Add(option);
            sub.SetAction((r, _) => DevicesCommand.RunAsync(context, (storage, _) =>
            {
                string value = id == null ? "" : r.GetRequiredValue(id);
                if (id != null && !AdminApi.ValidScope(scope, value)) throw new ArgumentException($"{scope} id '{value}' is not valid");
                return action(scope, value, r, new FleetStore(storage.Database), storage);
            }));
            command.Add(sub);
        }
        return command;
    }

    private static JsonObject Values(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (StrictJson.Check(bytes) is { } strict) throw new ArgumentException("--values: " + strict);
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new ArgumentException("--values: must be a JSON object");
        }
        catch (JsonException)
        {
            throw new ArgumentException("--values: must be a JSON object");
        }
    }
}
