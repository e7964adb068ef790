using Terminal.AntomEmulator;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// The faults of a chaos run: every kind the emulator can inject, in equal shares, on the gateway's requests to
/// Antom. Rules are tried in order and the first hit decides, so rule i gets probability q / (1 - i q) with
/// q = rate / kinds; then each kind hits a request with probability q and some fault hits with probability rate.
/// </summary>
public static class FaultPlan
{
    /// <summary>The rules, each with a short name for the report.</summary>
    public static IReadOnlyList<(string Name, FaultRule Rule)> Rules(int upstreamAttemptTimeoutMs) =>
    [
        ("latency past the gateway's timeout", FaultRule.Latency(TimeSpan.FromMilliseconds(upstreamAttemptTimeoutMs + 150))),
        ("latency (slow but in time)", FaultRule.Latency(TimeSpan.FromMilliseconds(upstreamAttemptTimeoutMs / 3))),
        ("HTTP 503, not processed", FaultRule.HttpError(503)),
        ("HTTP 500 after processing", FaultRule.HttpError(500, afterProcessing: true)),
        ("HTTP 429 throttled", FaultRule.TooManyRequests()),
        ("connection reset after processing", FaultRule.ConnectionReset()),
        ("connection reset before processing", FaultRule.ConnectionReset(afterProcessing: false)),
        ("truncated body", FaultRule.TruncatedBody()),
        ("U / UNKNOWN_EXCEPTION", FaultRule.UnknownException()),
        ("bad response signature", FaultRule.WrongSignature()),
    ];

    /// <summary>Adds the rules for <paramref name="clientId"/> so that a share <paramref name="rate"/> of requests is hit.</summary>
    public static void Install(EmulatorFaults faults, string clientId, double rate, int upstreamAttemptTimeoutMs)
    {
        if (rate <= 0)
        {
            return;
        }

        var rules = Rules(upstreamAttemptTimeoutMs);
        double q = rate / rules.Count;
        for (int i = 0; i < rules.Count; i++)
        {
            double p = Math.Min(1.0, q / (1 - (i * q)));
            faults.Add(rules[i].Rule with { ClientId = clientId, Probability = p });
        }
    }
}
