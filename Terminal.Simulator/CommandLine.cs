using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using Terminal.Core.Ports;
using Terminal.Simulator.Chaos;
using Terminal.Simulator.Rendering;

namespace Terminal.Simulator;

/// <summary>
/// The simulator's command line, parsed with System.CommandLine (<c>--help</c> on every command; tab completion through
/// the <c>[suggest]</c> directive, docs/simulator.md). A bad value is a usage error naming the option: exit 2 with the errors
/// and the command's help on stderr. What was asked for reaches <see cref="Program"/> as one of these.
/// </summary>
internal sealed class CommandLine
{
    public string Command { get; private init; } = "interactive";

    public int ChaosSales { get; private init; }

    public int FigureVends { get; private init; }

    public string? DataFolder { get; private init; }

    public string DeviceId { get; private init; } = "SIM0001";

    public string? GatewayUrl { get; private init; }

    public string? KeyFile { get; private init; }

    public int KeyVersion { get; private init; } = 1;

    public string? CaFile { get; private init; }

    public string? ScannerPort { get; private init; }

    public int ScannerBaud { get; private init; } = 9600;

    public string? HostLinkPort { get; private init; }

    public string? CodeFile { get; private init; }

    public int HostLinkBaud { get; private init; } = 115200;

    public PictureStyle? Style { get; private init; }

    /// <summary>The display fitted (--display); null: what terminal.json says.</summary>
    public string? Display { get; private init; }

    public bool Log { get; private init; }

    public bool BackendLog { get; private init; }

    public double FaultRate { get; private init; } = 0.2;

    public double NetworkDropRate { get; private init; } = 0.05;

    public int Seed { get; private init; } = 1;

    public bool Table { get; private init; }

    public string? Vending { get; private init; }

    /// <summary>The chaos run's scenarios (--only); null: the usual mix.</summary>
    public IReadOnlyList<ChaosScenario>? OnlyScenarios { get; private init; }

    /// <summary>Parses <paramref name="args"/> and runs <paramref name="run"/> with what they ask; returns the exit code (2: usage).</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<CommandLine, Task<int>> run)
    {
        RootCommand root = Create(run);
        ParseResult result = root.Parse(args);
        bool usageError = result.Action is ParseErrorAction;
        int code = await result.InvokeAsync(new InvocationConfiguration
        {
            Output = usageError ? stderr : stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // the interactive terminal and the runs stop on their own terms
        });
        return usageError ? 2 : code;
    }

    private static RootCommand Create(Func<CommandLine, Task<int>> run)
    {
        var session = new SessionSymbols();
        var oled = session.Oled;
        var root = new RootCommand(
            "Terminal simulator: the real terminal firmware on this PC, with a virtual OLED, scanner and register, against an embedded " +
            "Antom emulator and merchant gateway. Without a command: the interactive terminal (type help at its prompt); docs/simulator.md.");
        session.AddTo(root);
        root.SetAction(r => run(session.Read(r, "interactive")));

        var interactive = new Command("interactive", "The interactive terminal (the same as no command)");
        session.AddTo(interactive);
        interactive.SetAction(r => run(session.Read(r, "interactive")));
        root.Add(interactive);

        var demo = new Command("demo", "A scripted tour of every flow, headless, about half a minute") { oled };
        demo.SetAction(r => run(new CommandLine { Command = "demo", Style = r.GetValue(oled) }));
        root.Add(demo);

        root.Add(Chaos(run));

        var otaChaos = new Command("ota-chaos",
            "An update rollout under faults: power cuts mid-download, mid-write and at the switch, a pause, an abort, a bad " +
            "version rolled back; sales throughout, checked (about a minute)");
        otaChaos.SetAction(_ => run(new CommandLine { Command = "ota-chaos" }));
        root.Add(otaChaos);

        var selftest = new Command("selftest", "The firmware self-test; exit code 1 on any failure");
        selftest.SetAction(_ => run(new CommandLine { Command = "selftest" }));
        root.Add(selftest);

        var vends = new Argument<int?>("vends")
        {
            Description = "how many MDB vends (default 50)",
            Arity = ArgumentArity.ZeroOrOne,
            CustomParser = result => Whole(result, "vends", 1, 10_000),
        };
        var figures = new Command("vending-figures", "MDB vends: answer time, the terminal's share, bridge bytes") { vends };
        figures.SetAction(r => run(new CommandLine { Command = "vending-figures", FigureVends = r.GetValue(vends) ?? 50 }));
        root.Add(figures);

        var help = new Command("help", "This text (as --help)");
        help.SetAction((r, ct) => root.Parse("--help").InvokeAsync(r.InvocationConfiguration, ct));
        root.Add(help);
        return root;
    }

