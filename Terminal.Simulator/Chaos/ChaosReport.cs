namespace Terminal.Simulator.Chaos;

/// <summary>One sale's row of the comparison table.</summary>
public sealed record ChaosRow(ChaosSale Sale, string Emulator, long EmulatorRefunded, string Verdict)
{
    public bool Ok => Verdict == "ok" || Verdict == "review";
}

/// <summary>The outcome of a chaos run.</summary>
public sealed record ChaosReport(
    ChaosOptions Options,
    TimeSpan Duration,
    IReadOnlyList<ChaosRow> Rows,
    IReadOnlyList<string> Problems,
    IReadOnlyDictionary<string, int> FaultsApplied,
    int Refunds,
    int Voids)
{
    public int Mismatches => Rows.Count(r => r.Verdict.StartsWith("MISMATCH", StringComparison.Ordinal));

    public int Unfinished => Rows.Count(r => r.Verdict == "UNFINISHED");

    /// <summary>Charges the terminal does not account for: a second payment for a sale, or one nobody knows.</summary>
    public int UnaccountedCharges { get; init; }

    /// <summary>Requests the gateway signed for Antom (every attempt), the population the faults were drawn from.</summary>
    public long UpstreamRequests { get; init; }

    /// <summary>The terminal's exchanges with the gateway lost before they left, and those whose answer was lost.</summary>
    public int NetworkDropsBefore { get; init; }

    public int NetworkDropsAfter { get; init; }

    /// <summary>Cut firmware instances whose threads still called a port after the next boot (refused: each boot has its own supply).</summary>
    public int OutlivedCuts { get; init; }

    public int NeedsReview => Rows.Count(r => r.Sale.Terminal == "NEEDS_REVIEW");

    /// <summary>Heartbeats, settings changes and resolutions of the run (<see cref="FleetChaos"/>).</summary>
    public ChaosFleet? Fleet { get; init; }

    public double SalesPerSecond => Rows.Count / Math.Max(0.001, Duration.TotalSeconds);

    public bool Passed => Rows.Count > 0 && Problems.Count == 0 && Mismatches == 0 && Unfinished == 0 && UnaccountedCharges == 0;
}
