namespace Terminal.Simulator.Chaos;

/// <summary>What the customer, the cashier or the power does during one chaos sale.</summary>
public enum ChaosScenario
{
    MpmPay,
    MpmDecline,
    MpmWalkAway,
    MpmAbort,
    MpmPayWhileAborting,
    CpmPay,
    CpmDecline,
    CpmSlowConfirm,
    CpmSlowDecline,
    CpmAbortBeforeScan,
    PowerCutMpm,
    PowerCutCpm,

    /// <summary>The customer pays the order code; once the gateway holds Antom's notification, the cashier aborts.</summary>
    MpmCancelAfterNotification,

    /// <summary>The customer pays the order code; once the gateway holds the notification, the paid sale is voided.</summary>
    MpmVoidAfterNotification,
}

/// <summary>The mix of scenarios (weights in percent).</summary>
public static class ChaosScenarios
{
    private static readonly (ChaosScenario Scenario, int Weight)[] Mix =
    [
        (ChaosScenario.MpmPay, 26),
        (ChaosScenario.MpmDecline, 5),
        (ChaosScenario.MpmWalkAway, 5),
        (ChaosScenario.MpmAbort, 5),
        (ChaosScenario.MpmPayWhileAborting, 3),
        (ChaosScenario.CpmPay, 24),
        (ChaosScenario.CpmDecline, 5),
        (ChaosScenario.CpmSlowConfirm, 6),
        (ChaosScenario.CpmSlowDecline, 3),
        (ChaosScenario.CpmAbortBeforeScan, 3),
        (ChaosScenario.PowerCutMpm, 8),
        (ChaosScenario.PowerCutCpm, 7),
        (ChaosScenario.MpmCancelAfterNotification, 4),
        (ChaosScenario.MpmVoidAfterNotification, 4),
    ];

    /// <summary>Draws a scenario from the mix, or from <paramref name="only"/> (equal weights) when it is given.</summary>
    public static ChaosScenario Pick(Random random, IReadOnlyList<ChaosScenario>? only = null)
    {
        if (only is { Count: > 0 })
        {
            return only[random.Next(only.Count)];
        }

        int total = Mix.Sum(m => m.Weight);
        int draw = random.Next(total);
        foreach (var (scenario, weight) in Mix)
        {
            if (draw < weight)
            {
                return scenario;
            }

            draw -= weight;
        }

        return ChaosScenario.MpmPay;
    }

    public static bool IsMpm(this ChaosScenario s) =>
        s is ChaosScenario.MpmPay or ChaosScenario.MpmDecline or ChaosScenario.MpmWalkAway or ChaosScenario.MpmAbort
            or ChaosScenario.MpmPayWhileAborting or ChaosScenario.PowerCutMpm or ChaosScenario.MpmCancelAfterNotification
            or ChaosScenario.MpmVoidAfterNotification;
}

/// <summary>One chaos sale as the register saw it.</summary>
public sealed class ChaosSale(int number, string reference, ChaosScenario scenario, long amountMinor)
{
    public int Number { get; } = number;
    public string Reference { get; } = reference;
    public ChaosScenario Scenario { get; } = scenario;
    public long AmountMinor { get; } = amountMinor;

    /// <summary>The RESULT status (SUCCESS, FAIL, CANCELLED, NEEDS_REVIEW), UNFINISHED, or REFUSED and the ERR code.</summary>
    public string Terminal { get; set; } = "UNFINISHED";

    public string? ReasonCode { get; set; }

    /// <summary>The paymentRequestId the firmware used (from its result), to find the emulator's record.</summary>
    public string? RequestId { get; set; }

    public bool PowerCut { get; set; }

    public string? Note { get; set; }

    /// <summary>From SALE to its RESULT (refunds and voids not included).</summary>
    public TimeSpan Duration { get; set; }

    public List<ChaosFollowUp> Refunds { get; } = new();

    public ChaosFollowUp? Void { get; set; }
}

/// <summary>A refund or void after a chaos sale.</summary>
public sealed class ChaosFollowUp(string kind, long amountMinor)
{
    public string Kind { get; } = kind;
    public long AmountMinor { get; } = amountMinor;
    public string Terminal { get; set; } = "UNFINISHED";
    public string? ReasonCode { get; set; }

    /// <summary>refundRequestId for refunds; the sale's paymentRequestId for voids.</summary>
    public string? RequestId { get; set; }
}
