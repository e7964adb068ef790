using System.Net;
using System.Net.Sockets;
using System.Text;
using Terminal.Core.Ports;
using Terminal.Host;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Xunit;

namespace Terminal.Tests.Host;

public sealed class HttpClientExchangeTests
{
    private static readonly Uri Base = new("https://gw.example.com:8443/");

    private static HttpExchange Request(string body = "{\"a\":1}", int responseCapacity = 256)
    {
        var ex = new HttpExchange(256, responseCapacity, Hs256Signer.ReservedBytes);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        bytes.CopyTo(ex.RequestBuffer, ex.RequestBodyOffset);
        ex.RequestBodyLength = bytes.Length;
        new Hs256Signer(new HmacSha256Mac(new byte[32]), "T0001", 2).Sign(ex, "/ams/api/v1/payments/pay", 1700000000000);
        return ex;
    }

    private sealed class Handler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _answer;

        public Handler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answer = answer;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _answer(request, cancellationToken);
    }

    private static HttpResponseMessage Answer(string body, string? signature = "algorithm=HS256,keyVersion=2,signature=abc")
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        response.Headers.TryAddWithoutValidation("Response-Time", "1700000000500");
        response.Headers.TryAddWithoutValidation("Client-Id", "T0001");
        if (signature != null)
        {
            response.Headers.TryAddWithoutValidation("Signature", signature);
        }

        return response;
    }

    [Fact]
    public void Sends_the_headers_and_body_and_reads_the_answer()
    {
        HttpRequestMessage? seen = null;
        string? seenBody = null;
        using var exchange = new HttpClientExchange(Base, new Handler(async (request, token) =>
        {
            seen = request;
            seenBody = await request.Content!.ReadAsStringAsync(token);
            return Answer("{\"result\":{}}");
        }));
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 5000));

        Assert.Equal(HttpMethod.Post, seen!.Method);
        Assert.Equal("https://gw.example.com:8443/ams/api/v1/payments/pay", seen.RequestUri!.ToString());
        Assert.Equal("T0001", seen.Headers.GetValues("Client-Id").Single());
        Assert.Equal("1700000000000", seen.Headers.GetValues("Request-Time").Single());
        Assert.StartsWith("algorithm=HS256,keyVersion=2,signature=", seen.Headers.GetValues("Signature").Single(), StringComparison.Ordinal);
        Assert.Equal("application/json; charset=UTF-8", seen.Content!.Headers.GetValues("Content-Type").Single());
        Assert.Equal("{\"a\":1}", seenBody);

        Assert.Equal(200, ex.StatusCode);
        Assert.Equal("1700000000500", Encoding.ASCII.GetString(ex.ResponseTime, 0, ex.ResponseTimeLength));
        Assert.Equal("T0001", Encoding.ASCII.GetString(ex.ResponseClientId, 0, ex.ResponseClientIdLength));
        Assert.Equal("algorithm=HS256,keyVersion=2,signature=abc", Encoding.ASCII.GetString(ex.ResponseSignature, 0, ex.ResponseSignatureLength));
        Assert.Equal("{\"result\":{}}", Encoding.UTF8.GetString(ex.ResponseBuffer, ex.ResponseBodyOffset, ex.ResponseBodyLength));
    }

    [Fact]
    public void Body_exactly_the_buffer_size_fits_one_more_byte_is_too_large()
    {
        string fits = new('x', 64);
        using var a = new HttpClientExchange(Base, new Handler((_, _) => Task.FromResult(Answer(fits))));
        HttpExchange ex = Request(responseCapacity: 64);
        Assert.Equal(HttpExchangeStatus.Completed, a.Send(ex, 5000));
        Assert.Equal(64, ex.ResponseBodyLength);

        using var b = new HttpClientExchange(Base, new Handler((_, _) => Task.FromResult(Answer(fits + "y"))));
        Assert.Equal(HttpExchangeStatus.ResponseTooLarge, b.Send(Request(responseCapacity: 64), 5000));

        // Without a Content-Length the reader stops at the buffer size too.
        using var c = new HttpClientExchange(Base, new Handler((_, _) =>
        {
            HttpResponseMessage r = Answer("");
            r.Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(new string('z', 500))));
            r.Content.Headers.ContentLength = null;
            return Task.FromResult(r);
        }));
        Assert.Equal(HttpExchangeStatus.ResponseTooLarge, c.Send(Request(responseCapacity: 64), 5000));
    }

    [Fact]
    public void Timeouts_say_whether_the_request_went_out()
    {
        using var before = new HttpClientExchange(Base, new Handler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return Answer("");
        }));
        Assert.Equal(HttpExchangeStatus.TimeoutBeforeSend, before.Send(Request(), 50));

        using var after = new HttpClientExchange(Base, new Handler(async (request, token) =>
        {
            await request.Content!.ReadAsByteArrayAsync(token);
            await Task.Delay(Timeout.Infinite, token);
            return Answer("");
        }));
        Assert.Equal(HttpExchangeStatus.TimeoutAfterSend, after.Send(Request(), 50));
    }

    [Fact]
    public void Connection_errors_say_whether_the_request_went_out()
    {
        using var refused = new HttpClientExchange(Base, new Handler((_, _) => throw new HttpRequestException("refused")));
        Assert.Equal(HttpExchangeStatus.ConnectFailed, refused.Send(Request(), 5000));

        using var broken = new HttpClientExchange(Base, new Handler(async (request, token) =>
        {
            await request.Content!.ReadAsByteArrayAsync(token);
            throw new HttpRequestException("reset");
        }));
        Assert.Equal(HttpExchangeStatus.ResponseBroken, broken.Send(Request(), 5000));
    }

    [Fact]
    public void Missing_or_overlong_headers_are_reported_absent()
    {
        using var exchange = new HttpClientExchange(Base, new Handler((_, _) =>
            Task.FromResult(Answer("{}", new string('s', HttpExchange.HeaderCapacity + 1)))));
        HttpExchange ex = Request();
        Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 5000));
        Assert.Equal(0, ex.ResponseSignatureLength);

        using var none = new HttpClientExchange(Base, new Handler((_, _) => Task.FromResult(Answer("{}", null))));
        HttpExchange ex2 = Request();
        none.Send(ex2, 5000);
        Assert.Equal(0, ex2.ResponseSignatureLength);
    }

    [Fact]
    public async Task Real_loopback_exchange_and_refused_port()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using TcpClient client = await listener.AcceptTcpClientAsync();
            using NetworkStream stream = client.GetStream();
            byte[] buffer = new byte[4096];
            int total = 0;
            while (!Encoding.ASCII.GetString(buffer, 0, total).Contains("{\"a\":1}", StringComparison.Ordinal))
            {
                total += await stream.ReadAsync(buffer.AsMemory(total));
            }

            byte[] answer = Encoding.ASCII.GetBytes(
                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nResponse-Time: 7\r\nSignature: s=1\r\nConnection: close\r\n\r\n{}");
            await stream.WriteAsync(answer);
        });

        using (var exchange = new HttpClientExchange(new Uri("http://127.0.0.1:" + port + "/")))
        {
            HttpExchange ex = Request();
            Assert.Equal(HttpExchangeStatus.Completed, exchange.Send(ex, 10000));
            Assert.Equal("{}", Encoding.ASCII.GetString(ex.ResponseBuffer, ex.ResponseBodyOffset, ex.ResponseBodyLength));
            Assert.Equal("7", Encoding.ASCII.GetString(ex.ResponseTime, 0, ex.ResponseTimeLength));
        }

        await server.WaitAsync(TimeSpan.FromSeconds(10));
        listener.Stop();

        using var refused = new HttpClientExchange(new Uri("http://127.0.0.1:" + port + "/"));
        Assert.Equal(HttpExchangeStatus.ConnectFailed, refused.Send(Request(), 10000));
    }

    [Fact]
    public async Task Sleeper_wakes_early_and_remembers_a_wake()
    {
        using var sleeper = new ThreadSleeper();
        sleeper.Wake();
        Assert.False(sleeper.Sleep(10_000));
        Assert.True(sleeper.Sleep(1));
        var t = Task.Run(() => sleeper.Sleep(60_000));
        sleeper.Wake();
        Assert.False(await t.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Dotnet_mac_and_portable_mac_agree()
    {
        byte[] key = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
        byte[] data = Encoding.ASCII.GetBytes("POST /x\nT.1.{}");
        byte[] a = new byte[40];
        byte[] b = new byte[40];
        new HmacSha256Mac(key).Compute(data, 2, data.Length - 2, a, 8);
        new PortableMac(key).Compute(data, 2, data.Length - 2, b, 8);
        Assert.Equal(a, b);
    }
}
