using System.Buffers;
using System.Text;
using System.Text.Json;
using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.Api;

/// <summary>
/// The few fields of an Antom body the gateway acts on, read in one forward pass without building a JSON tree:
/// <c>result.resultStatus</c>, <c>result.resultCode</c>, and the top-level ids and statuses of payments and refunds
/// (docs/antom-protocol.md sections 3.2-3.7). Anything else in the body is skipped. A body that is not a JSON object
/// reads as all nulls.
/// </summary>
public readonly record struct AntomAnswer(
    string? ResultStatus,
    string? ResultCode,
    string? PaymentRequestId,
    string? PaymentId,
    string? PaymentStatus,
    string? PaymentResultCode,
    string? RefundRequestId,
    string? RefundId,
    string? RefundStatus,
    string? NotifyType)
{
    public static AntomAnswer Read(string? body)
    {
        if (string.IsNullOrEmpty(body)) return default;
        int max = Encoding.UTF8.GetMaxByteCount(body.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            int n = Encoding.UTF8.GetBytes(body, buffer);
            return Read(buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static AntomAnswer Read(ReadOnlySpan<byte> utf8)
    {
        var a = new AntomAnswer();
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("resultStatus"u8)) a = a with { ResultStatus = Word(ref reader) };
                        else if (reader.ValueTextEquals("resultCode"u8)) a = a with { ResultCode = Word(ref reader) };
                        else Skip(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("paymentRequestId"u8)) a = a with { PaymentRequestId = String(ref reader) };
                else if (reader.ValueTextEquals("paymentId"u8)) a = a with { PaymentId = String(ref reader) };
                else if (reader.ValueTextEquals("paymentStatus"u8)) a = a with { PaymentStatus = Word(ref reader) };
                else if (reader.ValueTextEquals("paymentResultCode"u8)) a = a with { PaymentResultCode = Word(ref reader) };
                else if (reader.ValueTextEquals("refundRequestId"u8)) a = a with { RefundRequestId = String(ref reader) };
                else if (reader.ValueTextEquals("refundId"u8)) a = a with { RefundId = String(ref reader) };
                else if (reader.ValueTextEquals("refundStatus"u8)) a = a with { RefundStatus = Word(ref reader) };
                else if (reader.ValueTextEquals("notifyType"u8)) a = a with { NotifyType = String(ref reader) };
                else Skip(ref reader);
            }
            return a;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>
    /// <c>result.resultStatus</c> and <c>result.resultCode</c> only: what every answer is logged and counted by. Read
    /// twice or more per device request, so nothing else is turned into a string.
    /// </summary>
    public static (string? Status, string? Code) ReadResult(ReadOnlySpan<byte> utf8)
    {
        string? status = null, code = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return default;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("result"u8))
                {
                    Skip(ref reader);
                    continue;
                }
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("resultStatus"u8)) status = Word(ref reader);
                    else if (reader.ValueTextEquals("resultCode"u8)) code = Word(ref reader);
                    else Skip(ref reader);
                }
            }
            return (status, code);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The statuses and result codes the gateway itself acts on, as the constants they are compared with.</summary>
    private static readonly string[] Words =
    [
        "S", "F", "U", PaymentStatuses.Pending, PaymentStatuses.Processing, PaymentStatuses.Success, PaymentStatuses.Fail, PaymentStatuses.Cancelled,
        ResultCodes.ParamIllegal, ResultCodes.AccessDenied, ResultCodes.InvalidSignature, ResultCodes.KeyNotFound, ResultCodes.UnknownException,
        ResultCodes.RepeatReqInconsistent, ResultCodes.OrderNotExist, ResultCodes.CurrencyNotSupport, ResultCodes.PaymentAmountExceedLimit,
        "PAYMENT_IN_PROCESS", "ORDER_IS_CLOSED", "USER_PAYING",
    ];

    /// <summary>A status or code: one of <see cref="Words"/> without a new string when it is one (the common case on every
    /// answer), else as <see cref="String"/>.</summary>
    private static string? Word(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }
        if (!reader.ValueIsEscaped)
        {
            foreach (string word in Words)
            {
                if (reader.ValueTextEquals(word)) return word;
            }
        }
        return reader.GetString();
    }

    /// <summary>The value of the property just read, when it is a string; any other value is skipped and reads as null.</summary>
    private static string? String(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
