using Terminal.Core.Ports;

namespace Terminal.Tests.Support;

/// <summary>
/// The tests' one clock: wall and monotonic time that move only when a test (or a fake that "waits": the sleeper,
/// the in-memory serial pair) advances them, both together.
/// </summary>
public sealed class FakeClock : IClock
{
    public long Wall { get; set; } = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    public long Mono { get; set; } = 1_000;

    public long UtcNowMs() => Wall;

    public long MonotonicMs() => Mono;

    public void Advance(long ms)
    {
        Wall += ms;
        Mono += ms;
    }
}
