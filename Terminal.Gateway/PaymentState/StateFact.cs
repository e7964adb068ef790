namespace Terminal.Gateway.PaymentState;

public enum StateSubject
{
    Payment,
    Refund,
}

/// <summary>
/// What one verified message from Antom says about a payment or refund: its Antom id and status, either of which may
/// be unknown. <see cref="RequestId"/> is the merchant's id (paymentRequestId or refundRequestId), the key of the row;
/// <see cref="Source"/> says which record it came from (kept in the row as <c>status_source</c> when it moves the status).
/// Facts are applied with <see cref="PaymentStatuses"/>' forward-only rule, in the same database transaction as the
/// record they came from.
/// </summary>
public sealed record StateFact(StateSubject Subject, string RequestId, string? AntomId, string? Status, string Source)
{
    public bool IsEmpty => AntomId == null && Status == null;
}
