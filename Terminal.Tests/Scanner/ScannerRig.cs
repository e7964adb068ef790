using Terminal.Drivers.Scanner;

namespace Terminal.Tests.Scanner;

/// <summary>A driver wired to a simulated module over an in-memory serial pair with simulated time.</summary>
internal sealed class ScannerRig
{
    public ScannerRig(ScannerSettings? settings = null, bool moduleAttached = true)
    {
        Pair = new InMemorySerialPair();
        Module = new SimulatedGm65(Pair.B);
        if (moduleAttached)
        {
            Pair.B.Written = () => Module.Pump();
        }

        Scanner = new Gm65Scanner(Pair.A, Pair.Clock.MonotonicMs, settings ?? new ScannerSettings());
    }

    public InMemorySerialPair Pair { get; }

    public SimulatedGm65 Module { get; }

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
