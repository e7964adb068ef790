using System.Data.Common;

namespace Terminal.Gateway.Storage;

/// <summary>
/// An operation's first database step, carried by the claim of its device request (<see cref="GatewayStore.ClaimAsync"/>):
/// the same round trip and the same transaction as the claim's statements, so a relayed pay or inquiry costs the
/// database fewer round trips. A step that writes does so only when the claim is made (its SQL checks
/// <see cref="GatewayStore.ClaimedSql"/>); what a step read counts only then (<see cref="Ran"/>). The request's first
/// upstream attempt may be recorded too (<see cref="FirstAttempt"/>), so the operation sends it without another round
/// trip; should the operation then answer without sending, its completion clears the attempt
/// (<see cref="GatewayStore.CompleteAsync"/>). The attempt is written by the record's insert, the step's statements
/// going before it (<see cref="ClaimWithAttemptSql"/>): an UPDATE of the row just inserted would write it twice.
/// </summary>
public abstract class ClaimRider(FirstAttempt? attempt)
{
    private const string AttemptColumn = "upstream_attempts";

    /// <summary>True when the claim was made and the step ran with it; else the operation takes the step itself.</summary>
    public bool Ran { get; internal set; }

    /// <summary>The first attempt to record with the step; null when the operation records its attempts itself.</summary>
    public FirstAttempt? Attempt { get; } = attempt;

    /// <summary>True when the step recorded the request's first upstream attempt: attempt 1 may be sent without
    /// recording it again.</summary>
    public bool RecordedFirstAttempt { get; private set; }

    /// <summary>The claim's SQL followed by the step's, or <see cref="ClaimWithAttemptSql"/> when there is an attempt:
    /// one constant text per kind of step.</summary>
    internal abstract string ClaimSql { get; }

    internal int ParameterCount => StepParameterCount + (Attempt == null ? 0 : 3);

    /// <summary>The step's values, then the attempt's; their names start with r_, apart from the claim's.</summary>
    internal void WriteParameters(Span<(string, object?)> into)
    {
        WriteStepParameters(into);
        if (Attempt is not { } a) return;
        into[StepParameterCount] = ("r_ub", a.StoredBody);
        into[StepParameterCount + 1] = ("r_us", a.SentAt);
        into[StepParameterCount + 2] = ("r_live", a.LiveUntilMs);
    }

    /// <summary>A row of one of the step's result sets, or the record's attempts (1 when it holds the first).</summary>
    internal void Read(DbDataReader r)
    {
        if (r.GetName(0) == AttemptColumn) RecordedFirstAttempt = r.GetInt64(0) == 1;
        else ReadStep(r);
    }

    private protected abstract int StepParameterCount { get; }

    private protected abstract void WriteStepParameters(Span<(string, object?)> into);

    private protected abstract void ReadStep(DbDataReader r);

    /// <summary>The claim with <paramref name="stepSql"/> between the key's claim and the record's insert, the record
    /// written with the first attempt (what <see cref="GatewayStore.RecordUpstreamAttemptAsync"/> writes for attempt 1)
    /// when <paramref name="match"/> (an SQL truth value; it may read what the step wrote) is true, else with none. The
    /// insert returns the record's attempts: one row only when the claim was made.</summary>
    /// <remarks>LIMIT 1 keeps PostgreSQL from merging the one-row subquery into the insert, which would evaluate
    /// <paramref name="match"/> once per CASE.</remarks>
    private protected static string ClaimWithAttemptSql(string stepSql, string match) =>
        GatewayStore.KeyClaimSql + "; " + stepSql + "; " +
        "INSERT INTO transactions (" + GatewayStore.ClaimedColumns + ", upstream_request_body, upstream_sent_at, " + AttemptColumn + ", resolve_lease_until) " +
        "SELECT " + GatewayStore.ClaimedValues + ", CASE WHEN a.m THEN @r_ub END, CASE WHEN a.m THEN @r_us END, CASE WHEN a.m THEN 1 ELSE 0 END, " +
        "CASE WHEN a.m THEN @r_live END FROM (SELECT " + match + " AS m LIMIT 1) AS a WHERE " + GatewayStore.ClaimedSql + " RETURNING " + AttemptColumn + "; " +
        GatewayStore.KeyReadSql;
}

/// <summary>
/// The first upstream attempt of a request, recorded with its claim when the body to send is known before it: the
/// masked body as stored, its time and the lease it holds.
/// </summary>
public sealed record FirstAttempt(Utf8Text StoredBody, long SentAt, long LiveUntilMs);

/// <summary>
/// A pay's payment row, reserved with the claim: inserted unless its paymentRequestId is known, and the row then stored
/// (this one or an older one) read back, as <see cref="GatewayStore.ReservePaymentAsync"/> does on its own. With a
/// <see cref="FirstAttempt"/>, the attempt is recorded in the same transaction instead of reading the row back, and
/// only when the row stored is the one asked for (same device, currency, amount and payment code: the pay's own checks
/// of the row, which then pass).
/// </summary>
public class PaymentReservation(PaymentRecord payment, long checkAfterMs, FirstAttempt? attempt = null) : ClaimRider(attempt)
{
    /// <summary>The reservation alone (<see cref="GatewayStore.ReservePaymentAsync"/>).</summary>
    internal static readonly string AloneSql = InsertSql("1 = 1") + "; " + ReadBackSql;

