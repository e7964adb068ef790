namespace Terminal.Gateway.EndOfDay;

/// <summary>What kind of difference between the gateway's records and Antom's report a mismatch is.</summary>
public enum MismatchKind
{
    /// <summary>Antom reports a transaction the gateway has no record of.</summary>
    MissingInGateway,

    /// <summary>The gateway has a paid payment or a successful refund that Antom's report does not list.</summary>
    MissingInAntom,

    AmountDiffers,
    CurrencyDiffers,

    /// <summary>The two sides disagree about what happened (paid, failed, still open, voided).</summary>
    StatusDiffers,

    /// <summary>The same request carries different Antom ids (paymentId, refundId, or the refunded payment).</summary>
    IdDiffers,

    /// <summary>Both sides have it, on different days (a payment created before midnight and paid after it).</summary>
    OtherDay,

    /// <summary>The report lists one transaction twice.</summary>
    DuplicateInReport,
}

/// <summary>
/// One difference, with enough to find both records: the merchant's request id (paymentRequestId or refundRequestId),
/// Antom's id, the report line, and a sentence saying why it is a mismatch and where to look.
/// </summary>
public sealed record Mismatch(
    MismatchKind Kind, string TransactionType, string? RequestId, string? AntomId, string? DeviceId, string? StoreId, string Currency,
    long? GatewayAmountMinor, long? AntomAmountMinor, string? GatewayStatus, int? ReportLine, string Reason)
{
    /// <summary>The kind as written in JSON and CSV: missing_in_gateway, amount_differs, ...</summary>
    public string KindName => Name(Kind);

    public static string Name(MismatchKind kind) => string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>The comparison of one day: how much was compared and every mismatch, in report-line order, then the
/// gateway's records Antom does not have.</summary>
public sealed record ReconciliationReport(
    DateOnly Day, string TimeZone, int ReportRows, int GatewayPayments, int GatewayRefunds, int MatchedRows, IReadOnlyList<Mismatch> Mismatches)
{
    public bool Clean => Mismatches.Count == 0;
}

/// <summary>
/// Compares a day's gateway records with Antom's transaction details report for that day (docs/reconciliation.md,
/// "What is compared"). Pure: the caller loads the day's records, the report rows, and the records of other days that
/// the report names (<paramref name="elsewhere"/>), so every case is decided here.
/// <list type="bullet">
/// <item>A PAYMENT row needs a gateway payment that is SUCCESS (or CANCELLED: paid, then voided); a CANCEL row a
/// CANCELLED payment; a REFUND row a SUCCESS refund of the same payment. Amount and currency must be equal.</item>
/// <item>A gateway payment that is SUCCESS needs a PAYMENT row; a successful refund a REFUND row; a CANCELLED payment
/// that Antom reports as paid needs the CANCEL row too (a void Antom did not apply would leave the money taken). A
/// cancelled payment Antom never reports paid moved no money and needs nothing.</item>
/// <item>Rows are matched by the merchant's request id (transactionRequestId); where a report leaves it empty, by
/// Antom's id.</item>
/// </list>
/// </summary>
public static class Reconciler
{
    public static ReconciliationReport Compare(
        DateOnly day, BusinessCalendar calendar, IReadOnlyList<GatewayPayment> payments, IReadOnlyList<GatewayRefund> refunds,
        IReadOnlyList<AntomTransaction> rows, (IReadOnlyList<GatewayPayment> Payments, IReadOnlyList<GatewayRefund> Refunds) elsewhere)
    {
        var (_, dayEnd) = calendar.Bounds(day);
        var ofDay = new HashSet<string>(payments.Select(p => "P:" + p.PaymentRequestId).Concat(refunds.Select(r => "R:" + r.RefundRequestId)), StringComparer.Ordinal);
        var paymentsByRequest = new Dictionary<string, GatewayPayment>(StringComparer.Ordinal);
        var paymentsById = new Dictionary<string, GatewayPayment>(StringComparer.Ordinal);
        foreach (var p in payments.Concat(elsewhere.Payments))
        {
            paymentsByRequest.TryAdd(p.PaymentRequestId, p);
            if (p.PaymentId != null) paymentsById.TryAdd(p.PaymentId, p);
        }
        var refundsByRequest = new Dictionary<string, GatewayRefund>(StringComparer.Ordinal);
        var refundsById = new Dictionary<string, GatewayRefund>(StringComparer.Ordinal);
        foreach (var r in refunds.Concat(elsewhere.Refunds))
        {
            refundsByRequest.TryAdd(r.RefundRequestId, r);
            if (r.RefundId != null) refundsById.TryAdd(r.RefundId, r);
        }

        var mismatches = new List<Mismatch>();
        var seen = new HashSet<string>(StringComparer.Ordinal);       // "TYPE:transactionId" of every row read
        var reported = new HashSet<string>(StringComparer.Ordinal);   // "TYPE:requestId" of the gateway records a row matched
        int matched = 0;
        foreach (var row in rows)
        {
            if (!seen.Add(row.Type + ":" + row.TransactionId))
            {
                mismatches.Add(FromRow(MismatchKind.DuplicateInReport, row, null, $"{row.TransactionId} is listed more than once as {row.Type}; counted once"));
                continue;
            }
            int before = mismatches.Count;
            switch (row.Type)
            {
                case "PAYMENT":
                case "CANCEL":
                    {
                        string? antomPaymentId = row.Type == "PAYMENT" ? row.TransactionId : row.OriginalTransactionId ?? row.TransactionId;
                        var p = Find(paymentsByRequest, row.TransactionRequestId) ?? Find(paymentsById, antomPaymentId);
                        if (p == null)
                        {
                            mismatches.Add(FromRow(MismatchKind.MissingInGateway, row, null, $"Antom reports this {row.Type} and the gateway has no payment with this id"));
                            break;
                        }
                        reported.Add(row.Type + ":" + p.PaymentRequestId);
                        var where = new Where(p.DeviceId, p.StoreId, p.Status, p.AmountMinor, p.PaymentRequestId);
                        CheckDay(mismatches, row, where, ofDay.Contains("P:" + p.PaymentRequestId), calendar, p.CreatedAt, day);
                        CheckMoney(mismatches, row, where, p.Currency, p.AmountMinor);
                        if (p.PaymentId != null && antomPaymentId != null && p.PaymentId != antomPaymentId)
                            mismatches.Add(FromRow(MismatchKind.IdDiffers, row, where, $"Antom's paymentId is {antomPaymentId}, the gateway's {p.PaymentId}"));
                        bool statusAgrees = row.Type == "PAYMENT" ? p.Status is "SUCCESS" or "CANCELLED" : p.Status == "CANCELLED";
                        if (!statusAgrees) mismatches.Add(FromRow(MismatchKind.StatusDiffers, row, where, StatusReason(row.Type, p.Status)));
                        break;
                    }
                case "REFUND":
                    {
                        var r = Find(refundsByRequest, row.TransactionRequestId) ?? Find(refundsById, row.TransactionId);
                        if (r == null)
                        {
                            mismatches.Add(FromRow(MismatchKind.MissingInGateway, row, null, "Antom reports this REFUND and the gateway has no refund with this id"));
                            break;
                        }
                        reported.Add("REFUND:" + r.RefundRequestId);
                        var where = new Where(r.DeviceId, r.StoreId, r.Status, r.AmountMinor, r.RefundRequestId);
                        CheckDay(mismatches, row, where, ofDay.Contains("R:" + r.RefundRequestId), calendar, r.CreatedAt, day);
                        CheckMoney(mismatches, row, where, r.Currency, r.AmountMinor);
                        if (r.RefundId != null && r.RefundId != row.TransactionId)
                            mismatches.Add(FromRow(MismatchKind.IdDiffers, row, where, $"Antom's refundId is {row.TransactionId}, the gateway's {r.RefundId}"));
                        if (row.OriginalTransactionId != null && row.OriginalTransactionId != r.PaymentId)
                            mismatches.Add(FromRow(MismatchKind.IdDiffers, row, where, $"Antom refunded payment {row.OriginalTransactionId}, the gateway's refund is of {r.PaymentId}"));
                        if (r.Status != "SUCCESS") mismatches.Add(FromRow(MismatchKind.StatusDiffers, row, where, StatusReason("REFUND", r.Status)));
                        break;
                    }
                default:
                    mismatches.Add(FromRow(MismatchKind.MissingInGateway, row, null, $"transaction type {row.Type} is not one the gateway makes (in-store: PAYMENT, CANCEL, REFUND)"));
                    break;
            }
            if (mismatches.Count == before) matched++;
        }

        foreach (var p in payments)
        {
            string late = p.UpdatedAt >= dayEnd ? $"; it last changed at {calendar.LocalTime(p.UpdatedAt)}, after the day's end: look in the next day's report" : "";
            if (p.Status == "SUCCESS" && !reported.Contains("PAYMENT:" + p.PaymentRequestId))
                mismatches.Add(FromGateway(MismatchKind.MissingInAntom, "PAYMENT", p, "paid at the gateway, not in Antom's report" + late));
            else if (p.Status == "CANCELLED" && reported.Contains("PAYMENT:" + p.PaymentRequestId) && !reported.Contains("CANCEL:" + p.PaymentRequestId))
                mismatches.Add(FromGateway(MismatchKind.StatusDiffers, "CANCEL", p, "voided at the gateway; Antom's report has the payment and no cancel, so the money may still be taken" + late));
        }
        foreach (var r in refunds)
        {
            if (r.Status == "SUCCESS" && !reported.Contains("REFUND:" + r.RefundRequestId))
            {
                string late = r.UpdatedAt >= dayEnd ? $"; it last changed at {calendar.LocalTime(r.UpdatedAt)}, after the day's end: look in the next day's report" : "";
                mismatches.Add(new Mismatch(MismatchKind.MissingInAntom, "REFUND", r.RefundRequestId, r.RefundId, r.DeviceId, r.StoreId, r.Currency,
                    r.AmountMinor, null, r.Status, null, $"refunded at the gateway (payment {r.PaymentId}), not in Antom's report" + late));
            }
        }
        return new ReconciliationReport(day, calendar.Zone.Id, rows.Count, payments.Count, refunds.Count, matched, mismatches);
    }

    private sealed record Where(string DeviceId, string StoreId, string Status, long AmountMinor, string RequestId);

    private static T? Find<T>(Dictionary<string, T> index, string? key) where T : class =>
        key != null && index.TryGetValue(key, out var found) ? found : null;

    private static void CheckDay(List<Mismatch> mismatches, AntomTransaction row, Where where, bool sameDay, BusinessCalendar calendar, long createdAt, DateOnly day)
    {
        if (sameDay) return;
        mismatches.Add(FromRow(MismatchKind.OtherDay, row, where,
            $"the gateway has it on {BusinessCalendar.Format(calendar.DayOf(createdAt))} (created {calendar.LocalTime(createdAt)}), Antom on {BusinessCalendar.Format(day)} ({row.Time:yyyy-MM-dd'T'HH:mm:sszzz}): the day's totals differ by it"));
    }

    private static void CheckMoney(List<Mismatch> mismatches, AntomTransaction row, Where where, string currency, long amountMinor)
    {
        if (currency != row.Currency)
            mismatches.Add(FromRow(MismatchKind.CurrencyDiffers, row, where, $"Antom: {row.Currency}, the gateway: {currency}"));
        else if (amountMinor != row.AmountMinor)
            mismatches.Add(FromRow(MismatchKind.AmountDiffers, row, where, $"Antom: {row.AmountMinor} minor units, the gateway: {amountMinor}"));
    }

    private static string StatusReason(string type, string gatewayStatus) => gatewayStatus switch
    {
        "PENDING" or "PROCESSING" => $"Antom reports the {type}; the gateway's record is still {gatewayStatus} (the resolver has not learnt the result yet)",
        "FAIL" => $"Antom reports the {type}; the gateway recorded it as FAIL",
        "CANCELLED" => $"Antom reports the {type}; the gateway recorded the payment as voided (CANCELLED)",
        _ => $"Antom reports the {type}; the gateway's record is {gatewayStatus}",
    };

    private static Mismatch FromRow(MismatchKind kind, AntomTransaction row, Where? where, string reason) =>
        new(kind, row.Type, where?.RequestId ?? row.TransactionRequestId, row.TransactionId, where?.DeviceId, where?.StoreId, row.Currency,
            where?.AmountMinor, row.AmountMinor, where?.Status, row.Line, reason);

    private static Mismatch FromGateway(MismatchKind kind, string type, GatewayPayment p, string reason) =>
        new(kind, type, p.PaymentRequestId, p.PaymentId, p.DeviceId, p.StoreId, p.Currency, p.AmountMinor, null, p.Status, null, reason);
}
