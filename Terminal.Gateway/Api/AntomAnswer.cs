using System.Buffers;
using System.Text;
using System.Text.Json;

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
                        if (reader.ValueTextEquals("resultStatus"u8)) a = a with { ResultStatus = String(ref reader) };
                        else if (reader.ValueTextEquals("resultCode"u8)) a = a with { ResultCode = String(ref reader) };
                        else Skip(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("paymentRequestId"u8)) a = a with { PaymentRequestId = String(ref reader) };
                else if (reader.ValueTextEquals("paymentId"u8)) a = a with { PaymentId = String(ref reader) };
                else if (reader.ValueTextEquals("paymentStatus"u8)) a = a with { PaymentStatus = String(ref reader) };
                else if (reader.ValueTextEquals("paymentResultCode"u8)) a = a with { PaymentResultCode = String(ref reader) };
                else if (reader.ValueTextEquals("refundRequestId"u8)) a = a with { RefundRequestId = String(ref reader) };
                else if (reader.ValueTextEquals("refundId"u8)) a = a with { RefundId = String(ref reader) };
                else if (reader.ValueTextEquals("refundStatus"u8)) a = a with { RefundStatus = String(ref reader) };
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
