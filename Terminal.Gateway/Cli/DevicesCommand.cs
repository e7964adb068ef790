using System.CommandLine;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway devices add|list|revoke|rotate-key|settings</c>: the admin operations straight on the database, with the
/// same configuration as the server (appsettings.json, environment, <c>--Gateway:...=value</c> arguments). Output is
/// the admin API's JSON on stdout; a key is printed once, at add and rotate-key.
/// </summary>
public static class DevicesCommand
{
    /// <summary>Runs <c>devices args...</c> in-process; returns the exit code (0 ok, 1 refused, 2 usage or configuration).</summary>
    public static Task<int> RunAsync(string[] arguments, GatewayOptions options, TextWriter stdout, TextWriter stderr) =>
        GatewayCommandLine.RunGroupAsync("devices", arguments, CliContext.With(options, TextReader.Null, stdout, stderr));

    internal static Command Create(CliContext context) => new("devices", "Register, list, revoke devices, rotate their keys; their remote settings")
    {
        Add(context),
        List(context),
        Revoke(context),
        RotateKey(context),
        SettingsCommand.Create(context),
    };

    internal static Argument<string> DeviceId() => new("deviceId") { Description = "the device's id (1 to 32 letters and digits)" };

    private static Command Add(CliContext context)
    {
        var deviceId = DeviceId();
        var merchant = CliOptions.Text("--merchant", "Antom's referenceMerchantId for its payments (default: Gateway:Merchant's)", "referenceMerchantId");
        var store = CliOptions.Text("--store", "referenceStoreId (default: Gateway:Merchant's)", "referenceStoreId");
        var terminal = CliOptions.Text("--terminal", "storeTerminalId (default: the device id)", "storeTerminalId");
        var maxAmount = CliOptions.Number("--max-amount", "the largest amount the device may charge, in minor units", 1, long.MaxValue,
            "--max-amount: a positive integer (minor units)", "minor units");
        var currencies = CliOptions.Text("--currencies", "currencies the device may charge in, comma-separated", "USD,EUR");
        var add = new Command("add", "Register a device; prints its key, once") { deviceId, merchant, store, terminal, maxAmount, currencies };
        add.SetAction((r, _) => RunAsync(context, async (storage, registry) =>
        {
            var registration = new DeviceRegistration(r.GetRequiredValue(deviceId), r.GetValue(merchant), r.GetValue(store), r.GetValue(terminal),
                r.GetValue(maxAmount), r.GetValue(currencies)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList());
            if (DeviceValidation.Check(registration) is { } problem) throw new ArgumentException(problem);
            await context.Out.WriteLineAsync(AntomJson.Serialize(AdminApi.CredentialsJson(await registry.RegisterAsync(registration))));
            return 0;
        }));
        return add;
    }

    private static Command List(CliContext context)
    {
        var list = new Command("list", "Every device with its key versions (never a key)");
        list.SetAction((_, _) => RunAsync(context, async (_, registry) =>
        {
            var devices = new JsonArray();
            foreach (var s in await registry.ListAsync()) devices.Add(AdminApi.DeviceJson(s.Device, s.KeyVersions));
            await context.Out.WriteLineAsync(AntomJson.Serialize(devices));
            return 0;
        }));
        return list;
    }

    private static Command Revoke(CliContext context)
    {
        var deviceId = DeviceId();
        var revoke = new Command("revoke", "Revoke a device: its requests are refused from now on") { deviceId };
        revoke.SetAction((r, _) => RunAsync(context, async (_, registry) =>
        {
            var device = await registry.RevokeAsync(r.GetRequiredValue(deviceId));
            if (device == null) return await context.FailAsync("device not found", 1);
            await context.Out.WriteLineAsync(AntomJson.Serialize(new JsonObject { ["deviceId"] = device.DeviceId, ["status"] = device.Status }));
            return 0;
        }));
        return revoke;
    }

    private static Command RotateKey(CliContext context)
    {
        var deviceId = DeviceId();
        var rotate = new Command("rotate-key", "Give a device a new key version; prints the key, once") { deviceId };
        rotate.SetAction((r, _) => RunAsync(context, async (_, registry) =>
        {
            var credentials = await registry.RotateKeyAsync(r.GetRequiredValue(deviceId));
            if (credentials == null) return await context.FailAsync("device not found", 1);
            await context.Out.WriteLineAsync(AntomJson.Serialize(AdminApi.CredentialsJson(credentials)));
            return 0;
        }));
        return rotate;
    }

    /// <summary>Opens the database and runs <paramref name="command"/>; a bad value exits 2, a refusal 1.</summary>
    internal static async Task<int> RunAsync(CliContext context, Func<CliStorage, DeviceRegistry, Task<int>> command)
    {
        GatewayOptions options = context.Options();
        await using var storage = await CliStorage.OpenAsync(options, "devices", context.Err);
        if (storage == null) return 2;
        try
        {
            return await command(storage, new DeviceRegistry(storage.Database, storage.Settings.KeyProtector, options.Merchant, storage.Settings.Clock));
        }
        catch (ArgumentException e)
        {
            return await context.FailAsync(e.Message, 2);
        }
        catch (DeviceExistsException)
        {
            return await context.FailAsync("device exists", 1);
        }
        catch (DeviceRevokedException)
        {
            return await context.FailAsync("device revoked", 1);
        }
    }
}
