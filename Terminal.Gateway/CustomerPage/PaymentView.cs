using Terminal.Gateway.Storage;

namespace Terminal.Gateway.CustomerPage;

/// <summary>What the customer is told, in words (the page never says it with colour alone).</summary>
public enum PageState
{
    /// <summary>Not final yet (PENDING, PROCESSING): "not paid yet", the page reloads itself.</summary>
    Processing,
    Paid,
    /// <summary>FAIL: the wallet declined or the payment failed.</summary>
    NotPaid,
    /// <summary>FAIL with ORDER_IS_CLOSED: the order code expired before it was paid.</summary>
    Expired,
    /// <summary>CANCELLED with no record of a payment: an abort or an expiry close by the terminal (or a void whose
    /// success the gateway never learnt: the text covers both).</summary>
    Cancelled,
    /// <summary>CANCELLED after a recorded success: the store voided the payment.</summary>
    Reversed,
    /// <summary>Paid, and a refund is under way.</summary>
    RefundPending,
    PartlyRefunded,
    Refunded,
}

/// <summary>The page's content, computed from the gateway's records only (never from the request that opened it).</summary>
public sealed record PaymentView(
    PageState State,
    string? StoreName,
    string Currency,
    long AmountMinor,
    long RefundedMinor,
    DateTimeOffset Time,
    string? PaymentIdEnd)
{
    /// <summary>How many trailing characters of Antom's paymentId the page shows: enough for the store to find the
    /// payment with the time and amount, too few to be used as the id.</summary>
    public const int PaymentIdShown = 6;

    public bool IsOpen => State == PageState.Processing;

    /// <param name="payment">The payments row.</param>
    /// <param name="refunds">Its refunds rows.</param>
    /// <param name="successNotified">True when Antom notified success for it (tells a void from a cancel).</param>
    /// <param name="resultCode">paymentResultCode known for a failure (notification or the page's inquiry), or null.</param>
    public static PaymentView From(PaymentRecord payment, IReadOnlyList<RefundRecord> refunds, bool successNotified, string? resultCode, string? storeName)
    {
        long refunded = refunds.Where(r => r.Status == "SUCCESS").Sum(r => r.AmountMinor);
        bool refundOpen = refunds.Any(r => r.Status is "PENDING" or "PROCESSING");
        PageState state = payment.Status switch
        {
            "SUCCESS" when refunded >= payment.AmountMinor => PageState.Refunded,
            "SUCCESS" when refundOpen => PageState.RefundPending,
            "SUCCESS" when refunded > 0 => PageState.PartlyRefunded,
            "SUCCESS" => PageState.Paid,
            "FAIL" when resultCode == "ORDER_IS_CLOSED" => PageState.Expired,
            "FAIL" => PageState.NotPaid,
            "CANCELLED" when successNotified => PageState.Reversed,
            "CANCELLED" => PageState.Cancelled,
            _ => PageState.Processing,
        };
        string? end = payment.PaymentId is { Length: > PaymentIdShown } id ? id[^PaymentIdShown..] : null;
        return new PaymentView(state, storeName, payment.Currency, payment.AmountMinor, Math.Min(refunded, payment.AmountMinor),
            DateTimeOffset.FromUnixTimeMilliseconds(payment.CreatedAt), end);
    }
}
