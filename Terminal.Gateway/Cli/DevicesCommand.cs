using System.Globalization;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway devices add|list|revoke|rotate-key|settings</c>: the admin operations straight on the database, with the
/// same configuration as the server (appsettings.json, environment, <c>--Gateway:...=value</c> arguments). Output is
/// the admin API's JSON on stdout; a key is printed once, at add and rotate-key.
/// </summary>
public static class DevicesCommand
{
    public const string Usage =
        "usage: Terminal.Gateway devices add <deviceId> [--merchant <referenceMerchantId>] [--store <referenceStoreId>]\n" +
        "                                        [--terminal <storeTerminalId>] [--max-amount <minor units>] [--currencies USD,EUR]\n" +
        "       Terminal.Gateway devices list\n" +
        "       Terminal.Gateway devices revoke <deviceId>\n" +
        "       Terminal.Gateway devices rotate-key <deviceId>\n" +
        SettingsCommand.Usage +
        "configuration as for the server, e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"";

    /// <summary>Runs the command; returns the process exit code (0 ok, 1 refused, 2 usage or configuration).</summary>
    public static async Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr)
    {
        if (arguments.Length == 0)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        await using var storage = await CliStorage.OpenAsync(options, "devices", stderr);
        if (storage == null) return 2;
        var settings = storage.Settings;
        var database = storage.Database;
        var registry = new DeviceRegistry(database, settings.KeyProtector, options.Merchant, settings.Clock);
        string verb = arguments[0];
        string[] rest = arguments[1..];
        try
        {
            switch (verb)
            {
                case "add":
                    {
                        var registration = ParseAdd(rest);
                        var credentials = await registry.RegisterAsync(registration);
                        await stdout.WriteLineAsync(AntomJson.Serialize(AdminApi.CredentialsJson(credentials)));
                        return 0;
                    }
                case "list" when rest.Length == 0:
                    {
                        var list = new JsonArray();
                        foreach (var s in await registry.ListAsync()) list.Add(AdminApi.DeviceJson(s.Device, s.KeyVersions));
                        await stdout.WriteLineAsync(AntomJson.Serialize(list));
                        return 0;
                    }
                case "revoke" when rest.Length == 1:
                    {
                        var device = await registry.RevokeAsync(rest[0]);
                        if (device == null) return await Fail(stderr, "device not found", 1);
                        await stdout.WriteLineAsync(AntomJson.Serialize(new JsonObject { ["deviceId"] = device.DeviceId, ["status"] = device.Status }));
                        return 0;
                    }
                case "settings":
                    return await SettingsCommand.RunAsync(rest, new FleetStore(database), registry, settings.Clock, stdout, stderr);
                case "rotate-key" when rest.Length == 1:
                    {
                        var credentials = await registry.RotateKeyAsync(rest[0]);
                        if (credentials == null) return await Fail(stderr, "device not found", 1);
                        await stdout.WriteLineAsync(AntomJson.Serialize(AdminApi.CredentialsJson(credentials)));
                        return 0;
                    }
                default:
                    return await Fail(stderr, Usage, 2);
            }
        }
        catch (ArgumentException e)
        {
            return await Fail(stderr, e.Message, 2);
        }
        catch (DeviceExistsException)
        {
            return await Fail(stderr, "device exists", 1);
        }
        catch (DeviceRevokedException)
        {
            return await Fail(stderr, "device revoked", 1);
        }
    }

    internal static DeviceRegistration ParseAdd(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException("deviceId: required (devices add <deviceId> ...)");
        string deviceId = args[0];
        string? merchant = null, store = null, terminal = null;
        long? max = null;
        List<string>? currencies = null;
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"{name}: value missing");
            string value = args[++i];
            switch (name)
            {
                case "--merchant": merchant = value; break;
                case "--store": store = value; break;
                case "--terminal": terminal = value; break;
                case "--max-amount":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long m) || m <= 0)
                        throw new ArgumentException("--max-amount: a positive integer (minor units)");
                    max = m;
                    break;
                case "--currencies": currencies = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(); break;
                default: throw new ArgumentException($"{name}: unknown option");
            }
        }
        var registration = new DeviceRegistration(deviceId, merchant, store, terminal, max, currencies);
        string? problem = DeviceValidation.Check(registration);
        if (problem != null) throw new ArgumentException(problem);
        return registration;
    }

    private static async Task<int> Fail(TextWriter stderr, string message, int code)
    {
        await stderr.WriteLineAsync(message);
        return code;
    }
}
