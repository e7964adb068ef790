namespace Terminal.AntomEmulator;

/// <summary><c>paymentFactor.inStorePaymentScenario</c>.</summary>
public enum PaymentScenario
{
    /// <summary>User-presented mode: the terminal scans the customer's payment code.</summary>
    PaymentCode,
    /// <summary>Merchant-presented mode: the terminal shows the order code the customer scans.</summary>
    OrderCode,
    /// <summary>Entry code: the customer scans a code at the entrance; the response has a redirectActionForm.</summary>
    EntryCode,
}

/// <summary>The emulator's view of a payment (inquiryPayment's <c>paymentStatus</c>).</summary>
public enum PaymentStatus
{
    /// <summary>PROCESSING: waiting for the customer.</summary>
    Processing,
    /// <summary>SUCCESS: paid.</summary>
    Success,
    /// <summary>FAIL: declined, invalid or expired code, or closed at expiry (ORDER_IS_CLOSED).</summary>
    Fail,
    /// <summary>CANCELLED by the merchant's cancel call.</summary>
    Cancelled,
}

/// <summary>inquiryRefund's <c>refundStatus</c>.</summary>
public enum RefundStatus
{
    /// <summary>PROCESSING: accepted, not settled (only while <see cref="EmulatorWallet.DeferRefunds"/> is on).</summary>
    Processing,
    /// <summary>SUCCESS.</summary>
    Success,
    /// <summary>FAIL (settled as failed through <see cref="EmulatorWallet.SettleRefund"/>).</summary>
    Fail,
}

/// <summary>Delivery state of a payment's notifyPayment.</summary>
public enum NotificationState
{
    /// <summary>Nothing to send (not final, no paymentNotifyUrl, or a failure while failures are not notified).</summary>
    None,
    /// <summary>Sending or waiting to retry.</summary>
    Pending,
    /// <summary>The receiver acknowledged with the documented JSON.</summary>
    Delivered,
    /// <summary>All attempts failed.</summary>
    GaveUp,
}

internal static class WireNames
{
    public static string Of(PaymentStatus status) => status switch
    {
        PaymentStatus.Processing => "PROCESSING",
        PaymentStatus.Success => "SUCCESS",
        PaymentStatus.Fail => "FAIL",
        PaymentStatus.Cancelled => "CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string Of(RefundStatus status) => status switch
    {
        RefundStatus.Processing => "PROCESSING",
        RefundStatus.Success => "SUCCESS",
        RefundStatus.Fail => "FAIL",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
