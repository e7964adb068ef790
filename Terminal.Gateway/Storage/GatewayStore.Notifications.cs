using System.Data.Common;
using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.Storage;

/// <summary>Verified notifyPayment requests from Antom.</summary>
public sealed partial class GatewayStore
{
    /// <summary>
    /// Records a verified notification (a duplicate only bumps the row's counter) and applies what it proves about the
    /// payment (<paramref name="fact"/>, forward-only) in the same database transaction, so an acknowledged notification
    /// always has its effect stored. The fact is applied to duplicates too: a resend after a failed attempt repairs.
    /// </summary>
    public async Task<RecordedNotification> RecordNotificationAsync(NotificationRecord n, StateFact? fact, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var parameters = new List<(string, object?)>(18)
        {
            ("k", n.NotificationKey), ("type", n.NotifyType), ("prid", n.PaymentRequestId), ("pid", n.PaymentId), ("rs", n.ResultStatus), ("rc", n.ResultCode),
            ("cid", n.ClientId), ("rt", n.RequestTime), ("body", n.Body), ("now", n.ReceivedAt),
        };
        if (fact != null) parameters.AddRange(FactParameters(fact, n.ReceivedAt));
        bool isNew = false;
        AppliedFact? applied = null;
        await ApplyingFactAsync(connection,
            "INSERT INTO notifications (notification_key, notify_type, payment_request_id, payment_id, result_status, result_code, client_id, request_time, body, received_at, duplicates, last_received_at) " +
            "VALUES (@k, @type, @prid, @pid, @rs, @rc, @cid, @rt, @body, @now, 0, @now) " +
            "ON CONFLICT (notification_key) DO UPDATE SET duplicates = notifications.duplicates + 1, last_received_at = excluded.last_received_at RETURNING duplicates" +
            (fact == null ? "" : "; " + FactSql(fact)),
            r =>
            {
                if (r.GetName(0) == "duplicates") isNew = Sql.LongOr0(r, 0) == 0;
                else applied = ReadApplied(r, fact!);
            },
            null, parameters.ToArray()).ConfigureAwait(false);
        return new RecordedNotification(isNew, applied);
    }

    /// <summary>The final (PAYMENT_RESULT with S or F) notification of a payment, if one was recorded.</summary>
    public async Task<NotificationRecord?> FindFinalNotificationAsync(string? paymentRequestId, string? paymentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        const string final = " AND notify_type = 'PAYMENT_RESULT' AND result_status IN ('S', 'F') ORDER BY received_at DESC";
        if (!string.IsNullOrEmpty(paymentId))
        {
            var byId = await Sql.QuerySingleAsync(connection, null, NotificationSelect + " WHERE payment_id = @pid" + final, ReadNotification, ("pid", paymentId)).ConfigureAwait(false);
            if (byId != null) return byId;
        }
        if (!string.IsNullOrEmpty(paymentRequestId))
            return await Sql.QuerySingleAsync(connection, null, NotificationSelect + " WHERE payment_request_id = @prid" + final, ReadNotification, ("prid", paymentRequestId)).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// The payment with this paymentRequestId and its final notification (as <see cref="FindPaymentAsync"/> then
    /// <see cref="FindFinalNotificationAsync"/> would find them: by the payment's paymentId first, else by its
    /// paymentRequestId) in one round trip, for an inquiry by paymentRequestId. The notification is null without a payment.
    /// </summary>
    public async Task<(PaymentRecord? Payment, NotificationRecord? Final)> FindPaymentWithFinalNotificationAsync(string paymentRequestId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var lookup = new PaymentLookup(paymentRequestId);
        await Sql.ReadAsync(connection, null, PaymentLookup.LookupSql, [("r_prid", paymentRequestId)], lookup.Read).ConfigureAwait(false);
        return (lookup.Payment, lookup.Final);
    }

    private const string PaymentIdOfRequest = "(SELECT p.payment_id FROM payments p WHERE p.payment_request_id = @prid)";

    internal const string PaymentWithFinalNotificationSql =
        PaymentSelect + " WHERE payment_request_id = @prid; " +
        NotificationSelect + " WHERE notify_type = 'PAYMENT_RESULT' AND result_status IN ('S', 'F') AND (payment_id = " + PaymentIdOfRequest +
        " OR payment_request_id = @prid) ORDER BY CASE WHEN payment_id = " + PaymentIdOfRequest + " THEN 0 ELSE 1 END, received_at DESC LIMIT 1";

    /// <summary>Every notification recorded for a payment, oldest first (the repair pass derives state from them).</summary>
    internal async Task<IReadOnlyList<NotificationRecord>> NotificationsOfAsync(string paymentRequestId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, NotificationSelect + " WHERE payment_request_id = @prid ORDER BY received_at, notification_key", ReadNotification,
            ("prid", paymentRequestId)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<NotificationRecord>> ListNotificationsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, NotificationSelect + " ORDER BY received_at, notification_key", ReadNotification).ConfigureAwait(false);
    }

    private const string NotificationSelect =
        "SELECT notification_key, notify_type, payment_request_id, payment_id, result_status, result_code, client_id, request_time, body, received_at, duplicates, last_received_at FROM notifications";

    internal static NotificationRecord ReadNotification(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), Sql.Text(r, 2), Sql.Text(r, 3), Sql.Text(r, 4), Sql.Text(r, 5), r.GetString(6), r.GetString(7), r.GetString(8),
        Sql.LongOr0(r, 9), Sql.LongOr0(r, 10), Sql.LongOr0(r, 11));
}
