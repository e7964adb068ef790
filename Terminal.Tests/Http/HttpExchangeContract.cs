using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Terminal.Core.Ports;
using Terminal.Host;
using Terminal.Io.Http;
using Xunit;

namespace Terminal.Tests.Http;

/// <summary>
/// What every <see cref="IHttpExchange"/> binding promises (Terminal.Core/Ports/IHttpExchange.cs), against raw
/// servers on loopback that misbehave on purpose: the whole exchange ends by its deadline on every path, the status
/// says whether the request can have been delivered, and a body that went out is never sent twice. Run against the
/// PC binding (<see cref="HttpClientExchangeContractTests"/>) and the device's HTTP client over .NET sockets
/// (<see cref="GatewayHttpClientContractTests"/>), whose ESP32 binding keeps the same connection contract.
/// </summary>
public abstract class HttpExchangeContract : IDisposable
{
    /// <summary>The budget of the deadline tests.</summary>
    private const int Budget = 1000;

    /// <summary>
    /// How late a bounded exchange may return on a loaded 2-core CI machine. Without a bound these servers would
    /// hold the exchange for ever, so the test still fails if the bound is missing.
    /// </summary>
    private const int Lateness = 2500;

    private readonly List<IDisposable> _owned = [];

    protected abstract IHttpExchange Create(Uri baseUri, X509Certificate2? ca);

