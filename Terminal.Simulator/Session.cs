using System.Security.Cryptography.X509Certificates;
using Terminal.AntomEmulator;
using Terminal.Core.Ports;
using Terminal.Drivers.Ports;
using Terminal.Firmware.App;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Hardware;

namespace Terminal.Simulator;

/// <summary>Everything a run of the simulator is set up with (from the command line, or by the demo and chaos runs).</summary>
public sealed record SessionOptions
{
    /// <summary>Data folder: keys, databases, terminal.json, the terminal's journal and log.</summary>
    public string DataFolder { get; init; } = "data";

    /// <summary>Keep the emulator's and gateway's state in SQLite files in the data folder.</summary>
    public bool Persistent { get; init; } = true;

    public string DeviceId { get; init; } = "SIM0001";

    public string DisplayName { get; init; } = "Simulator";

    /// <summary>The display controller fitted, overriding terminal.json's; null: keep it.</summary>
    public string? Display { get; init; }

    /// <summary>Timings written to terminal.json.</summary>
    public TerminalTimings Timings { get; init; } = TerminalTimings.Interactive;

    public TerminalAppSettings AppSettings { get; init; } = new();

    public TimeSpan OrderCodeLifetime { get; init; } = TimeSpan.FromMinutes(2);

    public int Seed { get; init; } = 1;

    public int UpstreamAttemptTimeoutMs { get; init; } = 5000;

    public int UpstreamTotalTimeoutMs { get; init; } = 8000;

    /// <summary>A real scanner's serial port (e.g. /dev/ttyUSB0); null = the virtual GM65.</summary>
    public string? ScannerPort { get; init; }

    public int ScannerBaud { get; init; } = 9600;

    /// <summary>A real register's serial port; null = commands typed at the prompt.</summary>
    public string? HostLinkPort { get; init; }

    public int HostLinkBaud { get; init; } = 115200;

    /// <summary>A file of codes for the virtual scanner: the next line each time the terminal waits for a code.</summary>
    public string? CodeFile { get; init; }

    /// <summary>Firmware log lines also on the console (always in data/terminal.log).</summary>
    public bool LogToConsole { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Info;

    /// <summary>The embedded gateway's and emulator's logs on the console.</summary>
    public bool BackendLog { get; init; }

    /// <summary>"pulse" or "mdb": the terminal is built into a simulated coin-op or MDB vending machine; null = a register's terminal.</summary>
    public string? Vending { get; init; }

    /// <summary>Where the simulated machine's events go; the firmware log when null.</summary>
    public Action<string>? MachineEvents { get; init; }

    /// <summary>Share of the terminal's exchanges with the gateway lost on the network (<see cref="DroppingNetwork"/>); 0: none.</summary>
    public double NetworkDropRate { get; init; }

    // ---- a remote gateway instead of the embedded one ----

    public string? GatewayUrl { get; init; }

    /// <summary>File with the device's key (standard base64 of 32 bytes, as the gateway's admin API returns it).</summary>
    public string? KeyFile { get; init; }

    public int KeyVersion { get; init; } = 1;

    /// <summary>PEM of the remote gateway's CA; null = the system trust store.</summary>
    public string? CaFile { get; init; }

    public bool Remote => GatewayUrl != null;
}

/// <summary>
/// One run of the simulator: the payment world (embedded emulator and gateway, or a remote gateway), the
/// provisioned device and its bindings, booted. Interactive mode, the demo and chaos runs all start here.
/// </summary>
public sealed class Session : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = new();

    private Session(SessionOptions options, EmbeddedBackend? backend, SimulatedTerminal terminal, string configPath)
    {
        Options = options;
        Backend = backend;
        Terminal = terminal;
        ConfigPath = configPath;
    }

    public SessionOptions Options { get; }

    /// <summary>The embedded emulator and gateway; null with a remote gateway.</summary>
    public EmbeddedBackend? Backend { get; }

    public SimulatedTerminal Terminal { get; }

    public string ConfigPath { get; }

    /// <summary>The lossy network between terminal and gateway; null when <see cref="SessionOptions.NetworkDropRate"/> is 0.</summary>
    public DroppingNetwork? Network { get; private init; }

    /// <summary>Lets a test hold back the terminal's payment inquiries (a race made certain).</summary>
    public WithheldInquiries WithheldInquiries { get; private init; } = null!;

    /// <summary>Lines on a real host-link port (both directions); nothing with the simulator's own register.</summary>
    public HostLinkTap Tap { get; private init; } = new();

    /// <summary>The simulated customer's wallet; null with a remote gateway (pay with a real wallet app then).</summary>
    public EmulatorWallet? Wallet => Backend?.Emulator.Wallet;

