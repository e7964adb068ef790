using System.Text;
using Terminal.Core.Ports;
using Terminal.Io.Http;
using Xunit;

namespace Terminal.Tests.Http;

public sealed class ResponseReaderTests
{
    private sealed record Outcome(int Result, int Status, string Body, string Signature, string ResponseTime, string ClientId, bool KeepAlive, int Leftover);

    /// <summary>Feeds the response in pieces of <paramref name="piece"/> bytes (0: whole), then End() if still open.</summary>
    private static Outcome Read(string response, int piece = 0, int capacity = 256, bool end = true)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(response);
        var ex = new HttpExchange(64, Math.Max(64, capacity), 16);
        var reader = new ResponseReader();
        reader.Begin(ex);
        int result = ResponseReader.NeedMore;
        int leftover = 0;
        int step = piece == 0 ? Math.Max(1, bytes.Length) : piece;
        for (int at = 0; at < bytes.Length && result == ResponseReader.NeedMore; at += step)
        {
            int n = Math.Min(step, bytes.Length - at);
            result = reader.Feed(bytes, at, n);
            if (result != ResponseReader.NeedMore)
            {
                leftover = bytes.Length - at - reader.Consumed;
            }
        }

        if (result == ResponseReader.NeedMore && end)
        {
            result = reader.End();
        }

