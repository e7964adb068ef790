using System.Buffers.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Terminal.Core.Json;
using OurTokenType = Terminal.Core.Json.JsonTokenType;
using StjTokenType = System.Text.Json.JsonTokenType;

namespace Terminal.Benchmarks.Primitives;

/// <summary>
/// Reads Fixtures/antom/responses/pay-payment-code-success.json (indented, 906 bytes) as the payment engine would:
/// the three amounts, the result status and the payment id (copied as UTF-8); everything else is skipped.
/// Both readers validate the whole document. Neither materialises a string.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class JsonReadBenchmarks
{
    private readonly JsonReader _ours = new(16, 512);
    private readonly byte[] _scratch = new byte[64];
    private byte[] _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _json = AntomFixtures.Read("responses/pay-payment-code-success.json");
        if (Ours() != SystemTextJson() || Ours() != 1280 + 6864 + 7400 + 1)
        {
            throw new InvalidOperationException("the two readers disagree");
        }
    }

    [Benchmark(Baseline = true, Description = "Utf8JsonReader pay response")]
    public long SystemTextJson()
    {
        var r = new Utf8JsonReader(_json);
        long sum = 0;
        r.Read();
        while (r.Read() && r.TokenType == StjTokenType.PropertyName)
        {
            if (r.ValueTextEquals("paymentAmount"u8) || r.ValueTextEquals("actualPaymentAmount"u8) || r.ValueTextEquals("grossSettlementAmount"u8))
            {
                r.Read();
                while (r.Read() && r.TokenType == StjTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("value"u8))
                    {
                        r.Read();
                        Utf8Parser.TryParse(r.ValueSpan, out long value, out _);
                        sum += value;
                    }
                    else
                    {
                        r.Skip();
                    }
                }
            }
            else if (r.ValueTextEquals("result"u8))
            {
                r.Read();
                while (r.Read() && r.TokenType == StjTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("resultStatus"u8))
                    {
                        r.Read();
                        sum += r.ValueTextEquals("S"u8) ? 1 : r.ValueTextEquals("F"u8) ? 2 : 3;
                    }
                    else
                    {
                        r.Skip();
                    }
                }
            }
            else if (r.ValueTextEquals("paymentId"u8))
            {
                r.Read();
                r.CopyString(_scratch);
            }
            else
            {
                r.Skip();
            }
        }

        return sum;
    }

    [Benchmark(Description = "JsonReader pay response")]
    public long Ours()
    {
        JsonReader r = _ours;
        r.Reset(_json, 0, _json.Length);
        long sum = 0;
        r.Read();
        while (r.Read() && r.TokenType == OurTokenType.PropertyName)
        {
            if (r.ValueEquals("paymentAmount") || r.ValueEquals("actualPaymentAmount") || r.ValueEquals("grossSettlementAmount"))
            {
                r.Read();
                while (r.Read() && r.TokenType == OurTokenType.PropertyName)
                {
                    if (r.ValueEquals("value"))
                    {
                        r.Read();
                        r.TryGetInt64FromString(out long value);
                        sum += value;
                    }
                    else
                    {
                        r.Skip();
                    }
                }
            }
            else if (r.ValueEquals("result"))
            {
                r.Read();
                while (r.Read() && r.TokenType == OurTokenType.PropertyName)
                {
                    if (r.ValueEquals("resultStatus"))
                    {
                        r.Read();
                        sum += r.ValueEquals("S") ? 1 : r.ValueEquals("F") ? 2 : 3;
                    }
                    else
                    {
                        r.Skip();
                    }
                }
            }
            else if (r.ValueEquals("paymentId"))
            {
                r.Read();
                r.CopyString(_scratch, 0, _scratch.Length);
            }
            else
            {
                r.Skip();
            }
        }

        return sum;
    }
}