    private static Command Chaos(Func<CommandLine, Task<int>> run)
    {
        var sales = new Argument<int>("sales")
        {
            Description = "how many sales (or vends with --vending), 1 to 1000000",
            CustomParser = result => Whole(result, "sales", 1, 1_000_000) ?? 0,
        };
        var faults = Rate("--faults", "share of Antom requests that get a fault (default 0.2)", 0.9, "0.2");
        var drops = Rate("--drops", "share of the terminal's exchanges with the gateway lost on the network (default 0.05)", 0.5, "0.05");
        var seed = Number("--seed", "random seed (default 1)", 0, int.MaxValue);
        var table = new Option<bool>("--table") { Description = "print every sale's line, not only the summary and mismatches" };
        var vending = VendingOption("pulse: N coin-op vends with faults and power cuts, checked for double credits; mdb: N MDB vends with faults, " +
            "jams, impatient machines and power cuts, checked for double approvals and refunds");
        var only = new Option<IReadOnlyList<ChaosScenario>?>("--only")
        {
            Description = "run only these scenarios, in equal shares (comma-separated, e.g. PowerCutMpm,PowerCutCpm,KeypadPowerCut)",
            HelpName = "scenarios",
            CustomParser = Scenarios,
        };
        var chaos = new Command("chaos", "Sales through injected faults, checked against the emulator's records") { sales, faults, drops, seed, table, vending, only };
        chaos.SetAction(r => run(new CommandLine
        {
            Command = "chaos",
            ChaosSales = r.GetValue(sales),
            FaultRate = r.GetValue(faults) ?? 0.2,
            NetworkDropRate = r.GetValue(drops) ?? 0.05,
            Seed = r.GetValue(seed) ?? 1,
            Table = r.GetValue(table),
            Vending = r.GetValue(vending),
            OnlyScenarios = r.GetValue(only),
        }));
        return chaos;
    }

    private static IReadOnlyList<ChaosScenario>? Scenarios(ArgumentResult result)
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
        var scenarios = new List<ChaosScenario>();
        foreach (string name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse(name, ignoreCase: true, out ChaosScenario scenario) || !Enum.IsDefined(scenario) || scenario == ChaosScenario.MpmReviewPaidLater)
            {
                result.AddError($"--only takes scenario names of the chaos mix ({string.Join(", ", Enum.GetNames<ChaosScenario>().Where(n => n != nameof(ChaosScenario.MpmReviewPaidLater)))}); got \"{name}\"");
                return null;
            }

