using System.Globalization;

namespace Terminal.AntomEmulator;

/// <summary>Arguments of the standalone server (<c>dotnet run --project Terminal.AntomEmulator -- --help</c>).</summary>
internal sealed class CommandLine
{
    public const string Usage = """
        Antom emulator (test use only)
          --urls <url>[;<url>...]         listening URLs, https:// or http://, IP or localhost (default https://127.0.0.1:9443)
          --client <id>[,<ver>]=<key>     register a merchant public key: base64 SPKI, or @file with PEM/base64 (repeatable)
          --sqlite <file>                 keep state (and the CA and Antom key) in this SQLite file
          --seed <n>                      seed for codes, ids and fault probabilities (default 1)
          --export-ca <file>              write the CA certificate (PEM) to trust
          --export-public-key <file>      write Antom's public key (PEM) to verify responses
          --cancel-window <d.hh:mm:ss>    cancel window (default 1.00:00:00)
          --refund-window <d.hh:mm:ss>    refund window (default 365.00:00:00)
          --order-code-lifetime <hh:mm:ss> order code lifetime (default 00:15:00)
          --time-header iso8601|epoch     Response-Time format (default iso8601)
          --max-request-time-skew <d.hh:mm:ss>  refuse a Request-Time further than this from the emulator clock
                                          with PARAM_ILLEGAL (default: no limit; Antom documents none)
          --no-control-api                do not serve /__emulator/
          --quiet                         no request logging
        """;

    public AntomEmulatorOptions Options { get; } = new() { Urls = new List<string> { "https://127.0.0.1:9443" }, ConsoleLogging = true };

    public List<(string ClientId, int KeyVersion, string Key)> Clients { get; } = new();

    public string? ExportCaPath { get; private set; }

    public string? ExportPublicKeyPath { get; private set; }

    public bool ShowHelp { get; private set; }

    /// <exception cref="ArgumentException">An unknown option or a bad value; the message names it.</exception>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new CommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--help" or "-h":
                    result.ShowHelp = true;
                    break;
                case "--urls":
                    result.Options.Urls = Value().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    break;
                case "--client":
                    result.Clients.Add(ParseClient(Value()));
                    break;
                case "--sqlite":
                    result.Options.SqlitePath = Value();
                    break;
                case "--seed":
                    result.Options.Seed = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--export-ca":
                    result.ExportCaPath = Value();
                    break;
                case "--export-public-key":
                    result.ExportPublicKeyPath = Value();
                    break;
                case "--cancel-window":
                    result.Options.CancelWindow = ParseSpan(name, Value());
                    break;
                case "--refund-window":
                    result.Options.RefundWindow = ParseSpan(name, Value());
                    break;
                case "--order-code-lifetime":
                    result.Options.OrderCodeLifetime = ParseSpan(name, Value());
                    break;
                case "--time-header":
                    result.Options.TimeHeaderFormat = Value() switch
                    {
                        "iso8601" => TimeHeaderFormat.Iso8601,
                        "epoch" => TimeHeaderFormat.EpochMilliseconds,
                        var other => throw new ArgumentException($"--time-header: '{other}' is not iso8601 or epoch"),
                    };
                    break;
                case "--max-request-time-skew":
                    result.Options.MaxRequestTimeSkew = ParseSpan(name, Value());
                    break;
                case "--no-control-api":
                    result.Options.EnableControlApi = false;
                    break;
                case "--quiet":
                    result.Options.ConsoleLogging = false;
                    break;
                default:
                    throw new ArgumentException($"unknown option {name}");
            }
        }

        return result;
    }

    private static (string, int, string) ParseClient(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0 || eq == text.Length - 1)
        {
            throw new ArgumentException($"--client '{text}': expected <id>[,<keyVersion>]=<key>");
        }

        string id = text.Substring(0, eq);
        int version = 1;
        int comma = id.IndexOf(',');
        if (comma >= 0)
        {
            version = int.Parse(id.AsSpan(comma + 1), CultureInfo.InvariantCulture);
            id = id.Substring(0, comma);
        }

        string key = text.Substring(eq + 1);
        if (key.StartsWith('@'))
        {
            key = File.ReadAllText(key.Substring(1));
        }

        return (id, version, key);
    }

    private static TimeSpan ParseSpan(string name, string text) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new ArgumentException($"{name}: '{text}' is not a positive d.hh:mm:ss duration");
}
