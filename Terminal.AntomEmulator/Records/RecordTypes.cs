namespace Terminal.AntomEmulator;

/// <summary>A snapshot of one payment as the emulator sees it (for assertions and the simulator's comparisons).</summary>
/// <param name="ClientId">The merchant Client-Id that created it.</param>
/// <param name="PaymentId">Antom's id.</param>
/// <param name="PaymentRequestId">The merchant's id.</param>
/// <param name="Scenario">PaymentCode, OrderCode or EntryCode.</param>
/// <param name="Amount">paymentAmount.</param>
/// <param name="Status">Current status.</param>
/// <param name="ResultCode">paymentResultCode (PAYMENT_IN_PROCESS, SUCCESS, the decline code, ORDER_IS_CLOSED, ...).</param>
/// <param name="CreateTime">When pay was accepted (emulator clock).</param>
/// <param name="ExpiryTime">When a PROCESSING payment closes.</param>
/// <param name="PaymentTime">When it succeeded.</param>
/// <param name="CancelTime">When it was cancelled.</param>
/// <param name="PaymentMethodId">PaymentCode: the customer's code.</param>
/// <param name="CodeValue">OrderCode/EntryCode: the URL the customer scans.</param>
/// <param name="NotifyUrl">paymentNotifyUrl.</param>
/// <param name="RefundedValue">Sum of successful refunds, minor units.</param>
/// <param name="Notification">Delivery state of notifyPayment.</param>
/// <param name="RedirectUrl">OrderCode/EntryCode: paymentRedirectUrl of the pay request.</param>
public sealed record PaymentRecord(
    string ClientId,
    string PaymentId,
    string PaymentRequestId,
    PaymentScenario Scenario,
    AntomAmount Amount,
    PaymentStatus Status,
    string ResultCode,
    DateTimeOffset CreateTime,
    DateTimeOffset ExpiryTime,
    DateTimeOffset? PaymentTime,
    DateTimeOffset? CancelTime,
    string? PaymentMethodId,
    string? CodeValue,
    string? NotifyUrl,
    long RefundedValue,
    NotificationState Notification,
    string? RedirectUrl);

/// <summary>A snapshot of one refund.</summary>
/// <param name="ClientId">The merchant Client-Id.</param>
/// <param name="RefundId">Antom's id.</param>
/// <param name="RefundRequestId">The merchant's id.</param>
/// <param name="PaymentId">The refunded payment.</param>
/// <param name="Amount">refundAmount.</param>
/// <param name="Status">Current status.</param>
/// <param name="ResultCode">SUCCESS, REFUND_IN_PROCESS or the failure code.</param>
/// <param name="CreateTime">When refund was accepted.</param>
/// <param name="RefundTime">When it succeeded.</param>
public sealed record RefundRecord(
    string ClientId,
    string RefundId,
    string RefundRequestId,
    string PaymentId,
    AntomAmount Amount,
    RefundStatus Status,
    string ResultCode,
    DateTimeOffset CreateTime,
    DateTimeOffset? RefundTime);

/// <summary>One notifyPayment attempt.</summary>
/// <param name="PaymentId">The notified payment.</param>
/// <param name="Url">paymentNotifyUrl.</param>
/// <param name="Attempt">1 for the first try.</param>
/// <param name="Time">When it was sent (emulator clock).</param>
/// <param name="HttpStatus">The receiver's status code; null when there was no HTTP answer.</param>
/// <param name="Acknowledged">True when the body was the documented acknowledgement JSON.</param>
/// <param name="Error">Why it did not count (transport error, bad status, wrong body); null when acknowledged.</param>
public sealed record NotificationAttempt(
    string PaymentId,
    string Url,
    int Attempt,
    DateTimeOffset Time,
    int? HttpStatus,
    bool Acknowledged,
    string? Error);