            scenarios.Add(scenario);
        }

        if (scenarios.Count == 0)
        {
            result.AddError("--only needs at least one scenario name");
            return null;
        }

        return scenarios;
    }

    /// <summary>The options of the interactive terminal, on the root command and on <c>interactive</c>.</summary>
    private sealed class SessionSymbols
    {
        private readonly Option<string> _data = new("--data") { Description = "data folder (default: data)", HelpName = "dir" };
        private readonly Option<string> _deviceId = new("--device-id") { Description = "device id (default SIM0001)", HelpName = "id" };
        private readonly Option<string> _gatewayUrl = new("--gateway-url") { Description = "use this gateway instead of the embedded one (with --key-file)", HelpName = "url" };
        private readonly Option<string> _keyFile = new("--key-file") { Description = "the device key the gateway issued (base64), for --gateway-url", HelpName = "file" };
        private readonly Option<int?> _keyVersion = Number("--key-version", "its version (default 1)", 1, 1_000_000);
        private readonly Option<string> _caFile = new("--ca-file") { Description = "the remote gateway's CA certificate (default: system trust store)", HelpName = "pem" };
        private readonly Option<string> _scannerPort = new("--scanner-port") { Description = "a real GM65 scanner on a serial port (e.g. /dev/ttyUSB0, COM5)", HelpName = "port" };
        private readonly Option<int?> _scannerBaud = Number("--scanner-baud", "the scanner's baud rate (default 9600)", 1200, 921600);
        private readonly Option<string> _hostLinkPort = new("--hostlink-port") { Description = "a real register on a serial port (115200 baud; --hostlink-baud to change)", HelpName = "port" };
        private readonly Option<int?> _hostLinkBaud = Number("--hostlink-baud", "the register's baud rate (default 115200)", 1200, 921600);
        private readonly Option<string> _codes = new("--codes") { Description = "scanner input from a file: the next line each time the terminal waits for a code", HelpName = "file" };
        private readonly Option<string> _display = OneOf("--display", "ssd1306 or sh1106 (128x64 OLED), st7789 (240x320) or ili9341 (320x240 colour TFT); default: terminal.json's (ssd1306)",
            "ssd1306", "sh1106", "st7789", "ili9341");
        private readonly Option<bool> _log = new("--log") { Description = "firmware log on the console too (always in <data>/terminal.log)" };
        private readonly Option<bool> _backendLog = new("--backend-log") { Description = "the embedded gateway's and Antom emulator's logs on the console" };
        private readonly Option<string> _vending = VendingOption("the terminal inside a simulated coin-op machine (credit pulses) or an MDB vending machine (its controller and the bridge); docs/vending.md");

        public Option<PictureStyle?> Oled { get; } = new("--oled")
        {
            Description = "OLED drawing: 128 columns (half blocks) or 64 (quadrants); default: by width",
            HelpName = "full|compact",
            CustomParser = result =>
            {
                string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
                if (text == "full") return PictureStyle.Full;
                if (text == "compact") return PictureStyle.Compact;
                result.AddError($"--oled is full or compact, got \"{text}\"");
                return null;
            },
        };

        public SessionSymbols()
        {
            _codes.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string>() is { } path && !File.Exists(path)) result.AddError($"--codes: no file \"{path}\"");
            });
            _deviceId.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string>() is { } id && !(id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit)))
                    result.AddError($"--device-id is 1 to 32 letters and digits, got \"{id}\"");
            });
            _gatewayUrl.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<string>() is { } url
                    && !(Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
                    result.AddError($"--gateway-url must be an https:// URL, got \"{url}\"");
            });
            Oled.CompletionSources.Add("full", "compact");
        }

        public void AddTo(Command command)
        {
            foreach (Option option in new Option[] { _data, _deviceId, _gatewayUrl, _keyFile, _keyVersion, _caFile, _scannerPort, _scannerBaud, _hostLinkPort,
                         _hostLinkBaud, _codes, Oled, _display, _log, _backendLog, _vending })
                command.Add(option);
            command.Validators.Add(result =>
            {
                bool url = result.GetResult(_gatewayUrl) != null, key = result.GetResult(_keyFile) != null;
                if (url && !key) result.AddError("--gateway-url needs --key-file with the device key the gateway issued");
                if (key && !url) result.AddError("--key-file goes with --gateway-url");
            });
        }

        public CommandLine Read(ParseResult r, string command) => new()
        {
            Command = command,
            DataFolder = r.GetValue(_data),
            DeviceId = r.GetValue(_deviceId) ?? "SIM0001",
            GatewayUrl = r.GetValue(_gatewayUrl)?.TrimEnd('/'),
            KeyFile = r.GetValue(_keyFile),
            KeyVersion = r.GetValue(_keyVersion) ?? 1,
            CaFile = r.GetValue(_caFile),
            ScannerPort = r.GetValue(_scannerPort),
            ScannerBaud = r.GetValue(_scannerBaud) ?? 9600,
            HostLinkPort = r.GetValue(_hostLinkPort),
            HostLinkBaud = r.GetValue(_hostLinkBaud) ?? 115200,
            CodeFile = r.GetValue(_codes),
            Style = r.GetValue(Oled),
            Display = r.GetValue(_display),
            Log = r.GetValue(_log),
            BackendLog = r.GetValue(_backendLog),
            Vending = r.GetValue(_vending),
        };
    }

    public SessionOptions SessionOptions() => new()
    {
        DataFolder = DataFolder ?? "data",
        DeviceId = DeviceId,
        GatewayUrl = GatewayUrl,
        KeyFile = KeyFile,
        KeyVersion = KeyVersion,
        CaFile = CaFile,
        ScannerPort = ScannerPort,
        ScannerBaud = ScannerBaud,
        HostLinkPort = HostLinkPort,
        HostLinkBaud = HostLinkBaud,
        CodeFile = CodeFile,
        Display = Display,
        LogToConsole = Log,
        LogLevel = Log ? LogLevel.Debug : LogLevel.Info,
        BackendLog = BackendLog,
        Vending = Vending,
    };

    public ChaosOptions ChaosOptions(string tempFolder) => new()
    {
        Sales = ChaosSales,
        FaultRate = FaultRate,
        NetworkDropRate = NetworkDropRate,
        Seed = Seed,
        DataFolder = tempFolder,
        PrintTable = Table,
        Scenarios = OnlyScenarios,
    };

    private static Option<string> VendingOption(string description) => OneOf("--vending", description, "pulse", "mdb");

    private static Option<string> OneOf(string name, string description, params string[] values)
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join('|', values) };
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !values.Contains(value, StringComparer.Ordinal))
                result.AddError($"{name} is {string.Join(", ", values.SkipLast(1))} or {values[^1]}, got \"{value}\"");
        });
        return option;
    }

    private static Option<int?> Number(string name, string description, int min, int max) => new(name)
    {
        Description = description,
        HelpName = "n",
        CustomParser = result => Whole(result, name, min, max),
    };

    private static int? Whole(ArgumentResult result, string name, int min, int max)
    {
        if (result.Tokens.Count == 0) return null;
        string text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max) return v;
        result.AddError($"{name} must be a whole number from {min} to {max}, got \"{text}\"");
        return null;
    }

    private static Option<double?> Rate(string name, string description, double max, string example) => new(name)
    {
        Description = description,
        HelpName = "rate",
        CustomParser = result =>
        {
            string text = result.Tokens.Count == 0 ? "" : result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) && v >= 0 && v <= max) return v;
            result.AddError($"{name} is a share from 0 to {max.ToString(CultureInfo.InvariantCulture)}, e.g. {example}; got \"{text}\"");
            return null;
        },
    };
}
