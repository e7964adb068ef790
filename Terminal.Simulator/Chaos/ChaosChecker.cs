using Terminal.AntomEmulator;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// Compares what the terminal reported for each chaos sale with the Antom emulator's own record of the payment
/// (found by the paymentRequestId the firmware used), and looks for charges nobody accounts for.
/// <list type="bullet">
/// <item>SUCCESS: the emulator has the payment SUCCESS (CANCELLED after a successful void), same amount, and the
/// refunded sum equals the refunds the terminal reported as SUCCESS.</item>
/// <item>FAIL: FAIL at the emulator, or no payment at all (refused before it reached Antom).</item>
/// <item>CANCELLED: CANCELLED or FAIL (an expired order), or no payment; never SUCCESS, never still open.</item>
/// <item>NEEDS_REVIEW: the terminal could not tell; the gateway's job resolved it and the terminal heard the final status
/// through its heartbeat (RESOLVED), which is then judged as above (CANCELLED also when the gateway refunded the payment in
/// full); or the gateway lists it as an exception (listed, not judged). Left for review with neither is a mismatch.</item>
/// <item>A refund SUCCESS needs the emulator's refund SUCCESS; a refund FAIL needs none or FAIL.</item>
/// <item>Every SUCCESS payment at the emulator must belong to a sale the terminal reported: a second payment for
/// one sale, or a payment no sale knows, is an unaccounted charge.</item>
/// <item>The gateway's answer to an inquiry of the sale now (<see cref="GatewayInquiry"/>) names the emulator's
/// status: a voided or cancelled payment is never reported paid from an earlier notification.</item>
/// </list>
/// </summary>
public static class ChaosChecker
{
    public static ChaosReport Check(IReadOnlyList<ChaosSale> sales, EmulatorRecords records, string clientId, TimeSpan duration,
        IReadOnlyDictionary<string, int> faults, ChaosOptions options, IReadOnlyDictionary<string, string>? gatewayAnswers = null,
        IReadOnlyList<string>? fleetProblems = null)
    {
        List<PaymentRecord> payments = records.Payments().Where(p => p.ClientId == clientId).ToList();
        List<RefundRecord> refunds = records.Refunds().Where(r => r.ClientId == clientId).ToList();
        var paymentsById = payments.GroupBy(p => p.PaymentRequestId).ToDictionary(g => g.Key, g => g.ToList());
        var refundsById = refunds.GroupBy(r => r.RefundRequestId).ToDictionary(g => g.Key, g => g.ToList());
        var problems = new List<string>(fleetProblems ?? []);
        var rows = new List<ChaosRow>();
        foreach (ChaosSale sale in sales)
        {
            PaymentRecord? payment = sale.RequestId != null && paymentsById.TryGetValue(sale.RequestId, out var found) ? found[0] : null;
            string verdict = Verdict(sale, payment, refundsById);
            if (payment != null && gatewayAnswers != null && gatewayAnswers.TryGetValue(payment.PaymentRequestId, out string? said) && said != Word(payment.Status))
            {
                string issue = $"the gateway answers an inquiry with {said}, Antom {Word(payment.Status)}";
                verdict = verdict.StartsWith("MISMATCH", StringComparison.Ordinal) ? verdict + "; " + issue : verdict is "ok" or "review" ? "MISMATCH: " + issue : verdict;
            }

            rows.Add(new ChaosRow(sale, payment == null ? "none" : Word(payment.Status), payment?.RefundedValue ?? 0, verdict));
        }

        var known = new HashSet<string>(sales.Where(s => s.RequestId != null).Select(s => s.RequestId!));
        int unaccounted = 0;
        foreach (PaymentRecord p in payments)
        {
            bool charged = p.Status == PaymentStatus.Success && p.RefundedValue < p.Amount.Value;
            if (!known.Contains(p.PaymentRequestId) && charged)
            {
                unaccounted++;
                problems.Add($"unaccounted charge: {p.PaymentRequestId} {p.Amount.Value} {p.Amount.Currency} is SUCCESS at Antom but no sale reported it");
            }
        }

        foreach (var group in paymentsById.Where(g => g.Value.Count > 1))
        {
            unaccounted += group.Value.Count(p => p.Status == PaymentStatus.Success) > 1 ? 1 : 0;
            problems.Add($"{group.Value.Count} payments at Antom with one paymentRequestId {group.Key}");
        }

        return new ChaosReport(options, duration, rows, problems, faults,
            sales.Sum(s => s.Refunds.Count), sales.Count(s => s.Void != null))
        {
            UnaccountedCharges = unaccounted,
        };
    }

