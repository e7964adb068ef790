using System.Text.Json.Nodes;
using Terminal.Gateway.Api;

namespace Terminal.Gateway.AntomRelay;

/// <summary>
/// The answer a request gets when it was left in flight by a crash and resolved afterwards by an inquiry
/// (<see cref="PendingResolver"/>), for the device that sends the same signed request again. Only what the inquiry
/// proves is said; anything else is U, which a terminal resolves by inquiring itself (docs/architecture.md section 6):
/// <list type="bullet">
/// <item>inquiryPayment, inquiryRefund: the inquiry's answer itself;</item>
/// <item>pay with a payment code: S with the payment's ids, amount and times when paymentStatus is SUCCESS, F with
/// its paymentResultCode when FAIL (an order-code pay is always U: its QR code cannot be rebuilt);</item>
/// <item>cancel: S when paymentStatus is CANCELLED; refund: S when refundStatus is SUCCESS.</item>
/// </list>
/// </summary>
public static class ResolvedAnswers
{
    public static string For(string operation, JsonObject? request, JsonObject? inquiry, string inquiryText)
    {
        bool answered = AntomJson.Str(inquiry, "result", "resultStatus") == "S";
        string? paymentStatus = AntomJson.Str(inquiry, "paymentStatus")?.ToUpperInvariant();
        string? refundStatus = AntomJson.Str(inquiry, "refundStatus")?.ToUpperInvariant();
        switch (operation)
        {
            case DeviceOperations.InquiryPayment:
            case DeviceOperations.InquiryRefund:
                return inquiryText;
            case DeviceOperations.Pay when answered && AntomJson.Str(request, "paymentFactor", "inStorePaymentScenario") == "PaymentCode":
                if (paymentStatus == "SUCCESS")
                    return Answer(AntomJson.ResultObject("S", ResultCodes.Success, "success"), inquiry!,
                        "paymentRequestId", "paymentId", "paymentAmount", "paymentCreateTime", "paymentTime");
                if (paymentStatus == "FAIL")
                    return Answer(AntomJson.ResultObject("F", AntomJson.Str(inquiry, "paymentResultCode") ?? "PROCESS_FAIL",
                        AntomJson.Str(inquiry, "paymentResultMessage") ?? "payment failed"), inquiry!, "paymentRequestId", "paymentId");
                break;
            case DeviceOperations.Cancel when answered && paymentStatus == "CANCELLED":
                return Answer(AntomJson.ResultObject("S", ResultCodes.Success, "success"), inquiry!, "paymentRequestId", "paymentId");
            case DeviceOperations.Refund when answered && refundStatus == "SUCCESS":
                return Answer(AntomJson.ResultObject("S", ResultCodes.Success, "success"), inquiry!,
                    "refundRequestId", "refundId", "refundAmount", "refundTime");
        }

        string found = !answered ? $"{AntomJson.Str(inquiry, "result", "resultCode") ?? "no answer"} to an inquiry"
            : paymentStatus != null ? "paymentStatus " + paymentStatus
            : refundStatus != null ? "refundStatus " + refundStatus : "no status";
        string next = operation is DeviceOperations.Refund ? "call inquiryRefund" : "call inquiryPayment";
        return AntomJson.Result("U", ResultCodes.UnknownException, $"gateway: restarted while this request was in flight; Antom reports {found}; {next}");
    }

    private static string Answer(JsonObject result, JsonObject inquiry, params string[] fields)
    {
        var answer = new JsonObject { ["result"] = result };
        foreach (string field in fields)
        {
            if (inquiry.TryGetPropertyValue(field, out var value) && value != null) answer[field] = value.DeepClone();
        }
        return AntomJson.Serialize(answer);
    }
}
