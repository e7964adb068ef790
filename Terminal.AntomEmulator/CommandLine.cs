using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Terminal.AntomEmulator;

/// <summary>
/// Arguments of the standalone server (<c>dotnet run --project Terminal.AntomEmulator -- --help</c>), parsed with
/// System.CommandLine: a bad value is a usage error naming the option (exit 2, the errors and the help on stderr).
/// </summary>
internal sealed class CommandLine
{
    public AntomEmulatorOptions Options { get; } = new() { Urls = new List<string> { "https://127.0.0.1:9443" }, ConsoleLogging = true };

    public List<(string ClientId, int KeyVersion, string Key)> Clients { get; } = new();

    public string? ExportCaPath { get; private set; }

    public string? ExportPublicKeyPath { get; private set; }

    /// <summary>Parses <paramref name="args"/> and runs <paramref name="serve"/> with them; returns the exit code (2: usage).</summary>
    public static async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<CommandLine, CancellationToken, Task<int>> serve)
    {
        ParseResult result = Create(serve).Parse(args);
        bool usageError = result.Action is ParseErrorAction;
        int code = await result.InvokeAsync(new InvocationConfiguration
        {
            Output = usageError ? stderr : stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // the server stops on SIGINT/SIGTERM by itself
        });
        return usageError ? 2 : code;
    }

    private static RootCommand Create(Func<CommandLine, CancellationToken, Task<int>> serve)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "listening URLs, https:// or http://, IP or localhost (default https://127.0.0.1:9443)",
            HelpName = "url[;url...]",
        };
        var clients = new Option<List<(string, int, string)>>("--client")
        {
            Description = "register a merchant public key: base64 SPKI, or @file with PEM/base64 (repeatable)",
            HelpName = "id[,ver]=key",
            CustomParser = result => result.Tokens.Select(t => ParseClient(result, t.Value)).ToList(),
        };
        var sqlite = new Option<string>("--sqlite") { Description = "keep state (and the CA and Antom key) in this SQLite file", HelpName = "file" };
        var seed = new Option<int>("--seed") { Description = "seed for codes, ids and fault probabilities (default 1)", HelpName = "n" };
        var exportCa = new Option<string>("--export-ca") { Description = "write the CA certificate (PEM) to trust", HelpName = "file" };
        var exportKey = new Option<string>("--export-public-key") { Description = "write Antom's public key (PEM) to verify responses", HelpName = "file" };
        var cancelWindow = Span("--cancel-window", "cancel window (default 1.00:00:00)");
        var refundWindow = Span("--refund-window", "refund window (default 365.00:00:00)");
        var orderCodeLifetime = Span("--order-code-lifetime", "order code lifetime (default 00:15:00)");
        var timeHeader = new Option<string>("--time-header") { Description = "Response-Time format (default iso8601)", HelpName = "iso8601|epoch" };
        timeHeader.CompletionSources.Add("iso8601", "epoch");
        timeHeader.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && value is not ("iso8601" or "epoch")) result.AddError($"--time-header: '{value}' is not iso8601 or epoch");
        });
        var skew = Span("--max-request-time-skew",
            "refuse a Request-Time further than this from the emulator clock with PARAM_ILLEGAL (default: no limit; Antom documents none)");
        var noControlApi = new Option<bool>("--no-control-api") { Description = "do not serve /__emulator/" };
        var quiet = new Option<bool>("--quiet") { Description = "no request logging" };

        var root = new RootCommand("Antom emulator (test use only): the Antom in-store API on this machine, with a control API for faults (docs/antom-emulator.md)")
        {
            urls, clients, sqlite, seed, exportCa, exportKey, cancelWindow, refundWindow, orderCodeLifetime, timeHeader, skew, noControlApi, quiet,
        };
        root.SetAction((r, ct) =>
        {
            var command = new CommandLine { ExportCaPath = r.GetValue(exportCa), ExportPublicKeyPath = r.GetValue(exportKey) };
            var o = command.Options;
            if (r.GetValue(urls) is { } list) o.Urls = list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            command.Clients.AddRange(r.GetValue(clients) ?? []);
            o.SqlitePath = r.GetValue(sqlite) ?? o.SqlitePath;
            if (r.GetResult(seed) != null) o.Seed = r.GetValue(seed);
            o.CancelWindow = r.GetValue(cancelWindow) ?? o.CancelWindow;
            o.RefundWindow = r.GetValue(refundWindow) ?? o.RefundWindow;
            o.OrderCodeLifetime = r.GetValue(orderCodeLifetime) ?? o.OrderCodeLifetime;
            if (r.GetValue(timeHeader) is { } format) o.TimeHeaderFormat = format == "epoch" ? TimeHeaderFormat.EpochMilliseconds : TimeHeaderFormat.Iso8601;
            o.MaxRequestTimeSkew = r.GetValue(skew) ?? o.MaxRequestTimeSkew;
            o.EnableControlApi = !r.GetValue(noControlApi);
            o.ConsoleLogging = !r.GetValue(quiet);
            return serve(command, ct);
        });
        return root;
    }

    private static Option<TimeSpan?> Span(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "d.hh:mm:ss",
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero) return span;
            result.AddError($"{name}: '{text}' is not a positive d.hh:mm:ss duration");
            return null;
        },
    };

    /// <summary><c>id[,keyVersion]=key</c>, the key base64 SPKI or <c>@file</c>.</summary>
    private static (string, int, string) ParseClient(ArgumentResult result, string text)
    {
        int eq = text.IndexOf('=');
        string id = eq > 0 ? text.Substring(0, eq) : "";
        int version = 1;
        int comma = id.IndexOf(',');
        if (comma >= 0 && !int.TryParse(id.AsSpan(comma + 1), NumberStyles.None, CultureInfo.InvariantCulture, out version)) eq = -1;
        if (eq <= 0 || eq == text.Length - 1)
        {
            result.AddError($"--client '{text}': expected <id>[,<keyVersion>]=<key>");
            return default;
        }

        if (comma >= 0) id = id.Substring(0, comma);
        string key = text.Substring(eq + 1);
        if (!key.StartsWith('@')) return (id, version, key);
        try
        {
            return (id, version, File.ReadAllText(key.Substring(1)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result.AddError($"--client '{text}': {e.Message}");
            return default;
        }
    }
}