    private static string Verdict(ChaosSale sale, PaymentRecord? p, Dictionary<string, List<RefundRecord>> refundsById)
    {
        if (sale.Terminal == "UNFINISHED" || sale.Refunds.Any(r => r.Terminal == "UNFINISHED") || sale.Void?.Terminal == "UNFINISHED")
        {
            return "UNFINISHED";
        }

        if (sale.Terminal.StartsWith("REFUSED", StringComparison.Ordinal))
        {
            return "MISMATCH: the terminal refused the sale (" + sale.Terminal + ")";
        }

        var issues = new List<string>();
        bool voided = sale.Void?.Final == "SUCCESS";
        switch (sale.Final)
        {
            case "SUCCESS":
                if (p == null)
                {
                    issues.Add("paid on the terminal, no payment at Antom");
                }
                else
                {
                    PaymentStatus expected = voided ? PaymentStatus.Cancelled : PaymentStatus.Success;
                    if (p.Status != expected && !(voided && RefundedInFull(p)))
                    {
                        issues.Add($"terminal SUCCESS{(voided ? " then VOID" : "")}, Antom {Word(p.Status)}");
                    }

                    if (p.Amount.Value != sale.AmountMinor)
                    {
                        issues.Add($"amount {sale.AmountMinor} on the terminal, {p.Amount.Value} at Antom");
                    }

                    long refunded = sale.Refunds.Where(r => r.Final == "SUCCESS").Sum(r => r.AmountMinor);
                    if (!voided && p.RefundedValue != refunded && !sale.Refunds.Any(r => r.Final == "NEEDS_REVIEW"))
                    {
                        issues.Add($"refunded {refunded} on the terminal, {p.RefundedValue} at Antom");
                    }
                }

                break;
            case "FAIL":
            case "FAILED":
                if (p != null && p.Status != PaymentStatus.Fail)
                {
                    issues.Add($"terminal FAIL, Antom {Word(p.Status)}");
                }

                break;
            case "CANCELLED":
                if (p != null && p.Status != PaymentStatus.Cancelled && p.Status != PaymentStatus.Fail && !(sale.Resolution != null && RefundedInFull(p)))
                {
                    issues.Add($"terminal CANCELLED, Antom {Word(p.Status)}");
                }

                break;
            case "NEEDS_REVIEW":
                return sale.Exception != null ? "review" : "MISMATCH: left for review, neither resolved by the gateway nor an exception";
            default:
                issues.Add("unknown terminal status " + sale.Terminal);
                break;
        }

        foreach (ChaosFollowUp refund in sale.Refunds)
        {
            RefundRecord? r = refund.RequestId != null && refundsById.TryGetValue(refund.RequestId, out var list) ? list[0] : null;
            if (refund.Final == "NEEDS_REVIEW" && refund.Exception == null)
            {
                issues.Add("refund left for review, neither resolved by the gateway nor an exception");
            }
            else if (refund.Final == "SUCCESS" && r?.Status != RefundStatus.Success)
            {
                issues.Add($"refund SUCCESS on the terminal, {(r == null ? "none" : Word(r.Status))} at Antom");
            }
            else if (refund.Final is "FAIL" or "FAILED" && r != null && r.Status != RefundStatus.Fail)
            {
                issues.Add($"refund FAIL on the terminal, {Word(r.Status)} at Antom");
            }
            else if (refund.Terminal.StartsWith("REFUSED", StringComparison.Ordinal))
            {
                issues.Add("refund refused: " + refund.Terminal);
            }
        }

        if (sale.Void is { } v && v.Terminal.StartsWith("REFUSED", StringComparison.Ordinal))
        {
            issues.Add("void refused: " + v.Terminal);
        }
        else if (sale.Void is { } failed && failed.Final is "FAIL" or "FAILED" && p != null && p.Status == PaymentStatus.Cancelled)
        {
            issues.Add("void FAIL on the terminal, Antom CANCELLED");
        }
        else if (sale.Void is { Final: "NEEDS_REVIEW", Exception: null })
        {
            issues.Add("void left for review, neither resolved by the gateway nor an exception");
        }

        return issues.Count == 0 ? "ok" : "MISMATCH: " + string.Join("; ", issues);
    }

    /// <summary>The gateway's job refunded a payment its terminal gave up after the cancel window (GATEWAY_REFUNDED).</summary>
    private static bool RefundedInFull(PaymentRecord p) => p.Status == PaymentStatus.Success && p.RefundedValue == p.Amount.Value;

    private static string Word(PaymentStatus s) => s.ToString().ToUpperInvariant();

    private static string Word(RefundStatus s) => s.ToString().ToUpperInvariant();
}
