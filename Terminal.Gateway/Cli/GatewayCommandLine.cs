using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.Extensions.Configuration;
using Terminal.Gateway.Configuration;

namespace Terminal.Gateway.Cli;

/// <summary>What a command works with: the server's configuration (read only when a command needs it) and the console.</summary>
internal sealed record CliContext(string[] ConfigurationArguments, Func<GatewayOptions> Options, TextReader In, TextWriter Out, TextWriter Err)
{
    /// <summary>For a command run in-process (tests) with options already bound.</summary>
    public static CliContext With(GatewayOptions options, TextReader stdin, TextWriter stdout, TextWriter stderr) => new([], () => options, stdin, stdout, stderr);

    /// <summary>Writes why on stderr; returns <paramref name="code"/> (1 refused or not found, 2 usage or configuration).</summary>
    public async Task<int> FailAsync(string message, int code)
    {
        await Err.WriteLineAsync(message);
        return code;
    }
}

/// <summary>
/// The gateway's command line (System.CommandLine): no command runs the server, the commands manage the database the server
/// uses. A configuration key (<c>--Gateway:Key=value</c> or <c>--Gateway:Key value</c>, any <c>--Section:Key</c> such as
/// <c>--Logging:LogLevel:Default=Debug</c>) anywhere on the line is not an option of a command: it is taken out before
/// parsing and read as the server reads it (docs/gateway.md). No option's name has a colon. Exit codes: 0 done,
/// 1 refused or not found, 2 usage or configuration (a parse error prints what is wrong and the command's help on stderr).
/// </summary>
internal static class GatewayCommandLine
{
    public static async Task<int> RunAsync(string[] args, Func<string[], Task<int>> server)
    {
        var (command, configuration) = Split(args);
        var context = new CliContext(configuration, () => Program.BindOptions(Configuration(configuration)), Console.In, Console.Out, Console.Error);
        return await InvokeAsync(Create(context, server), command, context);
    }

    /// <summary>The root command: the server, with every command group under it.</summary>
    public static RootCommand Create(CliContext context, Func<string[], Task<int>> server)
    {
        var root = new RootCommand(
            "Merchant gateway of the QR payment terminal. Without a command it runs the server; configuration comes from " +
            "appsettings.json, the environment (Gateway__Antom__BaseUrl=...) and --Gateway:<Key>=<value> arguments, which any " +
            "command also takes (e.g. --Gateway:Database:ConnectionString=\"Data Source=gateway.db\"); docs/gateway.md.")
        {
            DevicesCommand.Create(context),
            UsersCommand.Create(context),
            ResolutionsCommand.Create(context),
            DayCommand.Create(context),
            UpdatesCommand.CreateBundles(context),
            UpdatesCommand.CreateRollouts(context),
        };
        root.SetAction((_, _) => server(context.ConfigurationArguments));
        return root;
    }

    /// <summary>Runs one group in-process, as <c>Terminal.Gateway &lt;group&gt; args...</c> would (tests).</summary>
    public static Task<int> RunGroupAsync(string group, string[] args, CliContext context) =>
        InvokeAsync(Create(context, _ => throw new InvalidOperationException("the server is not started from a command group")), [group, .. args], context);

    /// <summary>Parses and runs; a parse error exits 2 with the errors and the command's help on stderr.</summary>
    public static async Task<int> InvokeAsync(Command root, IReadOnlyList<string> args, CliContext context)
    {
        ParseResult result = root.Parse(args);
        bool usageError = result.Action is ParseErrorAction;
        int code = await result.InvokeAsync(new InvocationConfiguration
        {
            Output = usageError ? context.Err : context.Out,
            Error = context.Err,
            EnableDefaultExceptionHandler = false,
            // The server and the commands handle SIGINT/SIGTERM themselves (Kestrel's graceful stop).
            ProcessTerminationTimeout = null,
        });
        return usageError ? 2 : code;
    }

    /// <summary>Command words and options apart from configuration arguments.</summary>
    internal static (string[] Command, string[] Configuration) Split(string[] args)
    {
        var command = new List<string>();
        var configuration = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!IsConfigurationKey(args[i]))
            {
                command.Add(args[i]);
                continue;
            }
            configuration.Add(args[i]);
            if (!args[i].Contains('=') && i + 1 < args.Length) configuration.Add(args[++i]);
        }
        return ([.. command], [.. configuration]);
    }

    /// <summary><c>--Section:Key</c>, with or without <c>=value</c>.</summary>
    private static bool IsConfigurationKey(string arg)
    {
        int colon = arg.IndexOf(':', StringComparison.Ordinal);
        int equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && colon > 2 && (equals < 0 || colon < equals);
    }

    private static IConfiguration Configuration(string[] configurationArgs) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(configurationArgs)
            .Build();
}