    public static async Task<Session> StartAsync(SessionOptions options)
    {
        string data = Path.GetFullPath(options.DataFolder);
        Directory.CreateDirectory(data);
        EmbeddedBackend? backend = null;
        var owned = new List<IDisposable>();
        try
        {
            TerminalConfig config;
            string configPath;
            IHttpExchange http;
            IClock clock;
            if (options.Remote)
            {
                configPath = "(command line)";
                config = RemoteConfig(options);
                X509Certificate2? ca = options.CaFile == null ? null : HttpClientExchange.LoadCertificate(options.CaFile);
                var exchange = new HttpClientExchange(new Uri(options.GatewayUrl!), ca);
                owned.Add(exchange);
                http = exchange;
                clock = WorldClock.System;
            }
            else
            {
                backend = await EmbeddedBackend.StartAsync(new BackendSettings
                {
                    DataFolder = data,
                    Persistent = options.Persistent,
                    OrderCodeLifetime = options.OrderCodeLifetime,
                    Seed = options.Seed,
                    UpstreamAttemptTimeoutMs = options.UpstreamAttemptTimeoutMs,
                    UpstreamTotalTimeoutMs = options.UpstreamTotalTimeoutMs,
                    BackendLog = options.BackendLog,
                });
                configPath = await backend.ProvisionAsync(options.DeviceId, options.DisplayName, options.Timings);
                config = DeviceConfigFile.Read(configPath);
                var exchange = backend.CreateHttp();
                owned.Add(exchange);
                http = exchange;
                clock = backend.Clock;
            }

            DroppingNetwork? network = null;
            if (options.NetworkDropRate > 0)
            {
                network = new DroppingNetwork(http, options.NetworkDropRate, options.Seed);
                http = network;
            }

            var withheld = new WithheldInquiries(http);
            http = withheld;

            if (options.Vending != null)
            {
                SimulatedMachine.Configure(config, options.Vending);
            }

            if (options.Display != null)
            {
                config.Display.Controller = options.Display;
            }

            var logWriter = TextWriter.Synchronized(new StreamWriter(Path.Combine(data, "terminal.log"), append: true) { AutoFlush = true });
            owned.Add(logWriter);
            ILog log = new TextLog(logWriter, options.LogLevel);
            if (options.LogToConsole)
            {
                log = new TeeLog(log, new TextLog(Console.Out, options.LogLevel));
            }

            ISerialPort? scanner = options.ScannerPort == null ? null : Own(owned, new SystemSerialPort(options.ScannerPort, options.ScannerBaud));
            ISerialPort? hostLink = null;
            var tap = new HostLinkTap();
            if (options.HostLinkPort != null)
            {
                hostLink = new TappedSerialPort(Own(owned, new SystemSerialPort(options.HostLinkPort, options.HostLinkBaud)), tap.Report);
            }

            var terminal = new SimulatedTerminal(new TerminalWiring
            {
                Config = config,
                StorageFolder = Path.Combine(data, "terminal-flash"),
                UpdatesFolder = Path.Combine(data, "terminal-ota"),
                Http = http,
                Clock = clock,
                Log = log,
                ScannerPort = scanner,
                HostLinkPort = hostLink,
                Settings = options.AppSettings,
                MachineEvents = options.MachineEvents,
            });
            var session = new Session(options, backend, terminal, configPath) { Tap = tap, Network = network, WithheldInquiries = withheld };
            session._owned.AddRange(owned);
            return session;
        }
        catch
        {
            foreach (IDisposable d in owned)
            {
                d.Dispose();
            }

            if (backend != null)
            {
                await backend.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Moves the whole world's clock forward (orders expire, the terminal's deadlines pass).</summary>
    public void AdvanceTime(TimeSpan by)
    {
        if (Backend == null)
        {
            throw new InvalidOperationException("time can only be moved with the embedded Antom emulator");
        }

        Backend.Emulator.Clock.Advance(by);
    }

    /// <summary>The order code the emulator is waiting on for this terminal (the newest unpaid one), or null.</summary>
    public PaymentRecord? OpenOrder()
    {
        return Backend?.Emulator.Records.Payments()
            .LastOrDefault(p => p.Scenario == PaymentScenario.OrderCode && p.Status == PaymentStatus.Processing && p.CodeValue != null);
    }

    /// <summary>The newest payment-code payment waiting for the customer's confirmation, or null.</summary>
    public PaymentRecord? WaitingPaymentCode()
    {
        return Backend?.Emulator.Records.Payments()
            .LastOrDefault(p => p.Scenario == PaymentScenario.PaymentCode && p.Status == PaymentStatus.Processing && p.PaymentMethodId != null);
    }

    public async ValueTask DisposeAsync()
    {
        Terminal.Dispose();
        foreach (IDisposable d in _owned)
        {
            d.Dispose();
        }

        if (Backend != null)
        {
            await Backend.DisposeAsync();
        }
    }

    private static T Own<T>(List<IDisposable> owned, T item)
        where T : IDisposable
    {
        owned.Add(item);
        return item;
    }

    private static TerminalConfig RemoteConfig(SessionOptions options)
    {
        if (options.KeyFile == null)
        {
            throw new ArgumentException("--gateway-url needs --key-file (the device key the gateway issued) and --device-id");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(File.ReadAllText(options.KeyFile).Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{options.KeyFile}: not a base64 key (expected the \"key\" value the gateway returned at registration)");
        }

        if (key.Length != 32)
        {
            throw new ArgumentException($"{options.KeyFile}: the key must be 32 bytes, found {key.Length}");
        }

        var config = new TerminalConfig
        {
            Device = { DeviceId = options.DeviceId, KeyVersion = options.KeyVersion, Key = key },
            Network = { GatewayUrl = options.GatewayUrl },
            Engine = { Currency = "USD" },
            Display = { DisplayName = options.DisplayName },
        };
        options.Timings.Apply(config);
        return config;
    }
}

/// <summary>Writes every line to two logs.</summary>
internal sealed class TeeLog(ILog first, ILog second) : ILog
{
    public void Write(LogLevel level, string message)
    {
        first.Write(level, message);
        second.Write(level, message);
    }
}

/// <summary>Where the lines of a real host-link port are reported (set by whoever shows them).</summary>
public sealed class HostLinkTap
{
    /// <summary>Called with each line and true when the firmware sent it.</summary>
    public Action<string, bool>? Line { get; set; }

    internal void Report(string line, bool fromFirmware) => Line?.Invoke(line, fromFirmware);
}
