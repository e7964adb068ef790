using System.Text;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Queries;

/// <summary>One event of a payment's life, as the transaction page lists it.</summary>
/// <param name="Kind">device_request | antom | notification | resolution | refund | console.</param>
/// <param name="Outcome">For Antom exchanges: the upstream outcome (ok = Antom's signature verified, bad_signature = discarded, ...).</param>
public sealed record TimelineEvent(long At, string Kind, string Title, string? Outcome, string? Status, string? Body);

/// <summary>A payment with its refunds and every recorded event about them, oldest first.</summary>
public sealed record TransactionDetail(PaymentRecord Payment, string? Reference, IReadOnlyList<RefundRecord> Refunds, IReadOnlyList<TimelineEvent> Events);

/// <summary>
/// The transaction page: everything the gateway recorded about one payment — each device request and the answer it got,
/// each exchange with Antom and whether Antom's answer verified, notifications, the resolver's steps, refunds (with
/// their own requests and steps) and the console's actions. Bodies are shown as stored, and masked again here
/// (<see cref="PaymentCodes.ForStorage"/>): a payment code never reaches the page.
/// </summary>
public sealed class TransactionTimeline(GatewayDatabase database, GatewayStore store, AuditLog audit)
{
    public async Task<TransactionDetail?> FindAsync(string paymentRequestId, CancellationToken ct = default)
    {
        var payment = await store.FindPaymentAsync(paymentRequestId, null, ct).ConfigureAwait(false);
        if (payment == null) return null;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        string? reference = (await Sql.QueryAsync(connection, null, "SELECT reference_order_id FROM payments WHERE payment_request_id = @id", r => Sql.Text(r, 0),
            ("id", paymentRequestId)).ConfigureAwait(false)).FirstOrDefault();
        var refunds = payment.PaymentId == null ? [] : await store.ListRefundsForPaymentAsync(payment.PaymentId, ct).ConfigureAwait(false);

        var events = new List<TimelineEvent>();
        var refundIds = refunds.Select(f => f.RefundRequestId).ToList();
        foreach (var t in await TransactionsAsync(connection, payment, refundIds).ConfigureAwait(false))
        {
            string from = Refunds.OfficeRefunds.IsOfficeRefundRequestId(t.RefundRequestId) ? $"the office, in {t.DeviceId}'s name" : t.DeviceId;
            events.Add(new TimelineEvent(t.ReceivedAt, "device_request", $"{t.Operation} from {from}", null, null, Mask(t.DeviceRequestBody)));
            if (t.UpstreamSentAt != null || t.UpstreamOutcome != UpstreamOutcomes.NotSent)
            {
                events.Add(new TimelineEvent(t.UpstreamSentAt ?? t.ReceivedAt, "antom", $"{t.Operation} to Antom ({t.UpstreamAttempts} attempt(s))",
                    t.UpstreamOutcome, t.UpstreamHttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture), Mask(t.UpstreamRequestBody)));
            }
            if (t.ResponseBody != null)
            {
                string title = t.UpstreamOutcome == UpstreamOutcomes.Ok ? "Antom's answer (signature verified), relayed to the device"
                    : t.UpstreamOutcome == UpstreamOutcomes.NotSent ? "the gateway's own answer to the device" : "answer to the device";
                events.Add(new TimelineEvent(t.RespondedAt ?? t.ReceivedAt, "device_answer", title, t.UpstreamOutcome,
                    t.ResultStatus + (t.ResultCode == null ? "" : " " + t.ResultCode), Mask(t.ResponseBody) + (t.UpstreamDetail == null ? "" : "\n\n" + t.UpstreamDetail)));
            }
        }
        foreach (var n in await Sql.QueryAsync(connection, null,
                     "SELECT notify_type, result_status, result_code, body, received_at, duplicates FROM notifications WHERE payment_request_id = @prid " +
                     "UNION SELECT notify_type, result_status, result_code, body, received_at, duplicates FROM notifications WHERE payment_id = @pid",
                     r => (Type: r.GetString(0), Status: Sql.Text(r, 1), Code: Sql.Text(r, 2), Body: r.GetString(3), At: Sql.LongOr0(r, 4), Dup: Sql.LongOr0(r, 5)),
                     ("prid", payment.PaymentRequestId), ("pid", (object?)payment.PaymentId ?? "")).ConfigureAwait(false))
        {
            events.Add(new TimelineEvent(n.At, "notification", $"notifyPayment {n.Type} (signature verified){(n.Dup > 0 ? $", {n.Dup} duplicate(s)" : "")}", "ok",
                n.Status + (n.Code == null ? "" : " " + n.Code), Mask(n.Body)));
        }
        var requestIds = new List<string> { payment.PaymentRequestId };
        requestIds.AddRange(refundIds);
        foreach (var s in await StepsAsync(connection, requestIds).ConfigureAwait(false))
        {
            events.Add(new TimelineEvent(s.StartedAt, "resolution", $"resolver: {s.Operation} ({s.Reason}) for {s.Subject} {s.RequestId}", s.UpstreamOutcome,
                s.LearntStatus ?? s.ResultStatus, Mask(s.RequestBody) + (s.ResponseBody == null ? "" : "\n\n" + Mask(s.ResponseBody))));
        }
        foreach (var f in refunds)
        {
            events.Add(new TimelineEvent(f.CreatedAt, "refund", $"refund {f.RefundRequestId} of {f.Currency} {f.AmountMinor} (minor units)", null, f.Status, null));
        }
        foreach (var a in await audit.AboutAsync(requestIds).ConfigureAwait(false))
        {
            events.Add(new TimelineEvent(a.At, "console", $"console: {a.Action} by {a.Username}", null, null, a.Detail));
        }
        events.Sort((x, y) => x.At.CompareTo(y.At));
        return new TransactionDetail(payment, reference, refunds, events);
    }

    private static async Task<List<TransactionRecord>> TransactionsAsync(System.Data.Common.DbConnection connection, PaymentRecord payment, List<string> refundIds)
    {
        var conditions = new List<string> { "payment_request_id = @prid" };
        var parameters = new List<(string, object?)> { ("prid", payment.PaymentRequestId) };
        if (payment.PaymentId != null)
        {
            conditions.Add("payment_id = @pid");
            parameters.Add(("pid", payment.PaymentId));
        }
        for (int i = 0; i < refundIds.Count; i++)
        {
            conditions.Add("refund_request_id = @r" + i);
            parameters.Add(("r" + i, refundIds[i]));
        }
        // One SELECT per id, so each uses its index (an OR across columns may not).
        string sql = string.Join(" UNION ", conditions.Select(c =>
            "SELECT id, device_id, operation, received_at, device_request_body, upstream_request_body, upstream_sent_at, upstream_attempts, upstream_outcome, " +
            "upstream_http_status, upstream_detail, response_body, result_status, result_code, responded_at, refund_request_id FROM transactions WHERE " + c));
        return await Sql.QueryAsync(connection, null, sql, r => new TransactionRecord(r.GetString(0), r.GetString(1), r.GetString(2), "", 0, Sql.LongOr0(r, 3), null, null, Sql.Text(r, 15),
            r.GetString(4), Sql.Text(r, 5), Sql.Long(r, 6), null, (int)Sql.LongOr0(r, 7), r.GetString(8), (int?)Sql.Long(r, 9), Sql.Text(r, 10), Sql.Text(r, 11),
            Sql.Text(r, 12), Sql.Text(r, 13), Sql.Long(r, 14), ""), parameters.ToArray()).ConfigureAwait(false);
    }

    private static async Task<List<ResolutionStepRecord>> StepsAsync(System.Data.Common.DbConnection connection, List<string> requestIds)
    {
        var names = requestIds.Select((_, i) => "@q" + i);
        return await Sql.QueryAsync(connection, null,
            "SELECT id, subject, request_id, transaction_id, reason, operation, request_body, started_at, upstream_outcome, response_body, result_status, result_code, " +
            $"learnt_antom_id, learnt_status, completed_at, instance FROM resolution_steps WHERE subject IN ('payment', 'refund') AND request_id IN ({string.Join(", ", names)})",
            r => new ResolutionStepRecord(r.GetString(0), r.GetString(1), r.GetString(2), Sql.Text(r, 3), r.GetString(4), r.GetString(5), r.GetString(6), Sql.LongOr0(r, 7),
                r.GetString(8), Sql.Text(r, 9), Sql.Text(r, 10), Sql.Text(r, 11), Sql.Text(r, 12), Sql.Text(r, 13), Sql.Long(r, 14), r.GetString(15)),
            requestIds.Select((id, i) => ("q" + i, (object?)id)).ToArray()).ConfigureAwait(false);
    }

    private static string? Mask(string? body) => body == null ? null : PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body), body);
}
