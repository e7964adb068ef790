using System.Security.Cryptography;
using System.Text;
using Terminal.Core.Ports;
using Terminal.DeviceLink;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Io.Http;
using Terminal.Io.Storage;
using Terminal.Loader.Boot;
using Terminal.Payments.Engine;
using Terminal.Tests.DeviceLink;
using Terminal.Tests.Engine;
using Terminal.Tests.Http;
using Terminal.Tests.Storage;
using Terminal.Tests.Support;
using Terminal.Transactions;
using Terminal.Updates;
using Terminal.Updates.Staging;

namespace Terminal.Tests.Updates;

/// <summary>Which of the terminal's HTTP clients a test runs over: the device's own (Terminal.Io over a TLS socket)
/// or the PC binding (.NET's HttpClient).</summary>
public enum ClientKind
{
    Device,
    Pc,
}

/// <summary>What survives a power cut on a terminal: its storage, the boot record's folder and the version folders.</summary>
internal sealed class UpdateFlash
{
    public MemoryStorage Storage { get; } = new();
    public FaultyFolder Boot { get; } = new();
    public Dictionary<string, FaultyFolder> Versions { get; } = new();

    public FaultyFolder Version(string version)
    {
        if (!Versions.TryGetValue(version, out FaultyFolder? folder))
        {
            Versions[version] = folder = new FaultyFolder();
        }

        return folder;
    }

    public BootSelector Selector => new(new BootSelectorTests.Folder(Boot));

    /// <summary>Power comes back on every folder.</summary>
    public void Reboot()
    {
        Boot.Reboot();
        foreach (FaultyFolder f in Versions.Values) f.Reboot();
    }
}

/// <summary>
/// A terminal's device link with updates, as the firmware composes it, over a real HTTP client to <see cref="OtaWireServer"/>:
/// a transaction desk (started only by tests that need its worker), the fleet link, the updater. <see cref="Beat"/> and
/// <see cref="Turn"/> run the heartbeat and one update turn on the test's thread as the worker would.
/// </summary>
internal sealed class UpdateRig : IDisposable
{
    public const string Installed = "1.0.0";
    public const int RangeBytes = 1024;

    private readonly IDisposable? _client;

    public UpdateRig(OtaWireServer server, ClientKind kind, UpdateFlash flash, IClock? clock = null, IHttpExchange? relay = null, byte[]? key = null,
        ISleeper? sleeper = null)
    {
        key ??= EngineRig.Key;
        Flash = flash;
        Clock = clock ?? new FakeClock();
        Config = new TerminalConfig
        {
            Device = { DeviceId = EngineRig.DeviceId, KeyVersion = 1, Key = key },
            Network = { GatewayUrl = server.BaseUri.ToString().TrimEnd('/'), ResponseBufferBytes = RangeBytes, HttpTimeoutMs = 10000 },
            Engine = { Currency = "USD", KeepTransactions = 8, PollIntervalMs = 10, MaxBackoffMs = 40, CpmBudgetMs = 3000, MpmBudgetMs = 3000, CancelScheduleMs = [10, 10] },
            Updates = { HealthyAfterMinutes = 10, HealthyAfterTransactions = 2 },
        };
        IHttpExchange http;
        if (kind == ClientKind.Pc)
        {
            var exchange = new HttpClientExchange(server.BaseUri, TestCertificates.Ca);
            _client = exchange;
            http = exchange;
        }
        else
        {
            GatewayAddress address = GatewayAddress.Parse(Config.Network.GatewayUrl);
            var connection = new SocketConnection(address, TestCertificates.Ca);
            _client = connection;
            http = new GatewayHttpClient(address, connection, new SystemClock());
        }

        if (relay != null)
        {
            http = new RoutedExchange(relay, http);
        }

        Http = http;
        Log = new LastErrorLog(Lines);
        Ports = new UpdatePorts
        {
            BootFolder = new BootSelectorTests.Folder(flash.Boot),
            Folders = new Folders(flash),
            Flashed = new Flashed(),
            Restart = Restarts,
        };
        Desk = new TransactionDesk(Config.Payments, http, new PortableMac(key), flash.Storage, Clock, sleeper ?? new FakeSleeper((FakeClock)Clock) { Record = false },
            new FakeRandom(), Log, null, new DeskTimings { WorkerIdleWaitMs = 20 });
        Updater = new Updater(Config.Updates, Config.Payments, new PortableMac(key), http, Ports, Installed, Clock, Log);
        Updater.Attach(Desk);
        var sources = new HeartbeatSources
        {
            Clock = Clock, Random = new FakeRandom(7), Log = Log, Parts = new StubParts(), Firmware = Updater.Running, Updates = Updater,
        };
        Link = new FleetLink(Config.DeviceLink, Config.Payments, Config.Sections, TerminalConfig.NewSections, new PortableMac(key), http, flash.Storage, sources);
        Link.Attach(Desk);
        Link.Start();
        Desk.Open();
    }

