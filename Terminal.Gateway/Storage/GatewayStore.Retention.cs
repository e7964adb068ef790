using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.Storage;

/// <summary>The retention purge (docs/gateway.md, "Retention").</summary>
public sealed partial class GatewayStore
{
    /// <summary>
    /// Deletes what the retention period no longer needs, in batches of <paramref name="batch"/> rows: transactions
    /// received before <paramref name="cutoffMs"/> (but those still pending, or of a payment or refund still open),
    /// notifications last received before it, the resolver's steps started before it, final payments and refunds
    /// last changed before it (a payment only once none of its refunds is left), and resolution items resolved or closed
    /// before it with their history. Open payments and refunds, open items and exceptions stay until they are resolved.
    /// </summary>
    public async Task<PurgeCounts> PurgeAsync(long cutoffMs, int batch = 1000, CancellationToken ct = default)
    {
        const string open = PaymentStatuses.OpenSql;
        long transactions = await PurgeBatchesAsync("transactions", "id",
            "received_at < @cut AND upstream_outcome <> @pending " +
            "AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.payment_request_id = transactions.payment_request_id AND p.status IN " + open + ") " +
            "AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.refund_request_id = transactions.refund_request_id AND f.status IN " + open + ")",
            cutoffMs, batch, ct).ConfigureAwait(false);
        long notifications = await PurgeBatchesAsync("notifications", "notification_key", "last_received_at < @cut", cutoffMs, batch, ct).ConfigureAwait(false);
        long steps = await PurgeBatchesAsync("resolution_steps", "id", "started_at < @cut", cutoffMs, batch, ct).ConfigureAwait(false);
        long refunds = await PurgeBatchesAsync("refunds", "refund_request_id", "updated_at < @cut AND status NOT IN " + open, cutoffMs, batch, ct).ConfigureAwait(false);
        long payments = await PurgeBatchesAsync("payments", "payment_request_id",
            "updated_at < @cut AND status NOT IN " + open + " AND NOT EXISTS (SELECT 1 FROM refunds f WHERE f.payment_id = payments.payment_id)",
            cutoffMs, batch, ct).ConfigureAwait(false);
        long items = await PurgeBatchesAsync("resolution_items", "id", "updated_at < @cut AND state IN ('resolved', 'closed')", cutoffMs, batch, ct).ConfigureAwait(false);
        await PurgeBatchesAsync("resolution_events", "id", "NOT EXISTS (SELECT 1 FROM resolution_items i WHERE i.id = resolution_events.item_id)", cutoffMs, batch, ct)
            .ConfigureAwait(false);
        return new PurgeCounts(transactions, notifications, payments, refunds, steps, items);
    }

    private async Task<long> PurgeBatchesAsync(string table, string key, string where, long cutoffMs, int batch, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            int n = await database.ExecAtomicAsync(connection,
                $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {where} LIMIT @batch)",
                ("cut", cutoffMs), ("pending", UpstreamOutcomes.Pending), ("batch", (long)batch)).ConfigureAwait(false);
            total += n;
            if (n < batch) return total;
        }
    }
}
