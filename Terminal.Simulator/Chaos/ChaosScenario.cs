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

    /// <summary>The cashier types the amount and OK on the keypad; the customer pays the QR (the scanner waits too).</summary>
    KeypadPayQr,

    /// <summary>A keypad sale the customer pays by showing a payment code while the QR is on the screen.</summary>
    KeypadPayCode,

    /// <summary>A keypad sale the customer pays both ways within the same moment: exactly one charge.</summary>
    KeypadBothWays,

    /// <summary>A keypad sale the cashier cancels with the keypad's cancel key while the QR shows.</summary>
    KeypadCancel,

    /// <summary>A keypad sale cut by the power while the QR shows (the customer may pay while the terminal is off).</summary>
    KeypadPowerCut,

    /// <summary>
    /// Not in the mix: one sale of a run (<see cref="ChaosOptions.ForcedReview"/>). The cashier aborts while every cancel
    /// gets no answer, so the terminal ends it NEEDS_REVIEW; then the customer pays the order. The gateway's job must
    /// cancel the paid order and the terminal learn it from the heartbeat (<see cref="FleetChaos"/>).
    /// </summary>
    MpmReviewPaidLater,
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
        (ChaosScenario.KeypadPayQr, 6),
        (ChaosScenario.KeypadPayCode, 5),
        (ChaosScenario.KeypadBothWays, 4),
        (ChaosScenario.KeypadCancel, 3),
        (ChaosScenario.KeypadPowerCut, 3),
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
            or ChaosScenario.MpmVoidAfterNotification or ChaosScenario.MpmReviewPaidLater;

    /// <summary>Started at the keypad (amount, OK): the customer pays either way and the terminal names the sale.</summary>
    public static bool IsKeypad(this ChaosScenario s) =>
        s is ChaosScenario.KeypadPayQr or ChaosScenario.KeypadPayCode or ChaosScenario.KeypadBothWays or ChaosScenario.KeypadCancel
            or ChaosScenario.KeypadPowerCut;
}

/// <summary>One chaos sale as the register saw it.</summary>
public sealed class ChaosSale(int number, string reference, ChaosScenario scenario, long amountMinor)
{
    public int Number { get; } = number;
    /// <summary>The register's reference; for a keypad sale the one the terminal gave it (KP-n), from its QR or its result.</summary>
    public string Reference { get; set; } = reference;
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

    /// <summary>After NEEDS_REVIEW: the final status the gateway resolved it to (the terminal's RESOLVED line), and its code.</summary>
    public string? Resolution { get; set; }

    public string? ResolutionCode { get; set; }

    /// <summary>After NEEDS_REVIEW and no resolution: the gateway's exception for it.</summary>
    public string? Exception { get; set; }

    /// <summary>The forced review: the customer paid the order after the terminal gave it up.</summary>
    public bool PaidAfterReview { get; set; }

    /// <summary>The forced review: LAST's kind, reference and status once the resolution reached the terminal.</summary>
    public string? LastAfterResolution { get; set; }

    /// <summary>The status that counts: the resolution of a NEEDS_REVIEW, else what the terminal reported.</summary>
    public string Final => Resolution ?? Terminal;
}

/// <summary>A refund or void after a chaos sale.</summary>
public sealed class ChaosFollowUp(string kind, long amountMinor)
{
    public string Kind { get; } = kind;

    /// <summary>Started from the merchant menu at the keypad (PIN, refund), not by the register.</summary>
    public bool FromMenu { get; init; }

    /// <summary>The power was cut while it ran.</summary>
    public bool PowerCut { get; set; }

    public long AmountMinor { get; } = amountMinor;
    public string Terminal { get; set; } = "UNFINISHED";
    public string? ReasonCode { get; set; }

    /// <summary>refundRequestId for refunds; the sale's paymentRequestId for voids.</summary>
    public string? RequestId { get; set; }

    /// <summary>After NEEDS_REVIEW: the final status the gateway resolved it to, and its code; or the gateway's exception.</summary>
    public string? Resolution { get; set; }

    public string? ResolutionCode { get; set; }

    public string? Exception { get; set; }

    /// <summary>The status that counts: the resolution of a NEEDS_REVIEW, else what the terminal reported.</summary>
    public string Final => Resolution ?? Terminal;
}
