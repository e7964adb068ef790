using Terminal.Core.Ports;
using Terminal.Simulator.Devices;

namespace Terminal.Simulator.Updates;

/// <summary>
/// Watches the terminal's exchanges with the gateway (<see cref="TimedHttp.BeforeSend"/>) and steps into an update's
/// download: it can hold the n-th range in flight until released (a sale arriving meanwhile must wait for that range
/// only), or cut the power as the n-th range leaves. Keeps the order of every exchange's path.
/// </summary>
public sealed class DownloadTap : IDisposable
{
    public const string UpdatesPath = "/terminal/v1/updates/";

    private readonly SimulatedTerminal _terminal;
    private readonly object _gate = new();
    private readonly List<string> _paths = new();
    private readonly ManualResetEventSlim _held = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly ManualResetEventSlim _cut = new();
    private int _downloads;
    private int _holdAt = -1;
    private int _cutAt = -1;

    public DownloadTap(SimulatedTerminal terminal)
    {
        _terminal = terminal;
        terminal.Http.BeforeSend = Seen;
    }

    /// <summary>Each update download waits this long before it leaves (a slow link: heartbeats fall between ranges).</summary>
    public int DelayMs { get; set; }

    /// <summary>Update downloads sent so far (ranges of the manifest and the files).</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>Every exchange's path in the order sent.</summary>
    public string[] Paths()
    {
        lock (_gate)
        {
            return _paths.ToArray();
        }
    }

    /// <summary>Holds the download that would be number <see cref="Downloads"/> + <paramref name="after"/> + 1 until
    /// <see cref="Release"/>.</summary>
    public void HoldAfter(int after)
    {
        _held.Reset();
        _release.Reset();
        Volatile.Write(ref _holdAt, Downloads + after + 1);
    }

    /// <summary>Waits until the held download is in flight.</summary>
    public bool WaitHeld(int timeoutMs) => _held.Wait(timeoutMs);

    public void Release()
    {
        Volatile.Write(ref _holdAt, -1);
        _release.Set();
    }

    /// <summary>Cuts the power as the download number <see cref="Downloads"/> + <paramref name="after"/> + 1 leaves;
    /// <see cref="WaitCut"/> then tells the test it happened (the firmware is then stopped by <see cref="SimulatedTerminal.PowerCut"/>).</summary>
    public void CutAfter(int after)
    {
        _cut.Reset();
        Volatile.Write(ref _cutAt, Downloads + after + 1);
    }

    public bool WaitCut(int timeoutMs) => _cut.Wait(timeoutMs);

    public void Dispose()
    {
        _terminal.Http.BeforeSend = null;
        _release.Set();
    }

    private void Seen(HttpExchange exchange)
    {
        string path = exchange.Path ?? "";
        lock (_gate)
        {
            _paths.Add(path);
        }

        if (!path.StartsWith(UpdatesPath, StringComparison.Ordinal))
        {
            return;
        }

        int n = Interlocked.Increment(ref _downloads);
        if (DelayMs > 0)
        {
            Thread.Sleep(DelayMs);
        }

        if (n == Volatile.Read(ref _cutAt))
        {
            Volatile.Write(ref _cutAt, -1);
            _terminal.Rail.Cut();
            _cut.Set();
        }

        if (n == Volatile.Read(ref _holdAt))
        {
            _held.Set();
            _release.Wait(60000);
        }
    }
}
