namespace Terminal.AntomEmulator;

/// <summary>
/// The emulator's business clock: an inner <see cref="TimeProvider"/> (the system clock unless the options give
/// another) plus an offset that only grows. <see cref="Advance"/> moves wall-clock time forward at once, so
/// tests reach expiry, cancel and refund windows without sleeping. Only <see cref="GetUtcNow"/> is shifted:
/// timers, delays and <see cref="TimeProvider.GetTimestamp"/> keep real time (latency faults and notification
/// back-off are real durations). Pass this clock as the <see cref="TimeProvider"/> of code under test to keep it
/// in step with the emulator.
/// </summary>
public sealed class EmulatorClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private long _offsetTicks;

    /// <summary>Creates a clock over <paramref name="inner"/> (default: <see cref="TimeProvider.System"/>).</summary>
    public EmulatorClock(TimeProvider? inner = null)
    {
        _inner = inner ?? System;
    }

    /// <summary>Raised after every <see cref="Advance"/>; the emulator expires due payments at once.</summary>
    public event EventHandler? Advanced;

    /// <summary>Total time added by <see cref="Advance"/>.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward by <paramref name="by"/> (must not be negative).</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), "the emulator clock only moves forward");
        }

        Interlocked.Add(ref _offsetTicks, by.Ticks);
        Advanced?.Invoke(this, EventArgs.Empty);
    }
}
