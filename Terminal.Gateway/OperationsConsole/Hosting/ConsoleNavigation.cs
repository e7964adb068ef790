using Terminal.Gateway.OperationsConsole.Accounts;

namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>One entry of the console's navigation: its title, address, and the roles that see it (null: every role).</summary>
public sealed record NavigationEntry(string Title, string Path, IReadOnlyList<string>? Roles = null);

/// <summary>
/// The console's navigation bar, in order. A page joins by adding its entry here and its page under
/// OperationsConsole/Pages; the layout draws the bar from this list and marks the current entry.
/// </summary>
public static class ConsoleNavigation
{
    public static readonly IReadOnlyList<NavigationEntry> Entries =
    [
        new("Overview", ConsolePaths.Root),
        new("Fleet", ConsolePaths.Root + "/fleet"),
        new("Transactions", ConsolePaths.Root + "/transactions"),
        new("Exceptions", ConsolePaths.Exceptions),
        new("End of day", ConsolePaths.EndOfDay),
        new("Settings", ConsolePaths.Root + "/settings"),
        new("Audit", ConsolePaths.Root + "/audit", [ConsoleRoles.Operator, ConsoleRoles.Technician]),
    ];

    /// <summary>The entry a request path belongs to: the longest entry path that is a prefix of it.</summary>
    public static NavigationEntry? Current(string path) =>
        Entries.Where(e => path == e.Path || path.StartsWith(e.Path + "/", StringComparison.Ordinal) || (e.Path == ConsolePaths.Root && path == ConsolePaths.Root + "/"))
            .OrderByDescending(e => e.Path.Length).FirstOrDefault();
}
