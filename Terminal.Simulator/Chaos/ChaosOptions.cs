namespace Terminal.Simulator.Chaos;

/// <summary>Settings of a chaos run.</summary>
public sealed record ChaosOptions
{
    /// <summary>How many sales.</summary>
    public int Sales { get; init; } = 100;

    /// <summary>Share of Antom requests (gateway to emulator) that get a fault, 0 to 0.9.</summary>
    public double FaultRate { get; init; } = 0.2;

    /// <summary>Share of the terminal's exchanges with the gateway lost on the network, 0 to 0.5 (half before sending, half after the answer).</summary>
    public double NetworkDropRate { get; init; } = 0.05;

    /// <summary>Share of paid keypad sales the merchant then refunds from the menu (in part or whole), 0 to 1.</summary>
    public double MenuRefundRate { get; init; } = 0.35;

    /// <summary>Cut the power in every third menu refund once Antom has it (or once its result is out).</summary>
    public bool MenuRefundPowerCuts { get; init; } = true;

    /// <summary>With the usual mix (no <see cref="Scenarios"/>): force one sale to NEEDS_REVIEW and have the gateway resolve it (<see cref="ChaosScenario.MpmReviewPaidLater"/>).</summary>
    public bool ForcedReview { get; init; } = true;

    public int Seed { get; init; } = 1;

    /// <summary>A fresh folder for the run's databases and the terminal's journal (deleted afterwards).</summary>
    public required string DataFolder { get; init; }

    /// <summary>Print every sale's line, not only the summary and the mismatches.</summary>
    public bool PrintTable { get; init; }

    /// <summary>Run only these scenarios (equal shares) instead of the usual mix.</summary>
    public IReadOnlyList<ChaosScenario>? Scenarios { get; init; }
}