    private static readonly string Sql = GatewayStore.ClaimSql + "; " + InsertSql(GatewayStore.ClaimedSql) + "; " + ReadBackSql;

    /// <remarks>The row is found by its key alone and compared after: with the columns in its WHERE, PostgreSQL's
    /// planner chose an index on amount_minor for the row just inserted and read 30 pages instead of 3.</remarks>
    private static readonly string SqlWithAttempt = ClaimWithAttemptSql(InsertSql(GatewayStore.ClaimedSql),
        "(SELECT device_id = @r_d AND currency = @r_cur AND amount_minor = @r_amt AND COALESCE(payment_code_hash, '') = COALESCE(CAST(@r_code AS TEXT), '') " +
        "FROM payments WHERE payment_request_id = @r_prid)");

    /// <remarks>INSERT ... SELECT for the condition; SQLite needs a WHERE before ON CONFLICT there in any case.</remarks>
    private static string InsertSql(string condition) =>
        "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at, " +
        "payment_code_hash, check_after, reference_order_id) SELECT @r_prid, @r_d, @r_m, @r_s, @r_cur, @r_amt, NULL, @r_st, @r_now, @r_now, CAST(@r_code AS TEXT), @r_check, " +
        "CAST(@r_ref AS TEXT) WHERE " + condition + " ON CONFLICT (payment_request_id) DO NOTHING";

    private const string ReadBackSql = GatewayStore.PaymentSelect + " WHERE payment_request_id = @r_prid";

    public PaymentRecord Payment { get; } = payment;

    public long CheckAfterMs { get; } = checkAfterMs;

    /// <summary>The row stored under the paymentRequestId once the step ran without an attempt; with one, not read
    /// (<see cref="ClaimRider.RecordedFirstAttempt"/> says the row is the one asked for).</summary>
    public PaymentRecord? Row { get; private set; }

    internal override string ClaimSql => Attempt == null ? Sql : SqlWithAttempt;

    private protected override int StepParameterCount => 11;

    private protected override void WriteStepParameters(Span<(string, object?)> into)
    {
        var p = Payment;
        into[0] = ("r_prid", p.PaymentRequestId);
        into[1] = ("r_d", p.DeviceId);
        into[2] = ("r_m", p.ReferenceMerchantId);
        into[3] = ("r_s", p.ReferenceStoreId);
        into[4] = ("r_cur", p.Currency);
        into[5] = ("r_amt", p.AmountMinor);
        into[6] = ("r_st", p.Status);
        into[7] = ("r_now", p.CreatedAt);
        into[8] = ("r_code", p.PaymentCodeHash);
        into[9] = ("r_check", CheckAfterMs);
        into[10] = ("r_ref", p.ReferenceOrderId);
    }

    private protected override void ReadStep(DbDataReader r) => Row = GatewayStore.ReadPayment(r);
}

/// <summary>
/// An inquiry's payment (by paymentRequestId) and its final notification, read with the claim: what
/// <see cref="GatewayStore.FindPaymentWithFinalNotificationAsync"/> reads on its own. With a <see cref="FirstAttempt"/>,
/// the inquiry's first attempt is recorded too, whatever the lookup finds: most inquiries are sent, and one answered
/// from the records has the attempt cleared by its completion.
/// </summary>
public sealed class PaymentLookup(string paymentRequestId, FirstAttempt? attempt = null) : ClaimRider(attempt)
{
    /// <summary>The lookup's statements alone (<see cref="GatewayStore.FindPaymentWithFinalNotificationAsync"/>).</summary>
    internal static readonly string LookupSql = GatewayStore.PaymentWithFinalNotificationSql.Replace("@prid", "@r_prid", StringComparison.Ordinal);

    private static readonly string Sql = GatewayStore.ClaimSql + "; " + LookupSql;

    private static readonly string SqlWithAttempt = ClaimWithAttemptSql(LookupSql, "1 = 1");

    private PaymentRecord? _payment;
    private NotificationRecord? _final;

    public string PaymentRequestId { get; } = paymentRequestId;

    public PaymentRecord? Payment => _payment;

    /// <summary>The payment's final notification (null when there is no payment).</summary>
    public NotificationRecord? Final => _payment == null ? null : _final;

    internal override string ClaimSql => Attempt == null ? Sql : SqlWithAttempt;

    private protected override int StepParameterCount => 1;

    private protected override void WriteStepParameters(Span<(string, object?)> into) => into[0] = ("r_prid", PaymentRequestId);

    private protected override void ReadStep(DbDataReader r)
    {
        if (r.GetName(0) == "payment_request_id") _payment = GatewayStore.ReadPayment(r);
        else _final = GatewayStore.ReadNotification(r);
    }
}
