using Terminal.Drivers.Scanner;
using Terminal.SimulatedDevices.Scanner;

namespace Terminal.Tests.Scanner;

/// <summary>A driver wired to a simulated module over an in-memory serial pair with simulated time.</summary>
internal sealed class ScannerRig
{
    public ScannerRig(ScannerSettings? settings = null, bool moduleAttached = true)
    {
        Pair = new InMemorySerialPair();
        Module = new Gm65Model(Pair.B.Read, Pair.B.Write, Pair.Clock.MonotonicMs);
        if (moduleAttached)
        {
            Pair.B.Written = () => Module.Pump();
        }

        Scanner = new Gm65Scanner(Pair.A, Pair.Clock.MonotonicMs, settings ?? new ScannerSettings());
    }

    public InMemorySerialPair Pair { get; }

    public Gm65Model Module { get; }

    public Gm65Scanner Scanner { get; }

    /// <summary>Polls until something other than None comes out (or the simulated budget runs out).</summary>
    public ScanOutcome PollUntilSomething(int budgetMs = 2000)
    {
        long end = Pair.Clock.Mono + budgetMs;
        while (Pair.Clock.Mono < end)
        {
            var outcome = Scanner.Poll(20);
            if (outcome != ScanOutcome.None)
            {
                return outcome;
            }
        }

        return ScanOutcome.None;
    }
}
