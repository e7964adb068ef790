using Terminal.Gateway.Api;

namespace Terminal.Gateway.PaymentState;

/// <summary>
/// Turns a verified Antom answer or notification into the <see cref="StateFact"/> it proves (docs/antom-protocol.md
/// sections 3 and 4). The same function serves the live relay, notifications, the resolver's inquiries and the repair
/// pass that re-reads recorded answers, so a payment's state is always what its records say.
/// </summary>
public static class PaymentFacts
{
    /// <summary>
    /// Failure codes that are about the request, not the payment it names: Antom refused the call before processing a
    /// payment (signature, client, interface), or the id belongs to an earlier request with other fields
    /// (REPEAT_REQ_INCONSISTENT: the original payment stands). They never mark a payment or refund FAIL.
    /// </summary>
    private static readonly HashSet<string> NotAboutThePayment = new(StringComparer.Ordinal)
    {
        "REPEAT_REQ_INCONSISTENT", "INVALID_SIGNATURE", "KEY_NOT_FOUND", "INVALID_CLIENT", "INVALID_CLIENT_STATUS", "UNKNOWN_CLIENT",
        "CLIENT_FORBIDDEN_ACCESS_API", "NO_INTERFACE_DEF", "MEDIA_TYPE_NOT_ACCEPTABLE", "METHOD_NOT_SUPPORTED", "REQUEST_TRAFFIC_EXCEED_LIMIT",
    };

    /// <summary>
    /// What an answer of <paramref name="operation"/> proves. <paramref name="requestId"/> is the payment's (or refund's)
    /// request id as the gateway knows it, used when the answer does not repeat it; <paramref name="paymentCode"/> says
    /// whether a pay was a payment-code pay (S = paid) rather than an order code (S = order created, customer not paid).
    /// Null when the answer proves nothing about a row.
    /// </summary>
    public static StateFact? FromAnswer(string operation, string? requestId, bool paymentCode, in AntomAnswer answer, string source)
    {
        switch (operation)
        {
            case "pay":
                {
                    string? id = answer.PaymentRequestId ?? requestId;
                    if (id == null) return null;
                    string? status = answer.ResultStatus switch
                    {
                        "S" => paymentCode ? PaymentStatuses.Success : PaymentStatuses.Processing,
                        "F" when !NotAboutThePayment.Contains(answer.ResultCode ?? "") => PaymentStatuses.Fail,
                        "U" when answer.ResultCode == "PAYMENT_IN_PROCESS" => PaymentStatuses.Processing,
                        _ => null,
                    };
                    return Fact(StateSubject.Payment, id, answer.ResultStatus == "F" ? null : answer.PaymentId, status, source);
                }
            case "inquiryPayment":
                {
                    if (answer.ResultStatus != "S") return null;
                    string? id = answer.PaymentRequestId ?? requestId;
                    return id == null ? null : Fact(StateSubject.Payment, id, answer.PaymentId, PaymentStatuses.Known(answer.PaymentStatus), source);
                }
            case "cancel":
                {
                    string? id = answer.PaymentRequestId ?? requestId;
                    return answer.ResultStatus != "S" || id == null ? null : Fact(StateSubject.Payment, id, answer.PaymentId, PaymentStatuses.Cancelled, source);
                }
            case "refund":
                {
                    string? id = answer.RefundRequestId ?? requestId;
                    if (id == null) return null;
                    string? status = answer.ResultStatus switch
                    {
                        "S" => PaymentStatuses.Success,
                        "F" when !NotAboutThePayment.Contains(answer.ResultCode ?? "") => PaymentStatuses.Fail,
                        "U" when answer.ResultCode == "REFUND_IN_PROCESS" => PaymentStatuses.Processing,
                        _ => null,
                    };
                    return Fact(StateSubject.Refund, id, answer.ResultStatus == "F" ? null : answer.RefundId, status, source);
                }
            case "inquiryRefund":
                {
                    if (answer.ResultStatus != "S") return null;
                    string? id = answer.RefundRequestId ?? requestId;
                    string? status = PaymentStatuses.Known(answer.RefundStatus);
                    if (status is PaymentStatuses.Cancelled or PaymentStatuses.Pending) status = null; // not refund statuses
                    return id == null ? null : Fact(StateSubject.Refund, id, answer.RefundId, status, source);
                }
            default:
                return null;
        }
    }

    /// <summary>A notifyPayment: PAYMENT_RESULT S or F is final; PAYMENT_PENDING (the customer completed, the result follows) is PROCESSING.</summary>
    public static StateFact? FromNotification(in AntomAnswer notification, string source)
    {
        if (notification.PaymentRequestId == null) return null;
        string? status = notification.NotifyType switch
        {
            "PAYMENT_RESULT" => notification.ResultStatus switch { "S" => PaymentStatuses.Success, "F" => PaymentStatuses.Fail, _ => null },
            "PAYMENT_PENDING" => PaymentStatuses.Processing,
            _ => null,
        };
        return Fact(StateSubject.Payment, notification.PaymentRequestId, notification.PaymentId, status, source);
    }

    private static StateFact? Fact(StateSubject subject, string id, string? antomId, string? status, string source)
    {
        var fact = new StateFact(subject, id, antomId, status, source);
        return fact.IsEmpty ? null : fact;
    }
}
