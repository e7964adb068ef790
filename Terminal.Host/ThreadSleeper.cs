using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>
/// Sleeps on an <see cref="AutoResetEvent"/> so that <see cref="Wake"/> (the cashier's abort, from another thread)
/// ends the wait at once. A wake with nobody waiting is kept for the next wait.
/// </summary>
public sealed class ThreadSleeper : ISleeper, IDisposable
{
    private readonly AutoResetEvent _wake = new(false);

    public bool Sleep(int milliseconds) => !_wake.WaitOne(Math.Max(0, milliseconds));

    public void Wake() => _wake.Set();

    public void Dispose() => _wake.Dispose();
}
