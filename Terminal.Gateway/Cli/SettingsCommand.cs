using System.Globalization;
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
/// checks and the audit of the admin API (<see cref="FleetSettings"/>) and its JSON on stdout.
/// </summary>
public static class SettingsCommand
{
    public const string Usage =
        "       Terminal.Gateway devices settings show fleet | show store <storeId> | show device <deviceId>\n" +
        "       Terminal.Gateway devices settings status <deviceId>\n" +
        "       Terminal.Gateway devices settings set fleet|store <storeId>|device <deviceId> --by <name> --values '{\"pollIntervalMs\":3000}'\n" +
        "       Terminal.Gateway devices settings history [--limit <1..1000>]\n";

    internal static async Task<int> RunAsync(string[] args, FleetStore store, DeviceRegistry registry, TimeProvider clock, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0) return await Fail(stderr, "usage:\n" + Usage, 2);
        string[] rest = args[1..];
        switch (args[0])
        {
            case "show":
                {
                    var (scope, id, options) = Scope(rest);
                    if (options.Length > 0) throw new ArgumentException($"{options[0]}: unknown option");
                    var document = await store.SettingsAsync(scope, id);
                    if (document == null) return await Fail(stderr, "no settings at this scope", 1);
                    await stdout.WriteLineAsync(AntomJson.Serialize(AdminApi.SettingsDocumentJson(document)));
                    return 0;
                }
            case "status" when rest.Length == 1:
                {
                    var status = DeviceValidation.IsDeviceId(rest[0]) ? await new FleetSettings(store, registry, clock).DeviceStatusAsync(rest[0]) : null;
                    if (status == null) return await Fail(stderr, "device not found", 1);
                    await stdout.WriteLineAsync(AntomJson.Serialize(status));
                    return 0;
                }
            case "set":
                {
                    var (scope, id, options) = Scope(rest);
                    var (by, values) = SetOptions(options);
                    try
                    {
                        var (version, error) = await new FleetSettings(store, registry, clock).SetAsync(scope, id, values, by);
                        if (error != null) return await Fail(stderr, error, 1);
                        await stdout.WriteLineAsync(AntomJson.Serialize(new JsonObject { ["scope"] = scope, ["id"] = id, ["version"] = version }));
                        return 0;
                    }
                    catch (KeyNotFoundException)
                    {
                        return await Fail(stderr, "device not found", 1);
                    }
                }
            case "history":
                {
                    int limit = 100;
                    if (rest.Length == 2 && rest[0] == "--limit")
                    {
                        if (!int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 1000)
                            throw new ArgumentException("--limit: 1..1000");
                    }
                    else if (rest.Length != 0) throw new ArgumentException("history takes only --limit <1..1000>");
                    await stdout.WriteLineAsync(AntomJson.Serialize(AdminApi.SettingsAuditJson(await store.SettingsAuditAsync(limit))));
                    return 0;
                }
            default:
                return await Fail(stderr, "usage:\n" + Usage, 2);
        }
    }

    /// <summary>fleet | store &lt;id&gt; | device &lt;id&gt;, then the rest (options).</summary>
    private static (string Scope, string Id, string[] Options) Scope(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("scope: fleet, store <storeId> or device <deviceId>");
        if (args[0] == FleetSettings.Fleet) return (FleetSettings.Fleet, "", args[1..]);
        if (args[0] is not (FleetSettings.Store or FleetSettings.Device) || args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException("scope: fleet, store <storeId> or device <deviceId>");
        if (!AdminApi.ValidScope(args[0], args[1])) throw new ArgumentException($"{args[0]} id '{args[1]}' is not valid");
        return (args[0], args[1], args[2..]);
    }

    private static (string By, JsonObject Values) SetOptions(string[] options)
    {
        string? by = null, values = null;
        for (int i = 0; i < options.Length; i++)
        {
            if (i + 1 >= options.Length) throw new ArgumentException($"{options[i]}: value missing");
            switch (options[i])
            {
                case "--by": by = options[++i]; break;
                case "--values": values = options[++i]; break;
                default: throw new ArgumentException($"{options[i]}: unknown option");
            }
        }
        if (by == null || by.Length is < 1 or > 64 || by.Any(char.IsControl)) throw new ArgumentException("--by: 1..64 characters naming who makes the change");
        if (values == null) throw new ArgumentException("--values: a JSON object of settings ('{}' clears the scope)");
        byte[] bytes = Encoding.UTF8.GetBytes(values);
        if (StrictJson.Check(bytes) is { } strict) throw new ArgumentException("--values: " + strict);
        try
        {
            return (by, JsonNode.Parse(bytes) as JsonObject ?? throw new ArgumentException("--values: must be a JSON object"));
        }
        catch (JsonException)
        {
            throw new ArgumentException("--values: must be a JSON object");
        }
    }

    private static async Task<int> Fail(TextWriter stderr, string message, int code)
    {
        await stderr.WriteLineAsync(message);
        return code;
    }
}
