using System.Data.Common;

namespace Terminal.Gateway.Storage;

/// <summary>One row of customer_links: the result page of one order-code payment (docs/customer-page.md).</summary>
public sealed record CustomerLinkRecord(
    string TokenHash,
    string PaymentRequestId,
    string Seed,
    string? StoreName,
    long CreatedAt,
    long ExpiresAt,
    long Inquiries,
    long? LastInquiryAt,
    string? ResultCode);

/// <summary>
/// The customer_links table, and the refunds of a payment as the result page shows them. A link is found only by the
/// hash of its token and only before it expires, so an unknown token and an expired one take the same path.
/// </summary>
public sealed class CustomerLinkStore(GatewayDatabase database)
{
    /// <summary>
    /// Creates the payment's link unless it has one; returns the row now stored (the older one for a repeated pay, so
    /// the same paymentRedirectUrl goes to Antom again).
    /// </summary>
    public async Task<CustomerLinkRecord> EnsureAsync(CustomerLinkRecord link, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await Sql.QuerySingleAsync(connection, null,
            "INSERT INTO customer_links (token_hash, payment_request_id, seed, store_name, created_at, expires_at, inquiries) " +
            "VALUES (@h, @prid, @seed, @store, @now, @exp, 0) ON CONFLICT (payment_request_id) DO NOTHING; " +
            LinkSelect + " WHERE payment_request_id = @prid", ReadLink,
            ("h", link.TokenHash), ("prid", link.PaymentRequestId), ("seed", link.Seed), ("store", link.StoreName), ("now", link.CreatedAt),
            ("exp", link.ExpiresAt)).ConfigureAwait(false))!;
    }

    /// <summary>The link whose token hashes to <paramref name="tokenHash"/>, if it has not expired at <paramref name="nowMs"/>.</summary>
    public async Task<CustomerLinkRecord?> FindAsync(string tokenHash, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, LinkSelect + " WHERE token_hash = @h AND expires_at > @now", ReadLink,
            ("h", tokenHash), ("now", nowMs)).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims the right to ask Antom about the link's payment now: at most <paramref name="maxInquiries"/> in all and none
    /// within <paramref name="minIntervalMs"/> of the last, counted in the database so that several gateway instances
    /// share the limit. True when this caller may inquire.
    /// </summary>
    public async Task<bool> ClaimInquiryAsync(string tokenHash, long nowMs, long minIntervalMs, int maxInquiries, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, null,
            "UPDATE customer_links SET inquiries = inquiries + 1, last_inquiry_at = @now WHERE token_hash = @h AND inquiries < @max " +
            "AND (last_inquiry_at IS NULL OR last_inquiry_at <= @cut)",
            ("now", nowMs), ("h", tokenHash), ("max", (long)maxInquiries), ("cut", nowMs - minIntervalMs)).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>Keeps the paymentResultCode of a final inquiry (tells an order that expired from one the wallet declined).</summary>
    public async Task RecordResultCodeAsync(string tokenHash, string resultCode, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await Sql.ExecAsync(connection, null, "UPDATE customer_links SET result_code = @rc WHERE token_hash = @h",
            ("rc", resultCode), ("h", tokenHash)).ConfigureAwait(false);
    }

    /// <summary>The refunds recorded for a payment (by Antom's paymentId).</summary>
    public async Task<IReadOnlyList<RefundRecord>> RefundsOfAsync(string paymentId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null,
            "SELECT refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at FROM refunds " +
            "WHERE payment_id = @pid ORDER BY created_at",
            r => new RefundRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), Sql.Text(r, 5), r.GetString(6),
                Sql.LongOr0(r, 7), Sql.LongOr0(r, 8)),
            ("pid", paymentId)).ConfigureAwait(false);
    }

    /// <summary>Deletes links that expired before <paramref name="nowMs"/>, 1,000 rows per statement.</summary>
    public async Task<long> PurgeExpiredAsync(long nowMs, CancellationToken ct = default)
    {
        long total = 0;
        while (true)
        {
            await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
            int n = await database.ExecAtomicAsync(connection,
                "DELETE FROM customer_links WHERE token_hash IN (SELECT token_hash FROM customer_links WHERE expires_at <= @now LIMIT 1000)",
                ("now", nowMs)).ConfigureAwait(false);
            total += n;
            if (n < 1000) return total;
        }
    }

    private const string LinkSelect =
        "SELECT token_hash, payment_request_id, seed, store_name, created_at, expires_at, inquiries, last_inquiry_at, result_code FROM customer_links";

    private static CustomerLinkRecord ReadLink(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), Sql.Text(r, 3), Sql.LongOr0(r, 4), Sql.LongOr0(r, 5), Sql.LongOr0(r, 6), Sql.Long(r, 7), Sql.Text(r, 8));
}
