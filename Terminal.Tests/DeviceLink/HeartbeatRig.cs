using Terminal.Core.Ports;
using Terminal.DeviceLink;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Firmware.Config;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Tests.Engine;
using Terminal.Tests.Support;
using Terminal.Transactions;

namespace Terminal.Tests.DeviceLink;

/// <summary>Parts states a test sets.</summary>
internal sealed class StubParts : IPartsHealth
{
    public string ScannerWord { get; set; } = "ok";
    public string DisplayWord { get; set; } = "ok";

    public string Scanner() => ScannerWord;

    public string Display() => DisplayWord;
}

/// <summary>Fills every byte with one value: each beat gets the same id (canned answers can repeat it).</summary>
internal sealed class ConstantRandom(byte value) : IRandom
{
    public void NextBytes(byte[] buffer, int offset, int count) => Array.Fill(buffer, value, offset, count);
}

/// <summary>
/// A terminal's device link without the main loop: a transaction desk (not started) over <paramref name="http"/>, the
/// fleet link attached to it, and <see cref="Beat"/> to run one heartbeat on the test's thread as the worker would.
/// </summary>
internal sealed class HeartbeatRig
{
    public HeartbeatRig(IHttpExchange http, IRandom? random = null, IDurableStorage? storage = null, Action<TerminalConfig>? configure = null,
        string deviceId = EngineRig.DeviceId, byte[]? key = null)
    {
        key ??= EngineRig.Key;
        Config = new TerminalConfig
        {
            Device = { DeviceId = deviceId, KeyVersion = 1, Key = key },
            Network = { GatewayUrl = "https://gw.example.com" },
            Engine = { Currency = "USD", KeepTransactions = 8 },
        };
        configure?.Invoke(Config);
        Storage = storage ?? new MemoryStorage();
        Log = new LastErrorLog(Lines);
        Desk = new TransactionDesk(Config.Payments, http, new PortableMac(key), Storage, Clock, new FakeSleeper(Clock) { Record = false },
            random ?? new FakeRandom(), Log, null, new DeskTimings());
        var sources = new HeartbeatSources { Clock = Clock, Random = random ?? new FakeRandom(7), Log = Log, Parts = Parts, Firmware = "1.0.0" };
        Link = new FleetLink(Config.DeviceLink, Config.Payments, Config.Sections, TerminalConfig.NewSections, new PortableMac(key), http, Storage, sources);
        Link.Attach(Desk);
        Link.Start();
        Desk.Open();
    }

    public TerminalConfig Config { get; }
    public FakeClock Clock { get; } = new();
    public IDurableStorage Storage { get; }
    public ListLog Lines { get; } = new();
    public LastErrorLog Log { get; }
    public StubParts Parts { get; } = new();
    public TransactionDesk Desk { get; }
    public FleetLink Link { get; }
    public HeartbeatTask Heartbeat => Link.Heartbeat;

    /// <summary>Runs one heartbeat now (whether due or not).</summary>
    public void Beat() => Heartbeat.Run(Desk.Link);
}
