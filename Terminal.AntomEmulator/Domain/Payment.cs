using System.Text.Json.Serialization;

namespace Terminal.AntomEmulator;

/// <summary>A payment as the emulator holds it (mutable, guarded by <see cref="EmulatorState.Gate"/>; persisted as JSON).</summary>
internal sealed class Payment
{
    public string ClientId { get; set; } = string.Empty;

    public string PaymentId { get; set; } = string.Empty;

    public string PaymentRequestId { get; set; } = string.Empty;

    public PaymentScenario Scenario { get; set; }

    public string Currency { get; set; } = string.Empty;

    public long Value { get; set; }

    /// <summary>PaymentCode: the scanned customer code.</summary>
    public string? PaymentMethodId { get; set; }

    /// <summary>OrderCode/EntryCode: the code URL the customer scans.</summary>
    public string? CodeValue { get; set; }

    public string? NotifyUrl { get; set; }

    /// <summary>OrderCode/EntryCode: paymentRedirectUrl, where the wallet sends the customer when the payment is done.</summary>
    public string? RedirectUrl { get; set; }

    public DateTimeOffset CreateTime { get; set; }

    public DateTimeOffset ExpiryTime { get; set; }

    public DateTimeOffset? PaymentTime { get; set; }

    public DateTimeOffset? CancelTime { get; set; }

    public PaymentStatus Status { get; set; }

    /// <summary>paymentResultCode: PAYMENT_IN_PROCESS, SUCCESS, the decline code, ORDER_IS_CLOSED ...</summary>
    public string ResultCode { get; set; } = ResultCodes.PaymentInProcess;

    public string ResultMessage { get; set; } = "payment in process";

    public string WalletCurrency { get; set; } = string.Empty;

    public string SettlementCurrency { get; set; } = string.Empty;

    /// <summary>Set once the customer is known (PaymentCode at once, OrderCode when scanned).</summary>
    public string? PspCustomerId { get; set; }

    public string? DisplayCustomerId { get; set; }

    public string PspName { get; set; } = string.Empty;

    public NotificationState Notification { get; set; }

    [JsonIgnore]
    public AntomAmount Amount => new(Currency, Value);

    [JsonIgnore]
    public bool IsFinal => Status != PaymentStatus.Processing;
}

/// <summary>A refund (mutable, guarded by <see cref="EmulatorState.Gate"/>).</summary>
internal sealed class Refund
{
    public string ClientId { get; set; } = string.Empty;

    public string RefundId { get; set; } = string.Empty;

    public string RefundRequestId { get; set; } = string.Empty;

    public string PaymentId { get; set; } = string.Empty;

    public string Currency { get; set; } = string.Empty;

    public long Value { get; set; }

    public RefundStatus Status { get; set; }

    public string ResultCode { get; set; } = ResultCodes.Success;

    public string ResultMessage { get; set; } = "success";

    public DateTimeOffset CreateTime { get; set; }

    public DateTimeOffset? RefundTime { get; set; }

    [JsonIgnore]
    public AntomAmount Amount => new(Currency, Value);
}

/// <summary>A payment code the simulated wallet issued, with the outcome it will produce.</summary>
internal sealed class IssuedCode
{
    public string Code { get; set; } = string.Empty;

    public PaymentCodeOutcomeKind Outcome { get; set; }

    public string? DeclineCode { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string? UsedByPaymentId { get; set; }
}
