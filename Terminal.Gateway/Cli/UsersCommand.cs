using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway users add|list|set-password|set-role|unlock|disable|enable</c>: the console's accounts, straight
/// on the database with the server's configuration (docs/console.md, "Accounts"). A password is read from standard
/// input (one line), never from the command line, where the process list would show it. Each change is in the
/// console's audit as done by "cli".
/// </summary>
public static class UsersCommand
{
    public const string Usage =
        "usage: Terminal.Gateway users add <name> --role operator|technician|viewer   (password on stdin, one line)\n" +
        "       Terminal.Gateway users list\n" +
        "       Terminal.Gateway users set-password <name>                            (password on stdin)\n" +
        "       Terminal.Gateway users set-role <name> operator|technician|viewer\n" +
        "       Terminal.Gateway users unlock|disable|enable <name>\n" +
        "configuration as for the server, e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"";

    public static async Task<int> RunAsync(string[] arguments, GatewayOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        if (arguments.Length == 0)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
        GatewaySettings settings;
        try
        {
            settings = GatewaySettings.ResolveStorageOnly(options);
        }
        catch (GatewayConfigurationException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return 2;
        }
        using (settings)
        {
            await using var database = new GatewayDatabase(settings.DatabaseProvider, settings.ConnectionString, options.Database.SqliteSynchronous,
                new DatabasePool(MaxPoolSize: 2, ApplicationName: "gateway users"));
            await Migrator.MigrateAsync(database, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds());
            var users = new ConsoleUsers(database, settings.Clock);
            var audit = new AuditLog(database, settings.Clock);
            string verb = arguments[0];
            string[] rest = arguments[1..];
            try
            {
                switch (verb)
                {
                    case "add" when rest.Length == 3 && rest[1] == "--role":
                        {
                            string? password = await stdin.ReadLineAsync();
                            var user = await users.AddAsync(rest[0], rest[2], password ?? "");
                            await audit.WriteAsync("cli", "user_added", user.Username, "role " + user.Role, null);
                            await stdout.WriteLineAsync(AntomJson.Serialize(Json(user)));
                            return 0;
                        }
                    case "list" when rest.Length == 0:
                        {
                            var list = new JsonArray();
                            foreach (var u in await users.ListAsync()) list.Add(Json(u));
                            await stdout.WriteLineAsync(AntomJson.Serialize(list));
                            return 0;
                        }
                    case "set-password" when rest.Length == 1:
                        {
                            string? password = await stdin.ReadLineAsync();
                            return await Done(await users.SetPasswordAsync(rest[0], password ?? ""), audit, "password_set", rest[0], null, stdout, stderr);
                        }
                    case "set-role" when rest.Length == 2:
                        return await Done(await users.SetRoleAsync(rest[0], rest[1]), audit, "role_set", rest[0], "role " + rest[1], stdout, stderr);
                    case "unlock" when rest.Length == 1:
                        return await Done(await users.UnlockAsync(rest[0]), audit, "user_unlocked", rest[0], null, stdout, stderr);
                    case "disable" when rest.Length == 1:
                        return await Done(await users.SetDisabledAsync(rest[0], true), audit, "user_disabled", rest[0], null, stdout, stderr);
                    case "enable" when rest.Length == 1:
                        return await Done(await users.SetDisabledAsync(rest[0], false), audit, "user_enabled", rest[0], null, stdout, stderr);
                    default:
                        await stderr.WriteLineAsync(Usage);
                        return 2;
                }
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return 2;
            }
        }
    }

    private static async Task<int> Done(bool found, AuditLog audit, string action, string name, string? detail, TextWriter stdout, TextWriter stderr)
    {
        if (!found)
        {
            await stderr.WriteLineAsync("user not found");
            return 1;
        }
        await audit.WriteAsync("cli", action, name.Trim().ToLowerInvariant(), detail, null);
        await stdout.WriteLineAsync(AntomJson.Serialize(new JsonObject { ["username"] = name.Trim().ToLowerInvariant(), ["done"] = action }));
        return 0;
    }

    private static JsonObject Json(ConsoleUser u) => new()
    {
        ["username"] = u.Username,
        ["role"] = u.Role,
        ["disabled"] = u.Disabled,
        ["locked"] = u.LockedUntil != null,
        ["lastLoginAt"] = u.LastLoginAt,
    };
}
