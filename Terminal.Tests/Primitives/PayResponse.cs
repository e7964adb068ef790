using Terminal.Core.Json;

namespace Terminal.Tests.Primitives;

/// <summary>
/// Reads Fixtures/antom/responses/pay-payment-code-success.json the way the payment engine would: result status, the
/// amounts and the payment id, skipping everything else. Returns a checksum so the work cannot be elided.
/// </summary>
internal static class PayResponse
{
    public static long Read(JsonReader r, byte[] json, byte[] scratch)
    {
        r.Reset(json, 0, json.Length);
        long sum = 0;
        r.Read(); // StartObject
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueEquals("paymentAmount") || r.ValueEquals("actualPaymentAmount") || r.ValueEquals("grossSettlementAmount"))
            {
                sum += ReadAmount(r);
            }
            else if (r.ValueEquals("result"))
            {
                sum += ReadResult(r);
            }
            else if (r.ValueEquals("paymentId"))
            {
                r.Read();
                r.CopyString(scratch, 0, scratch.Length);
            }
            else
            {
                r.Skip();
            }
        }

        return sum;
    }

    private static long ReadAmount(JsonReader r)
    {
        long value = 0;
        r.Read(); // StartObject
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueEquals("value"))
            {
                r.Read();
                r.TryGetInt64FromString(out value);
            }
            else
            {
                r.Skip();
            }
        }

        return value;
    }

    private static long ReadResult(JsonReader r)
    {
        long status = 0;
        r.Read(); // StartObject
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueEquals("resultStatus"))
            {
                r.Read();
                status = r.ValueEquals("S") ? 1 : r.ValueEquals("F") ? 2 : 3;
            }
            else
            {
                r.Skip();
            }
        }

        return status;
    }
}
