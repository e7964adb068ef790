using System.Text;
using System.Text.Json;
using CsCheck;
using Terminal.Core.Json;
using Xunit;
using OurJsonException = Terminal.Core.Json.JsonException;
using OurTokenType = Terminal.Core.Json.JsonTokenType;
using StjTokenType = System.Text.Json.JsonTokenType;

namespace Terminal.Tests.Primitives;

public class JsonReaderTests
{
    private const int Depth = 64;
    private const int MaxString = 1 << 20;

    private static JsonReader Reader(string json, int maxDepth = Depth, int maxString = MaxString)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        var r = new JsonReader(maxDepth, maxString);
        r.Reset(bytes, 0, bytes.Length);
        return r;
    }

    private static OurJsonException Error(string json, int maxDepth = Depth, int maxString = MaxString)
        => ErrorOf(Encoding.UTF8.GetBytes(json), maxDepth, maxString);

    private static OurJsonException ErrorOf(byte[] bytes, int maxDepth = Depth, int maxString = MaxString)
    {
        var r = new JsonReader(maxDepth, maxString);
        r.Reset(bytes, 0, bytes.Length);
        return Assert.Throws<OurJsonException>(() =>
        {
            while (r.Read())
            {
                if (r.TokenType is OurTokenType.String or OurTokenType.PropertyName)
                {
                    r.GetString();
                }
            }
        });
    }

    /// <summary>The token stream as text, with every value materialised, for comparing two readers.</summary>
    private static List<string> OurTokens(byte[] json)
    {
        var r = new JsonReader(Depth, MaxString);
        r.Reset(json, 0, json.Length);
        var tokens = new List<string>();
        while (r.Read())
        {
            tokens.Add(Describe((StjTokenType)StjType(r.TokenType), r.CurrentDepth, r.TokenStart, r.TokenType switch
            {
                OurTokenType.String or OurTokenType.PropertyName => r.GetString(),
                OurTokenType.Number => r.TryGetInt64(out long n) ? n.ToString() : "non-integer",
                OurTokenType.True or OurTokenType.False => r.GetBoolean().ToString(),
                _ => null,
            }));
        }

        return tokens;
    }

    private static List<string> StjTokens(byte[] json)
    {
        var r = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Depth });
        var tokens = new List<string>();
        while (r.Read())
        {
            tokens.Add(Describe(r.TokenType, r.CurrentDepth, (int)r.TokenStartIndex, r.TokenType switch
            {
                StjTokenType.String or StjTokenType.PropertyName => r.GetString(),
                StjTokenType.Number => r.TryGetInt64(out long n) && IsIntegerText(r.ValueSpan) ? n.ToString() : "non-integer",
                StjTokenType.True or StjTokenType.False => r.GetBoolean().ToString(),
                _ => null,
            }));
        }

        return tokens;
    }

    private static bool IsIntegerText(ReadOnlySpan<byte> number) => number.IndexOfAny("."u8.ToArray().Concat("eE"u8.ToArray()).ToArray()) < 0;

    private static int StjType(OurTokenType t) => t switch
    {
        OurTokenType.String => (int)StjTokenType.String,
        OurTokenType.Number => (int)StjTokenType.Number,
        OurTokenType.True => (int)StjTokenType.True,
        OurTokenType.False => (int)StjTokenType.False,
        OurTokenType.Null => (int)StjTokenType.Null,
        _ => (int)t, // None..PropertyName share their values
    };

    private static string Describe(StjTokenType type, int depth, int start, string? value) => $"{type}@{start}/d{depth}:{value}";

    /// <summary>True if System.Text.Json accepts the whole document (strings materialised, as ours validates them).</summary>
    private static bool StjAccepts(byte[] json)
    {
        try
        {
            StjTokens(json);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false; // invalid UTF-8 or unpaired surrogate escapes surface on GetString
        }
    }

    private static bool OursAccepts(byte[] json)
    {
        try
        {
            OurTokens(json);
            return true;
        }
        catch (OurJsonException)
        {
            return false;
        }
    }

    [Fact]
    public void Token_stream_equals_Utf8JsonReader_on_random_documents()
    {
        Gen.Select(JsonDocuments.Node(4), Gen.Bool).Sample((node, indented) =>
        {
            byte[] json = JsonDocuments.WriteWithSystemTextJson(node, indented);
            Assert.Equal(StjTokens(json), OurTokens(json));
        }, iter: 1000);
    }

    [Fact]
    public void Reads_back_what_our_writer_wrote()
    {
        JsonDocuments.Node(4).Sample(node =>
        {
            byte[] json = JsonDocuments.WriteWithOurs(node);
            Assert.Equal(StjTokens(json), OurTokens(json));
        }, iter: 1000);
    }

    [Fact]
    public void Accepts_exactly_what_Utf8JsonReader_accepts_on_mutated_documents()
    {
        byte[] interesting = "{}[],:\"\\/ 0123456789-+.eEtrufalsn\t\n\r\u0001"u8.ToArray().Concat(new byte[] { 0x80, 0xC0, 0xE2, 0xED, 0xF0, 0xF5, 0xFF }).ToArray();
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1 << 16], Gen.Int[0, interesting.Length - 1], Gen.Int[1, 3]);
        Gen.Select(JsonDocuments.Node(3), mutation.Array[1, 3]).Sample((node, mutations) =>
        {
            var bytes = new List<byte>(JsonDocuments.WriteWithSystemTextJson(node));
            foreach (var (kind, at, with, count) in mutations)
            {
                int i = bytes.Count == 0 ? 0 : at % bytes.Count;
                switch (kind)
                {
                    case 0 when bytes.Count > 0: bytes[i] = interesting[with]; break;
                    case 1: bytes.Insert(i, interesting[with]); break;
                    case 2 when bytes.Count > 0: bytes.RemoveRange(i, Math.Min(count, bytes.Count - i)); break;
                    case 3: bytes.RemoveRange(i, bytes.Count - i); break;
                }
            }

            byte[] json = bytes.ToArray();
            if (json.Length >= 3 && json[0] == 0xEF && json[1] == 0xBB && json[2] == 0xBF)
            {
                return; // System.Text.Json skips a UTF-8 BOM; RFC 8259 lets a parser reject it, and we do
            }

            bool stj = StjAccepts(json);
            Assert.True(stj == OursAccepts(json), $"STJ accepts: {stj} for {Convert.ToHexString(json)}");
            if (stj)
            {
                Assert.Equal(StjTokens(json), OurTokens(json));
            }
        }, iter: 5000);
    }

    [Fact]
    public void Every_truncation_of_a_document_fails_at_its_end()
    {
        JsonDocuments.Container.Sample(node =>
        {
            byte[] json = JsonDocuments.WriteWithSystemTextJson(node);
            for (int length = 0; length < json.Length; length++)
            {
                var e = ErrorOf(json.AsSpan(0, length).ToArray());

                // At the cut, or (cut inside a multi-byte character) at the start of that character.
                Assert.InRange(e.BytePosition, Math.Max(0, length - 3), length);
                if (e.BytePosition == length)
                {
                    Assert.EndsWith("found end of input", e.Message);
                }
            }
        }, iter: 200);
    }

    [Fact]
    public void Every_truncation_of_the_pay_response_fails()
    {
        byte[] json = Fixtures.Read("responses/pay-payment-code-success.json");
        for (int length = 0; length < json.Length; length++)
        {
            var e = ErrorOf(json.AsSpan(0, length).ToArray());
            Assert.InRange(e.BytePosition, 0, length);
        }
    }

    [Theory]
    [InlineData("", 0, "expected a JSON value at byte 0, found end of input")]
    [InlineData("   ", 3, "expected a JSON value at byte 3, found end of input")]
    [InlineData("{\"a\":1 \"b\":2}", 7, "expected ',' or '}' at byte 7, found 0x22")]
    [InlineData("[1 2]", 3, "expected ',' or ']' at byte 3, found '2'")]
    [InlineData("[1,]", 3, "expected a value after ',' (no trailing commas) at byte 3, found ']'")]
    [InlineData("{\"a\":1,}", 7, "expected '\"' to start a property name after ',' at byte 7, found '}'")]
    [InlineData("{,}", 1, "expected '\"' or '}' at byte 1, found ','")]
    [InlineData("{\"a\" 1}", 5, "expected ':' after the property name at byte 5, found '1'")]
    [InlineData("{1:2}", 1, "expected '\"' or '}' at byte 1, found '1'")]
    [InlineData("[01]", 2, "expected '.', 'e' or the end of the number after a leading 0 at byte 2, found '1'")]
    [InlineData("[-]", 2, "expected a digit at byte 2, found ']'")]
    [InlineData("[1.]", 3, "expected a digit after '.' at byte 3, found ']'")]
    [InlineData("[1e+]", 4, "expected a digit in the exponent at byte 4, found ']'")]
    [InlineData("[.5]", 1, "expected a JSON value at byte 1, found '.'")]
    [InlineData("[+1]", 1, "expected a JSON value at byte 1, found '+'")]
    [InlineData("[NaN]", 1, "expected a JSON value at byte 1, found 'N'")]
    [InlineData("[Infinity]", 1, "expected a JSON value at byte 1, found 'I'")]
    [InlineData("[tru]", 4, "expected 'true' at byte 4, found ']'")]
    [InlineData("[nul", 4, "expected 'null' at byte 4, found end of input")]
    [InlineData("[True]", 1, "expected a JSON value at byte 1, found 'T'")]
    [InlineData("{} {}", 3, "expected end of input after the root value at byte 3, found '{'")]
    [InlineData("1 2", 2, "expected end of input after the root value at byte 2, found '2'")]
    [InlineData("[1]]", 3, "expected end of input after the root value at byte 3, found ']'")]
    [InlineData("// c\n1", 0, "expected a JSON value at byte 0, found '/'")]
    [InlineData("[1/*c*/]", 2, "expected ',' or ']' at byte 2, found '/'")]
    [InlineData("['a']", 1, "expected a JSON value at byte 1, found 0x27")]
    [InlineData("[\"a\tb\"]", 3, "expected a string character (control characters must be escaped) at byte 3, found 0x09")]
    [InlineData("[\"a", 3, "expected '\"' to close the string at byte 3, found end of input")]
    [InlineData("[\"\\x\"]", 3, "expected an escape character (one of \" \\ / b f n r t u) at byte 3, found 'x'")]
    [InlineData("[\"\\u12G4\"]", 6, "expected a hex digit in a \\u escape at byte 6, found 'G'")]
    [InlineData("[\"\\u12\"]", 6, "expected a hex digit in a \\u escape at byte 6, found 0x22")]
    [InlineData("[\"\\uD800\"]", 8, "expected a \\u low surrogate escape after a high surrogate at byte 8, found 0x22")]
    [InlineData("[\"\\uD800\\u0041\"]", 8, "expected a low surrogate (\\uDC00-\\uDFFF) after a high surrogate at byte 8, found '\\'")]
    [InlineData("[\"\\uDC00\"]", 2, "expected a high surrogate before a low surrogate escape at byte 2, found '\\'")]
    [InlineData("\u00a0[]", 0, "expected a JSON value at byte 0, found 0xC2")]
    public void Malformed_input_reports_position_and_offending_byte(string json, int position, string message)
    {
        var e = Error(json);
        Assert.Equal(message, e.Message);
        Assert.Equal(position, e.BytePosition);
    }

    [Theory]
    [InlineData(new byte[] { 0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D }, 2)]        // overlong '/'
    [InlineData(new byte[] { 0x5B, 0x22, 0xE0, 0x80, 0xAF, 0x22, 0x5D }, 2)]  // overlong '/' in three bytes
    [InlineData(new byte[] { 0x5B, 0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22, 0x5D }, 2)] // overlong in four bytes
    [InlineData(new byte[] { 0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D }, 2)]  // encoded surrogate U+D800
    [InlineData(new byte[] { 0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D }, 2)] // above U+10FFFF
    [InlineData(new byte[] { 0x5B, 0x22, 0x61, 0x80, 0x22, 0x5D }, 3)]        // lone continuation byte
    [InlineData(new byte[] { 0x5B, 0x22, 0xE2, 0x82, 0x22, 0x5D }, 2)]        // truncated sequence
    [InlineData(new byte[] { 0x5B, 0x22, 0xFF, 0x22, 0x5D }, 2)]
    public void Invalid_utf8_in_strings_is_rejected_at_its_first_byte(byte[] json, int position)
    {
        var e = ErrorOf(json);
        Assert.Equal(position, e.BytePosition);
        Assert.StartsWith("expected valid UTF-8 at byte " + position, e.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted_and_beyond_it_rejected()
    {
        string ok = new string('[', 10) + new string(']', 10);
        var r = Reader(ok, maxDepth: 10);
        int maxSeen = 0;
        while (r.Read())
        {
            maxSeen = Math.Max(maxSeen, r.CurrentDepth);
        }

        Assert.Equal(9, maxSeen);
        var e = Error("{\"a\":" + new string('[', 10) + new string(']', 10) + "}", maxDepth: 10);
        Assert.Equal(14, e.BytePosition);
        Assert.Equal("nesting deeper than 10 levels at byte 14", e.Message);

        byte[] deep = Encoding.ASCII.GetBytes(new string('[', 100000));
        Assert.Equal(Depth, ErrorOf(deep).BytePosition);
    }

    [Fact]
    public void String_length_limit_counts_unescaped_bytes()
    {
        Assert.True(ReadAll("[\"abcd\"]", maxString: 4));
        Assert.True(ReadAll("[\"\\u0041\\u0042\\u0043\\u0044\"]", maxString: 4)); // 24 raw bytes, 4 unescaped
        Assert.True(ReadAll("[\"\\uD83D\\uDE00\"]", maxString: 4));               // one 4-byte character
        var e = Error("[1,\"abcde\"]", maxString: 4);
        Assert.Equal(3, e.BytePosition);
        Assert.Equal("string longer than 4 bytes at byte 3", e.Message);
        Assert.Equal(1, Error("{\"abcde\":1}", maxString: 4).BytePosition);
    }

    private static bool ReadAll(string json, int maxDepth = Depth, int maxString = MaxString)
    {
        var r = Reader(json, maxDepth, maxString);
        while (r.Read())
        {
        }

        return true;
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Integers_within_range_are_read(string json, long expected)
    {
        var r = Reader(json);
        Assert.True(r.Read());
        Assert.True(r.TryGetInt64(out long value));
        Assert.Equal(expected, value);
        Assert.Equal(expected, r.GetInt64());
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("-0.5E-7")]
    public void Huge_or_non_integer_numbers_are_valid_json_but_not_int64(string json)
    {
        var r = Reader("[" + json + "]");
        r.Read();
        Assert.True(r.Read());
        Assert.Equal(OurTokenType.Number, r.TokenType);
        Assert.False(r.TryGetInt64(out _));
        var e = Assert.Throws<OurJsonException>(() => r.GetInt64());
        Assert.Equal(1, e.BytePosition);
        Assert.True(r.Read());
        Assert.False(r.Read());
    }

    [Theory]
    [InlineData("\"1250\"", true, 1250L)]
    [InlineData("\"-7\"", true, -7L)]
    [InlineData("\"\\u0031\\u0032\"", true, 12L)]
    [InlineData("\"12.5\"", false, 0L)]
    [InlineData("\" 12\"", false, 0L)]
    [InlineData("\"\"", false, 0L)]
    [InlineData("\"99999999999999999999\"", false, 0L)]
    [InlineData("\"1\\u00e9\"", false, 0L)]
    public void Numbers_in_strings_are_read_as_Antom_sends_amounts(string json, bool ok, long expected)
    {
        var r = Reader(json);
        r.Read();
        Assert.Equal(ok, r.TryGetInt64FromString(out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("\"resultStatus\"", "resultStatus", true)]
    [InlineData("\"resultStatus\"", "resultStatu", false)]
    [InlineData("\"resultStatus\"", "resultStatusX", false)]
    [InlineData("\"result\\u0053tatus\"", "resultStatus", true)]
    [InlineData("\"a\\\"b\"", "a\"b", true)]
    [InlineData("\"\\/\"", "/", true)]
    [InlineData("\"caf\u00e9\"", "café", true)]
    [InlineData("\"caf\\u00e9\"", "café", true)]
    [InlineData("\"caf\\u00e9\"", "cafe", false)]
    [InlineData("\"\\uD83D\\uDE00\"", "😀", true)]
    [InlineData("\"😀\"", "😀", true)]
    [InlineData("\"\"", "", true)]
    [InlineData("\"\"", "a", false)]
    public void ValueEquals_compares_unescaped_text(string json, string text, bool expected)
    {
        var r = Reader(json);
        r.Read();
        Assert.Equal(expected, r.ValueEquals(text));
    }

    [Fact]
    public void CopyString_writes_unescaped_utf8_and_refuses_more_than_maxCount()
    {
        var r = Reader("[\"a\\n\\u00e9\\uD83D\\uDE00\",\"plain\"]");
        r.Read();
        r.Read();
        var dst = new byte[16];
        int n = r.CopyString(dst, 2, 8);
        Assert.Equal(Encoding.UTF8.GetBytes("a\né😀"), dst.AsSpan(2, n).ToArray());
        var e = Assert.Throws<OurJsonException>(() => r.CopyString(dst, 0, 7));
        Assert.Equal(1, e.BytePosition);
        r.Read();
        Assert.Equal(5, r.CopyString(dst, 0, 5));
        Assert.Throws<OurJsonException>(() => r.CopyString(dst, 0, 4));
        Assert.Throws<ArgumentException>(() => r.CopyString(dst, 12, 5));
    }

    [Fact]
    public void Skip_skips_property_values_and_containers()
    {
        var r = Reader("{\"a\":{\"x\":[1,{\"y\":2}],\"z\":\"s\"},\"b\":[[]],\"c\":3,\"d\":4}");
        r.Read();
        r.Read();
        Assert.True(r.ValueEquals("a"));
        r.Skip();
        Assert.Equal(OurTokenType.EndObject, r.TokenType);
        Assert.Equal(1, r.CurrentDepth);
        r.Read();
        Assert.True(r.ValueEquals("b"));
        r.Read();
        r.Skip();
        Assert.Equal(OurTokenType.EndArray, r.TokenType);
        r.Read();
        Assert.True(r.ValueEquals("c"));
        r.Skip();
        Assert.Equal(OurTokenType.Number, r.TokenType);
        r.Read();
        r.Read();
        r.Skip(); // on a scalar: nothing
        Assert.Equal(4, r.GetInt64());
        r.Read();
        Assert.Equal(OurTokenType.EndObject, r.TokenType);
        Assert.False(r.Read());
    }

    [Fact]
    public void Wrong_token_type_is_misuse_not_malformed_input()
    {
        var r = Reader("[\"s\",1,true]");
        Assert.Throws<InvalidOperationException>(() => r.ValueEquals("x"));
        r.Read();
        Assert.Throws<InvalidOperationException>(() => r.GetString());
        r.Read();
        Assert.Throws<InvalidOperationException>(() => r.GetBoolean());
        Assert.Throws<InvalidOperationException>(() => r.TryGetInt64(out _));
        r.Read();
        Assert.Throws<InvalidOperationException>(() => r.TryGetInt64FromString(out _));
        Assert.Throws<InvalidOperationException>(() => new JsonReader(4, 4).Read());
    }

    [Fact]
    public void After_an_error_Read_keeps_throwing_until_Reset()
    {
        byte[] bad = Encoding.ASCII.GetBytes("[1,]");
        var r = new JsonReader(8, 8);
        r.Reset(bad, 0, bad.Length);
        r.Read();
        r.Read();
        var first = Assert.Throws<OurJsonException>(() => r.Read());
        var again = Assert.Throws<OurJsonException>(() => r.Read());
        Assert.Same(first, again);
        byte[] good = Encoding.ASCII.GetBytes("[]");
        r.Reset(good, 0, good.Length);
        Assert.True(r.Read());
    }

    [Fact]
    public void Positions_count_from_the_reset_offset()
    {
        byte[] framed = Encoding.ASCII.GetBytes("xx{\"a\":tru}yy");
        var r = new JsonReader(8, 8);
        r.Reset(framed, 2, framed.Length - 4);
        r.Read();
        Assert.Equal(0, r.TokenStart);
        r.Read();
        Assert.Equal(1, r.TokenStart);
        var e = Assert.Throws<OurJsonException>(() => r.Read());
        Assert.Equal(8, e.BytePosition);
        Assert.Equal("expected 'true' at byte 8, found '}'", e.Message);
    }

    [Fact]
    public void Reading_the_pay_response_allocates_nothing()
    {
        byte[] json = Fixtures.Read("responses/pay-payment-code-success.json");
        var r = new JsonReader(16, 256);
        var scratch = new byte[64];
        PayResponse.Read(r, json, scratch);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long total = 0;
        for (int i = 0; i < 100; i++)
        {
            total += PayResponse.Read(r, json, scratch);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(100 * (1280 + 6864 + 7400 + 1), total);
    }
}
