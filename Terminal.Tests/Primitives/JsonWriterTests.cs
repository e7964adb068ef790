using System.Text;
using System.Text.Json;
using CsCheck;
using Terminal.Core.Json;
using Xunit;

namespace Terminal.Tests.Primitives;

public class JsonWriterTests
{
    private static string Text(JsonWriter w) => Encoding.UTF8.GetString(w.Buffer, 0, w.Length);

    [Fact]
    public void Output_equals_Utf8JsonWriter_with_relaxed_escaping_for_random_documents()
    {
        JsonDocuments.BmpNode(4).Sample(node =>
        {
            byte[] expected = JsonDocuments.WriteWithSystemTextJson(node);
            byte[] actual = JsonDocuments.WriteWithOurs(node);
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
            Assert.Equal(expected, actual);
        }, iter: 2000);
    }

    [Theory]
    [InlineData("\"", "\\\"")]
    [InlineData("\\", "\\\\")]
    [InlineData("\b\t\n\f\r", "\\b\\t\\n\\f\\r")]
    [InlineData("\u0000\u001f", "\\u0000\\u001F")]
    [InlineData("/<>&'+\u007f", "/<>&'+\\u007F")]
    [InlineData("é€中😀", "é€中😀")]
    public void Escapes_only_what_RFC_8259_requires(string value, string expectedInner)
    {
        var w = new JsonWriter(new byte[64]);
        w.WriteStringValue(value);
        Assert.Equal("\"" + expectedInner + "\"", Text(w));
    }

    [Fact]
    public void Lone_surrogates_become_U_FFFD()
    {
        var w = new JsonWriter(new byte[64]);
        w.WriteStringValue("\ud800x\udc00");
        Assert.Equal("\"\ufffdx\ufffd\"", Text(w));
    }

