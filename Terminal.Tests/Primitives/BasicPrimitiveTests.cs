using System.Security.Cryptography;
using System.Text;
using Terminal.Core.Crypto;
using Terminal.Core.Encoding;
using Terminal.Core.Json;
using Terminal.Core.Text;
using Xunit;

namespace Terminal.Tests.Primitives;

/// <summary>Smoke tests of each primitive against .NET; the thorough differential tests live beside this file.</summary>
public class BasicPrimitiveTests
{
    [Fact]
    public void Utf8_round_trips_a_three_byte_character()
    {
        var buffer = new byte[8];
        int n = Utf8.Encode("a€", buffer, 0);
        Assert.Equal(new byte[] { 0x61, 0xE2, 0x82, 0xAC }, buffer.AsSpan(0, n).ToArray());
        Assert.Equal("a€", Utf8.Decode(buffer, 0, n));
    }

    [Fact]
    public void JsonWriter_writes_compact_json_with_commas()
    {
        var w = new JsonWriter(new byte[256]);
        w.StartObject();
        w.WriteString("a", "x\"y");
        w.StartObject("amount");
        w.WriteString("currency", "USD");
        w.WriteNumberAsString("value", 1250);
        w.EndObject();
        w.WriteNumber("n", -7);
        w.WriteBoolean("b", true);
        w.WriteNull("z");
        w.StartArray("list");
        w.WriteStringValue("p");
        w.WriteStringValue("q");
        w.EndArray();
        w.EndObject();
        Assert.Equal("{\"a\":\"x\\\"y\",\"amount\":{\"currency\":\"USD\",\"value\":\"1250\"},\"n\":-7,\"b\":true,\"z\":null,\"list\":[\"p\",\"q\"]}",
            Encoding.UTF8.GetString(w.Buffer, 0, w.Length));
    }

    [Fact]
    public void JsonReader_reads_tokens_and_values()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"result\":{\"resultStatus\":\"S\"},\"value\":\"1250\",\"n\":12,\"ok\":false}");
        var r = new JsonReader(8, 64);
        r.Reset(json, 0, json.Length);
        Assert.True(r.Read());
        Assert.Equal(JsonTokenType.StartObject, r.TokenType);
        Assert.True(r.Read());
        Assert.True(r.ValueEquals("result"));
        r.Skip();
        Assert.Equal(JsonTokenType.EndObject, r.TokenType);
        Assert.True(r.Read());
        Assert.True(r.ValueEquals("value"));
        Assert.True(r.Read());
        Assert.True(r.TryGetInt64FromString(out long amount));
        Assert.Equal(1250, amount);
        Assert.True(r.Read());
        Assert.True(r.Read());
        Assert.Equal(12, r.GetInt64());
        Assert.True(r.Read());
        Assert.True(r.Read());
        Assert.False(r.GetBoolean());
        Assert.True(r.Read());
        Assert.Equal(JsonTokenType.EndObject, r.TokenType);
        Assert.False(r.Read());
    }

    [Fact]
    public void JsonReader_reports_position_and_offending_byte()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"a\":1 \"b\":2}");
        var r = new JsonReader(8, 64);
        r.Reset(json, 0, json.Length);
        r.Read();
        r.Read();
        r.Read();
        var e = Assert.Throws<Terminal.Core.Json.JsonException>(() => r.Read());
        Assert.Equal(7, e.BytePosition);
        Assert.Equal("expected ',' or '}' at byte 7, found 0x22", e.Message);
    }

    [Fact]
    public void Sha256_and_hmac_match_dotnet()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        var digest = new byte[32];
        var sha = new Sha256();
        sha.Update(data, 0, data.Length);
        sha.Final(digest, 0);
        Assert.Equal(SHA256.HashData(data), digest);

        byte[] key = Encoding.ASCII.GetBytes("key");
        var hmac = new HmacSha256(key);
        hmac.Update(data, 0, data.Length);
        hmac.Final(digest, 0);
        Assert.Equal(HMACSHA256.HashData(key, data), digest);
    }

    [Fact]
    public void Base64_and_signature_url_encoding_match_dotnet()
    {
        byte[] data = { 0xFB, 0xFF, 0xBE, 0x01 };
        var text = new byte[16];
        int n = Base64.Encode(data, 0, data.Length, text, 0);
        string expected = Convert.ToBase64String(data);
        Assert.Equal(expected, Encoding.ASCII.GetString(text, 0, n));

        var url = new byte[48];
        int m = SignatureUrlEncoding.Encode(text, 0, n, url, 0);
        Assert.Equal(Uri.EscapeDataString(expected), Encoding.ASCII.GetString(url, 0, m));

        var back = new byte[16];
        int k = SignatureUrlEncoding.Decode(url, 0, m, back, 0);
        Assert.Equal(n, k);
        var raw = new byte[8];
        Assert.Equal(4, Base64.Decode(back, 0, k, raw, 0));
        Assert.Equal(data, raw.AsSpan(0, 4).ToArray());
    }
}
