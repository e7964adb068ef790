namespace Terminal.Gateway.Storage;

/// <summary>Upstream outcome values stored in transactions.upstream_outcome.</summary>
public static class UpstreamOutcomes
{
    public const string Pending = "pending";
    public const string Ok = "ok";
    public const string Timeout = "timeout";
    public const string TransportError = "transport_error";
    public const string HttpError = "http_error";
    public const string BadSignature = "bad_signature";

    /// <summary>Antom answered INVALID_SIGNATURE, unsigned as it does: it could not verify the gateway's signature.</summary>
    public const string SignatureRefused = "signature_refused";
    public const string NotSent = "not_sent";
    public const string FromNotification = "from_notification";

    /// <summary>An inquiry of a payment the gateway knows CANCELLED from Antom's own answer, answered from its row.</summary>
    public const string FromRecord = "from_record";

    /// <summary>Left pending by a crash after it was sent; resolved later by an inquiry at Antom.</summary>
    public const string Resolved = "resolved";

    /// <summary>A resolution step whose answer could not be stored (the database failed, or the instance died, after the
    /// call): what it proved is unknown to the gateway, and a later step asks again.</summary>
    public const string Unrecorded = "unrecorded";
}

/// <summary>A signed device request as recorded before anything is sent upstream.</summary>
public sealed record NewTransaction(
    string Id,
    string DeviceId,
    string Operation,
    string RequestPath,
    long RequestTime,
    long ReceivedAt,
    string? PaymentRequestId,
    string? PaymentId,
    string? RefundRequestId,
    Utf8Text DeviceRequestBody,
    string Instance);

/// <summary>How a recorded request ended: what went upstream, what came back, what the device was answered.</summary>
public sealed record TransactionCompletion(
    Utf8Text? UpstreamRequestBody,
    long? UpstreamSentAt,
    long? UpstreamCompletedAt,
    int UpstreamAttempts,
    string UpstreamOutcome,
    int? UpstreamHttpStatus,
    string? UpstreamDetail,
    string ResponseBody,
    string? ResultStatus,
    string? ResultCode,
    long RespondedAt);

/// <summary>One row of the transactions table.</summary>
public sealed record TransactionRecord(
    string Id,
    string DeviceId,
    string Operation,
    string RequestPath,
    long RequestTime,
    long ReceivedAt,
    string? PaymentRequestId,
    string? PaymentId,
    string? RefundRequestId,
    string DeviceRequestBody,
    string? UpstreamRequestBody,
    long? UpstreamSentAt,
    long? UpstreamCompletedAt,
    int UpstreamAttempts,
    string UpstreamOutcome,
    int? UpstreamHttpStatus,
    string? UpstreamDetail,
    string? ResponseBody,
    string? ResultStatus,
    string? ResultCode,
    long? RespondedAt,
    string Instance,
    int ResolveAttempts = 0);

/// <summary>Result of claiming a replay key: either this request is new, or the recorded answer (null while another
/// request holding the key is still in flight).</summary>
public sealed record ReplayClaim(bool Claimed, string? RecordedResponse)
{
    public static readonly ReplayClaim New = new(true, null);
}

/// <summary>What a replay key holds: <see cref="Gone"/> when it was released or purged, else its answer (null while in flight).</summary>
public sealed record ReplayAnswer(bool Gone, string? Body);

/// <summary>Result of storing a device request's completion: whether this call completed the record, and what its
/// fact did to the payment or refund row (null without a fact, or when no row has that id).</summary>
public sealed record Completion(bool Stored, AppliedFact? Applied);

/// <summary>A payment or refund row after a fact was applied: its status and Antom id now, and whether the fact
/// contradicted a final status (SUCCESS against FAIL), which the row kept.</summary>
public sealed record AppliedFact(string Status, string? AntomId, bool Contradicted);

/// <summary>Ownership and latest known state of a payment made through the gateway. <see cref="ReferenceOrderId"/> (the
/// order's reference, for the console's search) is written when the row is reserved and not read back by the relay.</summary>
public sealed record PaymentRecord(
    string PaymentRequestId,
    string DeviceId,
    string ReferenceMerchantId,
    string ReferenceStoreId,
    string Currency,
    long AmountMinor,
    string? PaymentId,
    string Status,
    long CreatedAt,
    long UpdatedAt,
    long? CancelForwardedAt = null,
    string? PaymentCodeHash = null,
    string? StatusSource = null,
    long? CheckAfter = null,
    int Checks = 0,
    string? ReferenceOrderId = null);

public sealed record RefundRecord(
    string RefundRequestId,
    string DeviceId,
    string PaymentId,
    string Currency,
    long AmountMinor,
    string? RefundId,
    string Status,
    long CreatedAt,
    long UpdatedAt,
    string? StatusSource = null,
    long? CheckAfter = null,
    int Checks = 0);

/// <summary>A verified notifyPayment; duplicates of the same notification share one row (see Duplicates).</summary>
public sealed record NotificationRecord(
    string NotificationKey,
    string NotifyType,
    string? PaymentRequestId,
    string? PaymentId,
    string? ResultStatus,
    string? ResultCode,
    string ClientId,
    string RequestTime,
    string Body,
    long ReceivedAt,
    long Duplicates,
    long LastReceivedAt);

/// <summary>Rows deleted by one retention purge.</summary>
public sealed record PurgeCounts(long Transactions, long Notifications, long Payments, long Refunds, long ResolutionSteps = 0, long ResolutionItems = 0);

/// <summary>One call the resolver made to Antom on its own (table resolution_steps): recorded before it is sent,
/// completed with the answer and what it proved.</summary>
public sealed record ResolutionStepRecord(
    string Id,
    string Subject,
    string RequestId,
    string? TransactionId,
    string Reason,
    string Operation,
    string RequestBody,
    long StartedAt,
    string UpstreamOutcome,
    string? ResponseBody,
    string? ResultStatus,
    string? ResultCode,
    string? LearntAntomId,
    string? LearntStatus,
    long? CompletedAt,
    string Instance);

/// <summary>Result of recording a notification: new or a duplicate, and what it did to the payment row.</summary>
public sealed record RecordedNotification(bool IsNew, AppliedFact? Applied);