    public UpdateFlash Flash { get; }
    public IClock Clock { get; }
    public TerminalConfig Config { get; }
    public IHttpExchange Http { get; }
    public ListLog Lines { get; } = new();
    public LastErrorLog Log { get; }
    public UpdatePorts Ports { get; }
    public RestartCounter Restarts { get; } = new();
    public TransactionDesk Desk { get; }
    public Updater Updater { get; }
    public FleetLink Link { get; }

    /// <summary>One heartbeat now.</summary>
    public void Beat() => Link.Heartbeat.Run(Desk.Link);

    /// <summary>One update turn now, if one is due; false when none was.</summary>
    public bool Turn()
    {
        if (!Updater.Task.IsDue()) return false;
        Updater.Task.Run(Desk.Link);
        return true;
    }

    /// <summary>Turns until none is due (staged, refused, or backing off); the number run.</summary>
    public int TurnAll(int max = 10000)
    {
        int turns = 0;
        while (turns < max && Turn()) turns++;
        return turns;
    }

    public void Dispose() => _client?.Dispose();

    internal sealed class RestartCounter : IPlatformRestart
    {
        public int Count;

        public void Restart() => Count++;
    }

    private sealed class Folders(UpdateFlash flash) : IStagingFolders
    {
        public IStorageFolder Folder(string version) => flash.Version(version);
    }

    private sealed class Flashed : IFlashedVersions
    {
        public string? VersionOf(string assembly) => assembly == "mscorlib" ? "1.17.11.0" : assembly == "Terminal.Loader" ? "1.0.0.0" : null;
    }
}

/// <summary>A bundle as the bundler writes it: files and the manifest listing their sizes and SHA-256.</summary>
internal static class TestBundles
{
    public static Dictionary<string, byte[]> Make(string version, params (string Name, int Size)[] files)
    {
        var bundle = files.ToDictionary(f => f.Name, f => Enumerable.Range(0, f.Size).Select(i => (byte)((i * 131) + f.Name.Length + version.Length)).ToArray());
        string manifest = $"{{\"format\":1,\"version\":\"{version}\",\"entry\":\"Terminal.Esp32.Program.Main\","
            + "\"requires\":[{\"assembly\":\"mscorlib\",\"version\":\"1.17.11.0\"},{\"assembly\":\"Terminal.Loader\",\"version\":\"1.0.0.0\"}],\"files\":["
            + string.Join(",", bundle.Select(f => $"{{\"name\":\"{f.Key}\",\"size\":{f.Value.Length},\"sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(f.Value))}\"}}"))
            + "]}";
        bundle["manifest.json"] = Encoding.UTF8.GetBytes(manifest);
        return bundle;
    }

    /// <summary>The bundle most tests take: three files over several ranges each.</summary>
    public static Dictionary<string, byte[]> Standard(string version = "1.4.0") =>
        Make(version, ("Terminal.Core.pe", 3000), ("Terminal.Payments.pe", 1024), ("Terminal.Firmware.pe", 2500));
}
