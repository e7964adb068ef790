using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>The PC's clocks: UTC wall time and <see cref="Environment.TickCount64"/>.</summary>
public sealed class SystemClock : IClock
{
    public long UtcNowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public long MonotonicMs() => Environment.TickCount64;
}
