using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Terminal.Core.Ports;
using Terminal.Host;
using Terminal.Io.Http;

namespace Terminal.Benchmarks.Io;

/// <summary>
/// The device's HTTP client (<see cref="GatewayHttpClient"/>: head written, an inquiry-sized answer parsed into the
/// exchange) against the PC binding (<see cref="HttpClientExchange"/>) doing the same exchange, both over memory so
/// that only the HTTP work is measured. Run:
/// dotnet run -c Release --project Terminal.Benchmarks -- --filter *DeviceHttp*
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class DeviceHttpBenchmarks
{
    private const int Exchanges = 1000;

    /// <summary>An answer shaped like the gateway's to inquiryPayment: a 498-byte body under a 259-byte head.</summary>
    public static readonly string Body = "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},"
        + "\"paymentStatus\":\"PROCESSING\",\"paymentRequestId\":\"T0001-000000000123\",\"paymentId\":\"20260101194010800100188800012345678\","
        + "\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1000\"},\"paymentCreateTime\":\"2026-01-01T10:00:00+08:00\","
        + "\"pspCustomerInfo\":{\"pspName\":\"ALIPAY_CN\"},\"customerId\":\"2088000000000000\",\"walletBrandName\":\"Alipay\","
        + "\"settlementAmount\":{\"currency\":\"USD\",\"value\":\"1000\"},\"paymentResultInfo\":{\"cardNo\":\"\",\"funding\":\"\"}}";

    private static readonly string Head = "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\nContent-Length: "
        + Encoding.UTF8.GetByteCount(Body) + "\r\nResponse-Time: 1767225600000\r\nClient-Id: T0001\r\n"
        + "Signature: algorithm=HS256,keyVersion=1,signature=Nw4pR3d%2BqYyJ5Xq7b0VZ0n6l5f3mJ2C4Kxw8oQJmZ0U%3D\r\n"
        + "Connection: keep-alive\r\n\r\n";

    private static readonly int BodyLength = Encoding.UTF8.GetByteCount(Body);

    private HttpExchange _exchange = null!;
    private GatewayHttpClient _device = null!;
    private HttpClientExchange _reference = null!;

    [GlobalSetup]
    public void Setup()
    {
        _exchange = new HttpExchange(1024, 4096, 64)
        {
            Path = "/ams/api/v1/payments/inquiryPayment",
            ClientId = "T0001",
        };
        byte[] request = Encoding.ASCII.GetBytes("{\"paymentRequestId\":\"T0001-000000000123\"}");
        request.CopyTo(_exchange.RequestBuffer, _exchange.RequestBodyOffset);
        _exchange.RequestBodyLength = request.Length;
        _exchange.RequestTimeLength = Encoding.ASCII.GetBytes("1767225600000", _exchange.RequestTime);
        _exchange.SignatureLength = Encoding.ASCII.GetBytes("algorithm=HS256,keyVersion=1,signature=abc", _exchange.Signature);

        _device = new GatewayHttpClient(GatewayAddress.Parse("https://gw.example.com"),
            new MemoryConnection(Encoding.ASCII.GetBytes(Head + Body)), new SystemClock());
        _reference = new HttpClientExchange(new Uri("https://gw.example.com/"), new MemoryHandler(Body));
        if (Device() != Exchanges || Reference() != Exchanges)
        {
            throw new InvalidOperationException("an exchange did not complete");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _reference.Dispose();

    [Benchmark(Baseline = true, Description = "PC binding (HttpClient, in-memory handler)")]
    public int Reference() => Run(_reference);

    [Benchmark(Description = "device client (GatewayHttpClient, in-memory connection)")]
    public int Device() => Run(_device);

    private int Run(IHttpExchange http)
    {
        int completed = 0;
        for (int i = 0; i < Exchanges; i++)
        {
            if (http.Send(_exchange, 5000) == HttpExchangeStatus.Completed && _exchange.ResponseBodyLength == BodyLength)
            {
                completed++;
            }
        }

        return completed;
    }

    /// <summary>Answers every request with the same bytes, in pieces of whatever the client asks for.</summary>
    private sealed class MemoryConnection(byte[] answer) : IGatewayConnection
    {
        private int _at;

        public bool Open(int timeoutMs) => true;

        public bool CanReuse() => true;

        public bool Write(byte[] buffer, int offset, int count, int timeoutMs)
        {
            _at = 0;
            return true;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMs)
        {
            int n = Math.Min(count, answer.Length - _at);
            Array.Copy(answer, _at, buffer, offset, n);
            _at += n;
            return n;
        }

        public void Close()
        {
        }
    }

    private sealed class MemoryHandler(string body) : HttpMessageHandler
    {
        private readonly byte[] _body = Encoding.UTF8.GetBytes(body);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await request.Content!.CopyToAsync(Stream.Null, cancellationToken);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_body) };
            response.Headers.TryAddWithoutValidation("Response-Time", "1767225600000");
            response.Headers.TryAddWithoutValidation("Client-Id", "T0001");
            response.Headers.TryAddWithoutValidation("Signature", "algorithm=HS256,keyVersion=1,signature=Nw4pR3d%2BqYyJ5Xq7b0VZ0n6l5f3mJ2C4Kxw8oQJmZ0U%3D");
            return response;
        }
    }
}
