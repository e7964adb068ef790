namespace Terminal.Tests.Scanner;

/// <summary>Simulated monotonic milliseconds; the in-memory serial pair advances it as time "passes".</summary>
public sealed class FakeClock
{
    public long Now { get; set; } = 1_000;

    public void Advance(long ms) => Now += ms;

    public long Read() => Now;
}
