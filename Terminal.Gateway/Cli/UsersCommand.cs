using System.CommandLine;
using System.Text.Json.Nodes;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;

namespace Terminal.Gateway.Cli;

/// <summary>
/// <c>Terminal.Gateway users add|list|set-password|set-role|unlock|disable|enable</c>: the console's accounts, straight
/// on the database with the server's configuration (docs/console.md, "Accounts"). A password is read from standard
/// input (one line), never from the command line, where the process list would show it. Each change is in the
/// console's audit as done by "cli".
/// </summary>
public static class UsersCommand
{
    /// <summary>Runs <c>users args...</c> in-process; returns the exit code (0 ok, 1 not found, 2 usage or configuration).</summary>
    public static Task<int> RunAsync(string[] arguments, GatewayOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        GatewayCommandLine.RunGroupAsync("users", arguments, CliContext.With(options, stdin, stdout, stderr));

    internal static Command Create(CliContext context)
    {
        var users = new Command("users", "The operations console's accounts; a password is read from standard input, one line");

        var name = Name();
        var role = CliOptions.OneOf("--role", "what the account may do (docs/console.md, \"Roles\")", ConsoleRoles.All, required: true);
        var add = new Command("add", "Add an account (password on standard input)") { name, role };
        add.SetAction((r, _) => RunAsync(context, async (accounts, audit) =>
        {
            string? password = await context.In.ReadLineAsync();
            var user = await accounts.AddAsync(r.GetRequiredValue(name), r.GetRequiredValue(role), password ?? "");
            await audit.WriteAsync("cli", "user_added", user.Username, "role " + user.Role, null);
            await context.Out.WriteLineAsync(AntomJson.Serialize(Json(user)));
            return 0;
        }));
        users.Add(add);

        var list = new Command("list", "Every account (no password hashes)");
        list.SetAction((_, _) => RunAsync(context, async (accounts, _) =>
        {
            var all = new JsonArray();
            foreach (var u in await accounts.ListAsync()) all.Add(Json(u));
            await context.Out.WriteLineAsync(AntomJson.Serialize(all));
            return 0;
        }));
        users.Add(list);

        users.Add(Change(context, "set-password", "Set an account's password (on standard input)", "password_set", null,
            async (accounts, user, _) => await accounts.SetPasswordAsync(user, await context.In.ReadLineAsync() ?? "")));

        var newRole = CliOptions.OneOfArgument("role", "the account's new role", ConsoleRoles.All);
        users.Add(Change(context, "set-role", "Change an account's role", "role_set", newRole,
            (accounts, user, r) => accounts.SetRoleAsync(user, r.GetRequiredValue(newRole))));
        users.Add(Change(context, "unlock", "Lift a lockout after failed sign-ins", "user_unlocked", null, (accounts, user, _) => accounts.UnlockAsync(user)));
        users.Add(Change(context, "disable", "Disable an account (enable undoes it)", "user_disabled", null, (accounts, user, _) => accounts.SetDisabledAsync(user, true)));
        users.Add(Change(context, "enable", "Enable a disabled account", "user_enabled", null, (accounts, user, _) => accounts.SetDisabledAsync(user, false)));
        return users;
    }

    private static Argument<string> Name() => new("name") { Description = "the account's user name" };

    /// <summary>A change to one named account: exit 1 when there is no such account, else its audit entry and a line of JSON.</summary>
    private static Command Change(CliContext context, string verb, string description, string action, Argument<string>? detail,
        Func<ConsoleUsers, string, ParseResult, Task<bool>> change)
    {
        var name = Name();
        var command = new Command(verb, description) { name };
        if (detail != null) command.Add(detail);
        command.SetAction((r, _) => RunAsync(context, async (accounts, audit) =>
        {
            string user = r.GetRequiredValue(name);
            if (!await change(accounts, user, r))
            {
                await context.Err.WriteLineAsync("user not found");
                return 1;
            }
            string username = user.Trim().ToLowerInvariant();
            await audit.WriteAsync("cli", action, username, detail == null ? null : "role " + r.GetRequiredValue(detail), null);
            await context.Out.WriteLineAsync(AntomJson.Serialize(new JsonObject { ["username"] = username, ["done"] = action }));
            return 0;
        }));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, Func<ConsoleUsers, AuditLog, Task<int>> command)
    {
        await using var storage = await CliStorage.OpenAsync(context.Options(), "users", context.Err);
        if (storage == null) return 2;
        try
        {
            return await command(new ConsoleUsers(storage.Database, storage.Settings.Clock), new AuditLog(storage.Database, storage.Settings.Clock));
        }
        catch (ArgumentException e)
        {
            await context.Err.WriteLineAsync(e.Message);
            return 2;
        }
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
