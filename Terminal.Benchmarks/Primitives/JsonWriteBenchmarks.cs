using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Terminal.Core.Json;

namespace Terminal.Benchmarks.Primitives;

/// <summary>
/// Writes the pay request of fixtures/antom-mocks/requests/upcp.json (707 bytes) field by field.
/// The baseline is System.Text.Json's Utf8JsonWriter with the relaxed encoder, so both write the same bytes;
/// amounts are formatted from a long on both sides.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class JsonWriteBenchmarks
{
    private readonly JsonWriter _ours = new(new byte[1024]);
    private readonly ArrayBufferWriter<byte> _stjBuffer = new(1024);
    private readonly byte[] _amount = new byte[20];
    private Utf8JsonWriter _stj = null!;
    private long _value = 1000;

    [GlobalSetup]
    public void Setup()
    {
        _stj = new Utf8JsonWriter(_stjBuffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false });
        if (Ours() != SystemTextJson() || !_ours.Buffer.AsSpan(0, _ours.Length).SequenceEqual(_stjBuffer.WrittenSpan))
        {
            throw new InvalidOperationException("the two writers disagree");
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
        w.WriteString("paymentRequestId", "PR20190000000001_");
        w.WriteStartObject("paymentMethod");
        w.WriteString("paymentMethodId", "288888888888888888");
        w.WriteString("paymentMethodType", "CONNECT_WALLET");
        w.WriteEndObject();
        w.WriteStartObject("paymentFactor");
        w.WriteString("inStorePaymentScenario", "PaymentCode");
        w.WriteEndObject();
        w.WriteStartObject("paymentAmount");
        w.WriteString("currency", "JPY");
        WriteAmount(w);
        w.WriteEndObject();
        w.WriteStartObject("order");
        w.WriteString("referenceOrderId", "0000000001");
        w.WriteString("orderDescription", "New White Lace Sleeveless");
        w.WriteStartObject("orderAmount");
        w.WriteString("currency", "JPY");
        WriteAmount(w);
        w.WriteEndObject();
        w.WriteStartObject("merchant");
        w.WriteString("referenceMerchantId", "seller231117459");
        w.WriteString("merchantName", "Some_Mer");
        w.WriteString("merchantMCC", "7011");
        w.WriteStartObject("store");
        w.WriteString("referenceStoreId", "store231117459");
        w.WriteString("storeName", "Some_store");
        w.WriteString("storeMCC", "7011");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject("env");
        w.WriteString("storeTerminalId", "some_setStoreTerminalId");
        w.WriteString("storeTerminalRequestTime", "2020-06-11T13:35:02+08:00");
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
        w.WriteString("paymentRequestId", "PR20190000000001_");
        w.StartObject("paymentMethod");
        w.WriteString("paymentMethodId", "288888888888888888");
        w.WriteString("paymentMethodType", "CONNECT_WALLET");
        w.EndObject();
        w.StartObject("paymentFactor");
        w.WriteString("inStorePaymentScenario", "PaymentCode");
        w.EndObject();
        w.StartObject("paymentAmount");
        w.WriteString("currency", "JPY");
        w.WriteNumberAsString("value", _value);
        w.EndObject();
        w.StartObject("order");
        w.WriteString("referenceOrderId", "0000000001");
        w.WriteString("orderDescription", "New White Lace Sleeveless");
        w.StartObject("orderAmount");
        w.WriteString("currency", "JPY");
        w.WriteNumberAsString("value", _value);
        w.EndObject();
        w.StartObject("merchant");
        w.WriteString("referenceMerchantId", "seller231117459");
        w.WriteString("merchantName", "Some_Mer");
        w.WriteString("merchantMCC", "7011");
        w.StartObject("store");
        w.WriteString("referenceStoreId", "store231117459");
        w.WriteString("storeName", "Some_store");
        w.WriteString("storeMCC", "7011");
        w.EndObject();
        w.EndObject();
        w.StartObject("env");
        w.WriteString("storeTerminalId", "some_setStoreTerminalId");
        w.WriteString("storeTerminalRequestTime", "2020-06-11T13:35:02+08:00");
        w.EndObject();
        w.EndObject();
        w.EndObject();
        return w.Length;
    }
}