    protected T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (IDisposable d in _owned)
        {
            d.Dispose();
        }
    }

    private static HttpExchange Request(string body = "{\"a\":1}", int responseCapacity = 256)
    {
        var ex = new HttpExchange(256, responseCapacity, 64)
        {
            Path = "/ams/api/v1/payments/pay",
            ClientId = "T0001",
        };
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        bytes.CopyTo(ex.RequestBuffer, ex.RequestBodyOffset);
        ex.RequestBodyLength = bytes.Length;
        ex.RequestTimeLength = Encoding.ASCII.GetBytes("1700000000000", ex.RequestTime);
        ex.SignatureLength = Encoding.ASCII.GetBytes("algorithm=HS256,keyVersion=2,signature=abc%3D", ex.Signature);
        return ex;
    }

    private static string Body(HttpExchange ex) => Encoding.UTF8.GetString(ex.ResponseBuffer, ex.ResponseBodyOffset, ex.ResponseBodyLength);

    private static (HttpExchangeStatus Status, long Ms) Timed(IHttpExchange exchange, HttpExchange ex, int budget)
    {
        var clock = Stopwatch.StartNew();
        HttpExchangeStatus status = exchange.Send(ex, budget);
        return (status, clock.ElapsedMilliseconds);
    }

    private static void Within(long ms, string what) =>
        Assert.True(ms < Budget + Lateness, what + " took " + ms + " ms for a " + Budget + " ms budget");

    /// <summary>
    /// A timed-out exchange whose request reached the server must say so (unknown: the server may act). One whose
    /// request did not (a slow start on a loaded machine used the budget up) may say either.
    /// </summary>
    private static async Task AssertTimedOut(RawServer server, HttpExchangeStatus status)
    {
        await Task.Delay(300);
        if (server.Requests.Count > 0)
        {
            Assert.Equal(HttpExchangeStatus.TimeoutAfterSend, status);
        }
        else
        {
            Assert.True(status is HttpExchangeStatus.TimeoutBeforeSend or HttpExchangeStatus.TimeoutAfterSend, status.ToString());
        }
    }

    [Fact]
    public async Task Sends_the_request_and_reads_the_answer()
    {
        await using var server = new RawServer(Responses.AnswerAll("{\"result\":{\"resultStatus\":\"S\"}}"));
        IHttpExchange exchange = Create(server.BaseUri, null);
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 5000));

        Assert.Equal(200, ex.StatusCode);
        Assert.Equal("{\"result\":{\"resultStatus\":\"S\"}}", Body(ex));
        Assert.Equal("1700000000500", Encoding.ASCII.GetString(ex.ResponseTime, 0, ex.ResponseTimeLength));
        Assert.Equal("T0001", Encoding.ASCII.GetString(ex.ResponseClientId, 0, ex.ResponseClientIdLength));
        Assert.Equal(Responses.SignatureValue, Encoding.ASCII.GetString(ex.ResponseSignature, 0, ex.ResponseSignatureLength));

        ReceivedRequest seen = Assert.Single(server.Requests);
        Assert.StartsWith("POST /ams/api/v1/payments/pay HTTP/1.1\r\n", seen.Head + "\r\n", StringComparison.Ordinal);
        Assert.Equal("127.0.0.1:" + server.Port, seen.Header("Host"));
        Assert.Equal("T0001", seen.Header("Client-Id"));
        Assert.Equal("1700000000000", seen.Header("Request-Time"));
        Assert.Equal("algorithm=HS256,keyVersion=2,signature=abc%3D", seen.Header("Signature"));
        Assert.Equal("application/json; charset=UTF-8", seen.Header("Content-Type"));
        Assert.Equal("7", seen.Header("Content-Length"));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(seen.Body));
    }

    [Fact]
    public async Task Answers_over_tls_with_the_configured_ca_and_keeps_the_connection()
    {
        await using var server = new RawServer(Responses.AnswerAll("{}"), tls: true);
        IHttpExchange exchange = Create(server.BaseUri, TestCertificates.Ca);
        for (int i = 0; i < 3; i++)
        {
            HttpExchange ex = Request();
            Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 10000));
            Assert.Equal("{}", Body(ex));
        }

        Assert.Equal(1, server.Accepted);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_certificate_of_another_ca_is_refused_before_anything_is_sent()
    {
        await using var server = new RawServer(Responses.AnswerAll("{}"), tls: true);
        IHttpExchange exchange = Create(server.BaseUri, TestCertificates.OtherCa);
        Assert.Equal(HttpExchangeStatus.ConnectFailed, exchange.Send(Request(), 10000));
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_budget_of_zero_sends_nothing()
    {
        await using var server = new RawServer(Responses.AnswerAll("{}"));
        IHttpExchange exchange = Create(server.BaseUri, null);
        Assert.Equal(HttpExchangeStatus.TimeoutBeforeSend, exchange.Send(Request(), 0));
        Assert.Equal(HttpExchangeStatus.TimeoutBeforeSend, exchange.Send(Request(), -5));
        await Task.Delay(200);
        Assert.Equal(0, server.Accepted);
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_ends_by_the_deadline_as_sent()
    {
        await using var server = new RawServer(async c =>
        {
            await c.ReadRequest();
            await c.Hang();
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        (HttpExchangeStatus status, long ms) = Timed(exchange, Request(), Budget);
        Within(ms, "a silent server");
        await AssertTimedOut(server, status);
    }

    [Fact]
    public async Task A_server_that_stalls_in_the_middle_of_the_body_ends_by_the_deadline()
    {
        await using var server = new RawServer(async c =>
        {
            await c.ReadRequest();
            await c.Write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nSignature: s\r\n\r\n{\"result\":");
            await c.Hang();
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        HttpExchange ex = Request();
        (HttpExchangeStatus status, long ms) = Timed(exchange, ex, Budget);
        Within(ms, "a stalled body");
        await AssertTimedOut(server, status);
    }

    [Fact]
    public async Task A_server_that_trickles_its_answer_ends_by_the_deadline()
    {
        await using var server = new RawServer(async c =>
        {
            await c.ReadRequest();
            foreach (char ch in Responses.Ok(new string('x', 200)))
            {
                await c.Write(ch.ToString());
                await Task.Delay(100, c.Stopping);
            }
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        (HttpExchangeStatus status, long ms) = Timed(exchange, Request(), Budget);
        Within(ms, "a trickled answer");
        await AssertTimedOut(server, status);
    }

    [Fact]
    public async Task A_tls_handshake_that_never_completes_ends_by_the_deadline_unsent()
    {
        // TCP is accepted, the client's hello is read, and nothing ever comes back.
        await using var server = new RawServer(c => c.Drain());
        IHttpExchange exchange = Create(server.HttpsUri, TestCertificates.Ca);
        (HttpExchangeStatus status, long ms) = Timed(exchange, Request(), Budget);
        Assert.Equal(HttpExchangeStatus.TimeoutBeforeSend, status);
        Within(ms, "a stuck handshake");
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task A_refused_connection_is_not_delivered()
    {
        int port;
        await using (var server = new RawServer(Responses.AnswerAll("{}")))
        {
            port = server.Port;
        }

        IHttpExchange exchange = Create(new Uri("http://127.0.0.1:" + port + "/"), null);
        Assert.Equal(HttpExchangeStatus.ConnectFailed, exchange.Send(Request(), 5000));
    }

    [Fact]
    public async Task A_server_that_closes_after_the_request_leaves_the_outcome_unknown()
    {
        await using var server = new RawServer(async c =>
        {
            await c.ReadRequest();
            c.Close();
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        Assert.Equal(HttpExchangeStatus.ResponseBroken, exchange.Send(Request(), 5000));
    }

    [Fact]
    public async Task A_body_that_went_out_is_never_sent_again()
    {
        // The first request is answered on a kept connection; the second is read in full and the connection closed
        // without an answer, as a server that crashed after acting on it would. A client that treats this as a stale
        // connection and resends would pay twice.
        await using var server = new RawServer(async c =>
        {
            if (await c.ReadRequest() == null)
            {
                return;
            }

            if (c.Number == 1)
            {
                await c.Write(Responses.Ok("{}"));
                await c.ReadRequest();
                c.Close();
                return;
            }

            await c.Write(Responses.Ok("{}"));
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(Request(), 5000));
        HttpExchangeStatus second = exchange.Send(Request("{\"second\":1}"), 5000);
        await server.Ended.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpExchangeStatus.ResponseBroken, second);
        Assert.Equal(1, server.Requests.Count(r => Encoding.UTF8.GetString(r.Body) == "{\"second\":1}"));
    }

    [Fact]
    public async Task A_kept_connection_the_server_closed_is_replaced_before_sending()
    {
        await using var server = new RawServer(async c =>
        {
            if (await c.ReadRequest() != null)
            {
                await c.Write(Responses.Ok("{\"n\":" + c.Number + "}"));
            }

            await Task.Delay(50);
            c.Close();
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(Request(), 5000));
        await server.Ended.WaitAsync(TimeSpan.FromSeconds(60));
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 5000));
        Assert.Equal("{\"n\":2}", Body(ex));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_chunked_answer_is_read_whole()
    {
        await using var server = new RawServer(async c =>
        {
            await c.ReadRequest();
            await c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSignature: s\r\n\r\n5\r\n{\"a\":\r\n3;ext=1\r\n12}\r\n0\r\nTrailer: x\r\n\r\n");
            await c.Hang();
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 5000));
        Assert.Equal("{\"a\":12}", Body(ex));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 65\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n30\r\n................................................\r\n30\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n")]
    public async Task An_answer_longer_than_the_buffer_is_too_large(string head)
    {
        await using var server = new RawServer(async c =>
        {
            await c.ReadRequest();
            await c.Write(head + new string('z', 200));
            c.Close();
        });
        IHttpExchange exchange = Create(server.BaseUri, null);
        Assert.Equal(HttpExchangeStatus.ResponseTooLarge, exchange.Send(Request(responseCapacity: 64), 5000));
    }

    [Fact]
    public async Task An_answer_exactly_the_buffer_size_fits()
    {
        string body = new('y', 64);
        await using var server = new RawServer(Responses.AnswerAll(body));
        IHttpExchange exchange = Create(server.BaseUri, null);
        HttpExchange ex = Request(responseCapacity: 64);
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 5000));
        Assert.Equal(body, Body(ex));
    }
}

/// <summary>The contract on the PC binding.</summary>
public sealed class HttpClientExchangeContractTests : HttpExchangeContract
{
    protected override IHttpExchange Create(Uri baseUri, X509Certificate2? ca) => Own(new HttpClientExchange(baseUri, ca));
}

/// <summary>The contract on the device's HTTP client, over .NET sockets instead of the ESP32's.</summary>
public sealed class GatewayHttpClientContractTests : HttpExchangeContract
{
    protected override IHttpExchange Create(Uri baseUri, X509Certificate2? ca)
    {
        GatewayAddress address = GatewayAddress.Parse(baseUri.ToString());
        return new GatewayHttpClient(address, Own(new SocketConnection(address, ca)), new SystemClock());
    }
}
