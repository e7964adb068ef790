using System.Data.Common;

namespace Terminal.Gateway.Storage;

/// <summary>
/// An operation's first database step, carried by the claim of its device request (<see cref="GatewayStore.ClaimAsync"/>):
/// the same round trip and the same transaction, after the claim's statements, so a relayed pay or inquiry costs the
/// database one round trip less. A step that writes does so only when the claim is made (its SQL checks
/// <see cref="GatewayStore.ClaimedSql"/>); what a step read counts only then (<see cref="Ran"/>).
/// </summary>
public abstract class ClaimRider
{
    /// <summary>True when the claim was made and the step ran with it; else the operation takes the step itself.</summary>
    public bool Ran { get; internal set; }

    /// <summary>The claim's SQL followed by the step's: one constant text per kind of step.</summary>
    internal abstract string ClaimSql { get; }

    internal abstract int ParameterCount { get; }

    /// <summary>The step's values; their names start with r_, apart from the claim's.</summary>
    internal abstract void WriteParameters(Span<(string, object?)> into);

    /// <summary>A row of one of the step's result sets.</summary>
    internal abstract void Read(DbDataReader r);
}

/// <summary>
/// A pay's payment row, reserved with the claim: inserted unless its paymentRequestId is known, and the row then stored
/// (this one or an older one) read back, as <see cref="GatewayStore.ReservePaymentAsync"/> does on its own.
/// </summary>
public class PaymentReservation(PaymentRecord payment, long checkAfterMs) : ClaimRider
{
    /// <summary>The reservation alone (<see cref="GatewayStore.ReservePaymentAsync"/>).</summary>
    internal static readonly string AloneSql = ReserveSql("1 = 1");

    private static readonly string Sql = GatewayStore.ClaimSql + "; " + ReserveSql(GatewayStore.ClaimedSql);

    /// <remarks>INSERT ... SELECT for the condition; SQLite needs a WHERE before ON CONFLICT there in any case.</remarks>
    private static string ReserveSql(string condition) =>
        "INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at, " +
        "payment_code_hash, check_after, reference_order_id) SELECT @r_prid, @r_d, @r_m, @r_s, @r_cur, @r_amt, NULL, @r_st, @r_now, @r_now, CAST(@r_code AS TEXT), @r_check, " +
        "CAST(@r_ref AS TEXT) WHERE " + condition + " ON CONFLICT (payment_request_id) DO NOTHING; " +
        GatewayStore.PaymentSelect + " WHERE payment_request_id = @r_prid";

    public PaymentRecord Payment { get; } = payment;

    public long CheckAfterMs { get; } = checkAfterMs;

    /// <summary>The row stored under the paymentRequestId once the step ran.</summary>
    public PaymentRecord? Row { get; private set; }

    internal override string ClaimSql => Sql;

    internal override int ParameterCount => 11;

    internal override void WriteParameters(Span<(string, object?)> into)
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

    internal override void Read(DbDataReader r) => Row = GatewayStore.ReadPayment(r);
}

/// <summary>
/// An inquiry's payment (by paymentRequestId) and its final notification, read with the claim: what
/// <see cref="GatewayStore.FindPaymentWithFinalNotificationAsync"/> reads on its own.
/// </summary>
public sealed class PaymentLookup(string paymentRequestId) : ClaimRider
{
    /// <summary>The lookup's statements alone (<see cref="GatewayStore.FindPaymentWithFinalNotificationAsync"/>).</summary>
    internal static readonly string LookupSql = GatewayStore.PaymentWithFinalNotificationSql.Replace("@prid", "@r_prid", StringComparison.Ordinal);

    private static readonly string Sql = GatewayStore.ClaimSql + "; " + LookupSql;

    private PaymentRecord? _payment;
    private NotificationRecord? _final;

    public string PaymentRequestId { get; } = paymentRequestId;

    public PaymentRecord? Payment => _payment;

    /// <summary>The payment's final notification (null when there is no payment).</summary>
    public NotificationRecord? Final => _payment == null ? null : _final;

    internal override string ClaimSql => Sql;

    internal override int ParameterCount => 1;

    internal override void WriteParameters(Span<(string, object?)> into) => into[0] = ("r_prid", PaymentRequestId);

    internal override void Read(DbDataReader r)
    {
        if (r.GetName(0) == "payment_request_id") _payment = GatewayStore.ReadPayment(r);
        else _final = GatewayStore.ReadNotification(r);
    }
}
