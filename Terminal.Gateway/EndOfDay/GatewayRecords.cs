namespace Terminal.Gateway.EndOfDay;

/// <summary>A payment as the gateway's records have it, for reconciliation (times in epoch milliseconds).</summary>
public sealed record GatewayPayment(
    string PaymentRequestId, string? PaymentId, string DeviceId, string StoreId, string Currency, long AmountMinor, string Status,
    long CreatedAt, long UpdatedAt);

/// <summary>A refund as the gateway's records have it, for reconciliation.</summary>
public sealed record GatewayRefund(
    string RefundRequestId, string? RefundId, string PaymentId, string DeviceId, string StoreId, string Currency, long AmountMinor, string Status,
    long CreatedAt, long UpdatedAt);
