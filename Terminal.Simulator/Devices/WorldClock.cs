using Terminal.Core.Ports;

namespace Terminal.Simulator.Devices;

/// <summary>
/// The terminal's clocks taken from the simulation's one time source (the Antom emulator's movable clock, which
/// the gateway uses too), so that moving time forward ("the customer walked away", an order expiring) moves the
/// terminal's deadlines with it. Monotonic time is the PC's tick count plus every jump made so far.
/// </summary>
public sealed class WorldClock : IClock
{
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _jumped;

    /// <param name="time">Wall time (e.g. the emulator's clock).</param>
    /// <param name="jumped">How far <paramref name="time"/> has been moved forward so far.</param>
    public WorldClock(TimeProvider time, Func<TimeSpan> jumped)
    {
        _time = time;
        _jumped = jumped;
    }

    /// <summary>The PC's own clocks, with no jumps (a remote gateway).</summary>
    public static WorldClock System { get; } = new(TimeProvider.System, () => TimeSpan.Zero);

    public long UtcNowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public long MonotonicMs() => Environment.TickCount64 + (long)_jumped().TotalMilliseconds;
}
