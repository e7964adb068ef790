using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Terminal.Core.Json;

namespace Terminal.Benchmarks.Primitives;

/// <summary>
/// Writes the pay request of Fixtures/antom/requests/pay-payment-code.json (772 bytes) field by field.
/// The baseline is System.Text.Json's Utf8JsonWriter with the relaxed encoder, so both write the same bytes, the
/// fixture's; amounts are formatted from a long on both sides.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class JsonWriteBenchmarks
{
    private readonly JsonWriter _ours = new(new byte[1024]);
    private readonly ArrayBufferWriter<byte> _stjBuffer = new(1024);
    private readonly byte[] _amount = new byte[20];
    private Utf8JsonWriter _stj = null!;
    private long _value = 1280;

    [GlobalSetup]
    public void Setup()
    {
        _stj = new Utf8JsonWriter(_stjBuffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false });
        byte[] fixture = AntomFixtures.Read("requests/pay-payment-code.json");
        if (Ours() != SystemTextJson() || !_ours.Buffer.AsSpan(0, _ours.Length).SequenceEqual(_stjBuffer.WrittenSpan)
            || !_ours.Buffer.AsSpan(0, _ours.Length).SequenceEqual(fixture))
        {
            throw new InvalidOperationException("the two writers disagree, or differ from the fixture");
        }
    }

    [Benchmark(Baseline = true, Description = "Utf8JsonWriter pay request")]
    public int SystemTextJson()
    {
        _stjBuffer.ResetWrittenCount();
        _stj.Reset();
        Utf8JsonWriter w = _stj;
        w.WriteStartObject();
        w.WriteString("productCode", "IN_STORE_PAYMENT");
        w.WriteString("paymentRequestId", "T004200000000031704A9C2F5");
        w.WriteStartObject("paymentAmount");
        w.WriteString("currency", "SGD");
        WriteAmount(w);
        w.WriteEndObject();
        w.WriteStartObject("paymentMethod");
        w.WriteString("paymentMethodType", "CONNECT_WALLET");
        w.WriteString("paymentMethodId", "253917024605118273390264");
        w.WriteEndObject();
        w.WriteStartObject("paymentFactor");
        w.WriteString("inStorePaymentScenario", "PaymentCode");
        w.WriteEndObject();
        w.WriteStartObject("order");
        w.WriteString("referenceOrderId", "POS7-20260314-0117");
        w.WriteString("orderDescription", "2 flat whites, 1 kaya toast set");
        w.WriteStartObject("orderAmount");
        w.WriteString("currency", "SGD");
        WriteAmount(w);
        w.WriteEndObject();
        w.WriteStartObject("merchant");
        w.WriteString("referenceMerchantId", "M-SG-0048213");
        w.WriteString("merchantName", "Harbour Lane Bakery");
        w.WriteString("merchantMCC", "5462");
        w.WriteStartObject("store");
        w.WriteString("referenceStoreId", "S-0048213-02");
        w.WriteString("storeName", "Harbour Lane Bakery Tanjong Pagar");
        w.WriteString("storeMCC", "5462");
        w.WriteString("storeTerminalId", "T0042");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("env");
        w.WriteString("storeTerminalId", "T0042");
        w.WriteString("storeTerminalRequestTime", "2026-03-14T09:41:27+08:00");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return _stjBuffer.WrittenCount;
    }

    private void WriteAmount(Utf8JsonWriter w)
    {
        Utf8Formatter.TryFormat(_value, _amount, out int n);
        w.WriteString("value", _amount.AsSpan(0, n));
    }

    [Benchmark(Description = "JsonWriter pay request")]
    public int Ours()
    {
        JsonWriter w = _ours;
        w.Reset();
        w.StartObject();
        w.WriteString("productCode", "IN_STORE_PAYMENT");
        w.WriteString("paymentRequestId", "T004200000000031704A9C2F5");
        w.StartObject("paymentAmount");
        w.WriteString("currency", "SGD");
        w.WriteNumberAsString("value", _value);
        w.EndObject();
        w.StartObject("paymentMethod");
        w.WriteString("paymentMethodType", "CONNECT_WALLET");
        w.WriteString("paymentMethodId", "253917024605118273390264");
        w.EndObject();
        w.StartObject("paymentFactor");
        w.WriteString("inStorePaymentScenario", "PaymentCode");
        w.EndObject();
        w.StartObject("order");
        w.WriteString("referenceOrderId", "POS7-20260314-0117");
        w.WriteString("orderDescription", "2 flat whites, 1 kaya toast set");
        w.StartObject("orderAmount");
        w.WriteString("currency", "SGD");
        w.WriteNumberAsString("value", _value);
        w.EndObject();
        w.StartObject("merchant");
        w.WriteString("referenceMerchantId", "M-SG-0048213");
        w.WriteString("merchantName", "Harbour Lane Bakery");
        w.WriteString("merchantMCC", "5462");
        w.StartObject("store");
        w.WriteString("referenceStoreId", "S-0048213-02");
        w.WriteString("storeName", "Harbour Lane Bakery Tanjong Pagar");
        w.WriteString("storeMCC", "5462");
        w.WriteString("storeTerminalId", "T0042");
        w.EndObject();
        w.EndObject();
        w.StartObject("env");
        w.WriteString("storeTerminalId", "T0042");
        w.WriteString("storeTerminalRequestTime", "2026-03-14T09:41:27+08:00");
        w.EndObject();
        w.EndObject();
        w.EndObject();
        return w.Length;
    }
}