    [Fact]
    public void Default_System_Text_Json_escaping_differs_only_in_the_documented_way()
    {
        // Documented difference: STJ's default encoder writes '"' as \u0022 and escapes HTML-sensitive and
        // non-ASCII characters; control characters and backslash come out the same as ours. Even its relaxed
        // encoder escapes characters beyond U+FFFF (as \uD83D\uDE00), which we write as UTF-8.
        var stream = new MemoryStream();
        using (var stj = new Utf8JsonWriter(stream))
        {
            stj.WriteStringValue("\"\\\n\u0001<é");
        }

        Assert.Equal("\"\\u0022\\\\\\n\\u0001\\u003C\\u00E9\"", Encoding.UTF8.GetString(stream.ToArray()));
        var w = new JsonWriter(new byte[64]);
        w.WriteStringValue("\"\\\n\u0001<é");
        Assert.Equal("\"\\\"\\\\\\n\\u0001<é\"", Text(w));

        stream.SetLength(0);
        using (var relaxed = new Utf8JsonWriter(stream, JsonDocuments.RelaxedOptions))
        {
            relaxed.WriteStringValue("😀");
        }

        Assert.Equal("\"\\uD83D\\uDE00\"", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Utf8_value_overload_escapes_and_rejects_invalid_utf8()
    {
        var w = new JsonWriter(new byte[64]);
        w.StartObject();
        byte[] value = Encoding.UTF8.GetBytes("a\"b\n€");
        w.WriteString("k", value, 0, value.Length);
        int before = w.Length;
        Assert.Throws<ArgumentException>(() => w.WriteString("bad", new byte[] { 0x61, 0xC0, 0x80 }, 0, 3));
        Assert.Equal(before, w.Length);
        w.EndObject();
        Assert.Equal("{\"k\":\"a\\\"b\\n€\"}", Text(w));
    }

    [Fact]
    public void Long_extremes_are_written_exactly()
    {
        var w = new JsonWriter(new byte[128]);
        w.StartObject();
        w.WriteNumber("min", long.MinValue);
        w.WriteNumber("max", long.MaxValue);
        w.WriteNumberAsString("zero", 0);
        w.EndObject();
        Assert.Equal("{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"zero\":\"0\"}", Text(w));
    }

    public static TheoryData<string, Action<JsonWriter>> Misuses => new()
    {
        { "value in object without a name", w => { w.StartObject(); w.WriteStringValue("x"); } },
        { "name at root", w => w.WritePropertyName("x") },
        { "name in array", w => { w.StartArray(); w.WriteString("n", "v"); } },
        { "two names", w => { w.StartObject(); w.WritePropertyName("a"); w.WritePropertyName("b"); } },
        { "end object after name", w => { w.StartObject(); w.WritePropertyName("a"); w.EndObject(); } },
        { "end array in object", w => { w.StartObject(); w.EndArray(); } },
        { "end object in array", w => { w.StartArray(); w.EndObject(); } },
        { "end at root", w => w.EndObject() },
        { "second root", w => { w.StartObject(); w.EndObject(); w.StartArray(); } },
        { "second root scalar", w => { w.WriteNumberValue(1); w.WriteNumberValue(2); } },
        { "too deep", w => { for (int i = 0; i <= JsonWriter.MaxDepth; i++) w.StartArray(); } },
    };

    [Theory]
    [MemberData(nameof(Misuses))]
    public void Structural_misuse_throws_InvalidOperationException(string what, Action<JsonWriter> misuse)
    {
        var e = Assert.Throws<InvalidOperationException>(() => misuse(new JsonWriter(new byte[256])));
        Assert.StartsWith("JSON writer misuse: ", e.Message);
        Assert.NotEmpty(what);
    }

    [Fact]
    public void Failed_structural_call_leaves_output_unchanged()
    {
        var w = new JsonWriter(new byte[64]);
        w.StartObject();
        w.WriteString("a", "b");
        Assert.Throws<InvalidOperationException>(() => w.WriteStringValue("x"));
        Assert.Throws<InvalidOperationException>(() => w.EndArray());
        w.EndObject();
        Assert.Equal("{\"a\":\"b\"}", Text(w));
    }

    [Fact]
    public void Too_small_buffer_throws_with_needed_and_available_and_loses_nothing()
    {
        var node = new JObject(new (string, JNode)[]
        {
            ("paymentRequestId", new JString("PR-\"1\"")),
            ("paymentAmount", new JObject(new (string, JNode)[] { ("currency", new JString("USD")), ("value", new JNumberText(1250)) })),
            ("list", new JArray(new JNode[] { new JNumber(-5), new JBool(true), new JNull() })),
        });
        byte[] full = JsonDocuments.WriteWithOurs(node);
        for (int size = 0; size < full.Length; size++)
        {
            var e = Assert.Throws<JsonBufferTooSmallException>(() => JsonDocuments.WriteWithOurs(node, size));
            Assert.Equal(size, e.Available);
            Assert.True(e.Needed > size, $"needed {e.Needed} for size {size}");
            Assert.Contains("needs " + e.Needed + " bytes, has " + size, e.Message);
        }

        Assert.Equal(full, JsonDocuments.WriteWithOurs(node, full.Length));
    }

    [Fact]
    public void After_buffer_too_small_the_writer_state_is_intact()
    {
        var w = new JsonWriter(new byte[12]);
        w.StartObject();
        w.WriteString("a", "b");
        Assert.Throws<JsonBufferTooSmallException>(() => w.WriteString("long", "value"));
        Assert.Equal("{\"a\":\"b\"", Text(w));
        w.EndObject();
        Assert.Equal("{\"a\":\"b\"}", Text(w));
    }

    [Fact]
    public void Reset_starts_a_new_document()
    {
        var w = new JsonWriter(new byte[32]);
        w.StartArray();
        w.WriteNumberValue(1);
        w.Reset();
        Assert.Equal(0, w.Length);
        w.StartObject();
        w.EndObject();
        Assert.True(w.IsComplete);
        Assert.Equal("{}", Text(w));
    }

    [Fact]
    public void Writing_a_pay_request_allocates_nothing()
    {
        var w = new JsonWriter(new byte[1024]);
        PayRequest.Write(w);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            w.Reset();
            PayRequest.Write(w);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Pay_request_bytes_equal_the_Antom_fixture()
    {
        var w = new JsonWriter(new byte[1024]);
        PayRequest.Write(w);
        string fixture = Encoding.UTF8.GetString(Fixtures.Read("requests/pay-payment-code.json")).Trim();
        Assert.Equal(fixture, Text(w));
        using var _ = JsonDocument.Parse(w.Buffer.AsMemory(0, w.Length));
    }
}