        return new Outcome(result, ex.StatusCode,
            Encoding.Latin1.GetString(ex.ResponseBuffer, ex.ResponseBodyOffset, ex.ResponseBodyLength),
            Encoding.ASCII.GetString(ex.ResponseSignature, 0, ex.ResponseSignatureLength),
            Encoding.ASCII.GetString(ex.ResponseTime, 0, ex.ResponseTimeLength),
            Encoding.ASCII.GetString(ex.ResponseClientId, 0, ex.ResponseClientIdLength),
            reader.KeepAlive, leftover);
    }

    /// <summary>The same outcome whatever the pieces the bytes arrive in, down to one byte at a time.</summary>
    private static Outcome ReadEverySplit(string response, int capacity = 256)
    {
        Outcome whole = Read(response, 0, capacity);
        for (int piece = 1; piece < Math.Min(response.Length, 40); piece++)
        {
            Assert.Equal(whole, Read(response, piece, capacity));
        }

        return whole;
    }

    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n"
        + "response-TIME: 1700000000500 \r\nSignature:\talgorithm=HS256,keyVersion=2,signature=abc\r\nClient-Id: T0001\r\n\r\n{\"a\":\"b c\"}";

    [Fact]
    public void A_response_framed_by_its_length_fills_the_exchange()
    {
        Outcome o = ReadEverySplit(Ok);
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal(200, o.Status);
        Assert.Equal("{\"a\":\"b c\"}", o.Body);
        Assert.Equal("algorithm=HS256,keyVersion=2,signature=abc", o.Signature);
        Assert.Equal("1700000000500", o.ResponseTime);
        Assert.Equal("T0001", o.ClientId);
        Assert.True(o.KeepAlive);
        Assert.Equal(0, o.Leftover);
    }

    [Fact]
    public void Lines_may_end_with_a_bare_line_feed()
    {
        Outcome o = ReadEverySplit(Ok.Replace("\r\n", "\n"));
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal("{\"a\":\"b c\"}", o.Body);
        Assert.Equal("T0001", o.ClientId);
    }

    [Fact]
    public void A_chunked_body_is_joined_and_extensions_and_trailers_skipped()
    {
        Outcome o = ReadEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nSignature: s\r\n\r\n"
            + "4;name=value\r\nab\r\n\r\nA \r\n0123456789\r\n00\r\nExpires: never\r\nX: y\r\n\r\n");
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal("ab\r\n0123456789", o.Body);
        Assert.True(o.KeepAlive);
    }

    [Fact]
    public void Interim_responses_are_skipped_and_leave_nothing_behind()
    {
        Outcome o = ReadEverySplit("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nSignature: early\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal(200, o.Status);
        Assert.Equal("ok", o.Body);
        Assert.Equal("", o.Signature);
    }

    [Theory]
    [InlineData("HTTP/1.1 204 No Content\r\nSignature: s\r\n\r\n")]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n")]
    public void No_content_and_not_modified_have_no_body(string response)
    {
        Outcome o = Read(response, end: false);
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal("", o.Body);
        Assert.True(o.KeepAlive);
    }

    [Fact]
    public void A_body_without_framing_ends_with_the_connection_and_ends_it()
    {
        string response = "HTTP/1.0 200 OK\r\nSignature: s\r\n\r\n{\"closed\":true}";
        Assert.Equal(ResponseReader.NeedMore, Read(response, end: false).Result);
        Outcome o = ReadEverySplit(response);
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal("{\"closed\":true}", o.Body);
        Assert.False(o.KeepAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive, x-something-much-longer-than-sixteen\r\nContent-Length: 0\r\n\r\n", true)]
    public void The_connection_is_kept_as_the_response_says(string response, bool kept)
    {
        Outcome o = Read(response, end: false);
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal(kept, o.KeepAlive);
    }

    [Fact]
    public void Bytes_after_the_response_are_not_consumed()
    {
        Outcome o = Read(Ok + "HTTP/1.1 200 OK\r\n");
        Assert.Equal(ResponseReader.Complete, o.Result);
        Assert.Equal(17, o.Leftover);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n................................\r\n21\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n.................................................................")]
    public void A_body_longer_than_the_buffer_is_too_large_as_soon_as_known(string response)
    {
        Assert.Equal(ResponseReader.TooLarge, Read(response, capacity: 64, end: false).Result);
    }

    [Fact]
    public void A_body_exactly_the_buffer_size_fits()
    {
        string body = new('x', 64);
        Assert.Equal(body, ReadEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n" + body, 64).Body);
        Assert.Equal(body, ReadEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + body + "\r\n0\r\n\r\n", 64).Body);
        Assert.Equal(body, ReadEverySplit("HTTP/1.1 200 OK\r\n\r\n" + body, 64).Body);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\rX-B: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1a\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")]
    public void Responses_outside_the_grammar_are_malformed(string response)
    {
        Assert.Equal(ResponseReader.Malformed, Read(response, end: false).Result);
    }

    [Fact]
    public void Identical_repeated_lengths_are_accepted()
    {
        Assert.Equal("abc", Read("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc").Body);
    }

    [Fact]
    public void An_endless_header_section_is_refused()
    {
        string response = "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X-Filler: " + new string('f', 90) + "\r\n", 200));
        Assert.Equal(ResponseReader.Malformed, Read(response, end: false).Result);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("")]
    public void A_response_cut_by_the_close_is_malformed(string response)
    {
        Assert.Equal(ResponseReader.Malformed, Read(response).Result);
    }

    [Fact]
    public void Header_values_too_long_not_ascii_repeated_or_empty_are_absent()
    {
        string longSignature = new('s', HttpExchange.HeaderCapacity + 1);
        Assert.Equal("", Read("HTTP/1.1 200 OK\r\nSignature: " + longSignature + "\r\nContent-Length: 0\r\n\r\n").Signature);
        Assert.Equal(new string('s', HttpExchange.HeaderCapacity),
            Read("HTTP/1.1 200 OK\r\nSignature: " + new string('s', HttpExchange.HeaderCapacity) + "\r\nContent-Length: 0\r\n\r\n").Signature);
        Assert.Equal("", Read("HTTP/1.1 200 OK\r\nSignature: caf\u00e9\r\nContent-Length: 0\r\n\r\n").Signature);
        Assert.Equal("", Read("HTTP/1.1 200 OK\r\nSignature: a\r\nSignature: a\r\nContent-Length: 0\r\n\r\n").Signature);
        Outcome empty = Read("HTTP/1.1 200 OK\r\nClient-Id:   \r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(ResponseReader.Complete, empty.Result);
        Assert.Equal("", empty.ClientId);
    }

    [Fact]
    public void The_reader_starts_afresh_for_each_exchange()
    {
        var ex = new HttpExchange(64, 64, 16);
        var reader = new ResponseReader();
        byte[] first = Encoding.ASCII.GetBytes("HTTP/1.1 500 Oops\r\nSignature: one\r\nContent-Length: 5\r\n\r\nerror");
        byte[] second = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        reader.Begin(ex);
        Assert.Equal(ResponseReader.Complete, reader.Feed(first, 0, first.Length));
        Assert.Equal(500, ex.StatusCode);
        reader.Begin(ex);
        Assert.Equal(ResponseReader.Complete, reader.Feed(second, 0, second.Length));
        Assert.Equal(200, ex.StatusCode);
        Assert.Equal(0, ex.ResponseSignatureLength);
        Assert.Equal(2, ex.ResponseBodyLength);
    }
}
