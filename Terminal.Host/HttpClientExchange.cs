using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>
/// <see cref="IHttpExchange"/> over .NET's <see cref="HttpClient"/>: one exchange per call with an explicit
/// timeout, HTTPS with the system's trust store or, when a CA certificate is given, with that CA only (as the
/// device trusts only the gateway's CA, configuration.md <c>caCertificate</c>). The response body is read into
/// the caller's buffer and never beyond it: a longer body is reported as <see cref="HttpExchangeStatus.ResponseTooLarge"/>.
/// Whether the request can have reached the server is decided by whether the body started to be written. One
/// cancellation token bounds the whole exchange, connection and TLS handshake included; a budget of 0 or less
/// sends nothing.
/// </summary>
public sealed class HttpClientExchange : IHttpExchange, IDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _baseAddress;
    private readonly byte[] _probe = new byte[1];

    /// <param name="baseAddress">The gateway's base URL (https; http for local simulation).</param>
    /// <param name="trustedCa">When set, the only root the server's certificate may chain to.</param>
    public HttpClientExchange(Uri baseAddress, X509Certificate2? trustedCa = null)
        : this(baseAddress, CreateHandler(trustedCa))
    {
    }

    /// <summary>Uses the given handler (tests, custom proxies); the exchange owns and disposes it.</summary>
    public HttpClientExchange(Uri baseAddress, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(handler);
        _baseAddress = baseAddress;
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Loads a PEM or DER CA certificate file for <see cref="HttpClientExchange(Uri, X509Certificate2?)"/>.</summary>
    public static X509Certificate2 LoadCertificate(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        exchange.ClearResponse();
        if (timeoutMs <= 0)
        {
            return HttpExchangeStatus.TimeoutBeforeSend;
        }

        HttpExchangeStatus status = SendAsync(exchange, timeoutMs).GetAwaiter().GetResult();
        if (status != HttpExchangeStatus.Completed)
        {
            exchange.ClearResponse();
        }

        return status;
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpExchangeStatus> SendAsync(HttpExchange exchange, int timeoutMs)
    {
        var content = new TrackingContent(exchange.RequestBuffer, exchange.RequestBodyOffset, exchange.RequestBodyLength);
        content.Headers.TryAddWithoutValidation("Content-Type", exchange.ContentType);
        using var request = new HttpRequestMessage(new HttpMethod(exchange.Method), new Uri(_baseAddress, exchange.Path))
        {
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("Client-Id", exchange.ClientId);
        request.Headers.TryAddWithoutValidation("Request-Time", Encoding.ASCII.GetString(exchange.RequestTime, 0, exchange.RequestTimeLength));
        request.Headers.TryAddWithoutValidation("Signature", Encoding.ASCII.GetString(exchange.Signature, 0, exchange.SignatureLength));
        if (exchange.RangeLength > 0)
        {
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(exchange.RangeFrom, (long)exchange.RangeFrom + exchange.RangeLength - 1);
        }

        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            using HttpResponseMessage response = await _client
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token)
                .ConfigureAwait(false);
            exchange.StatusCode = (int)response.StatusCode;
            exchange.ResponseTimeLength = CopyHeader(response, "Response-Time", exchange.ResponseTime);
            exchange.ResponseSignatureLength = CopyHeader(response, "Signature", exchange.ResponseSignature);
            exchange.ResponseClientIdLength = CopyHeader(response, "Client-Id", exchange.ResponseClientId);
            exchange.ResponseContentRangeLength = CopyValue(response.Content.Headers.ContentRange?.ToString(), exchange.ResponseContentRange);

            long? declared = response.Content.Headers.ContentLength;
            if (declared.HasValue && declared.Value > exchange.ResponseBodyCapacity)
            {
                return HttpExchangeStatus.ResponseTooLarge;
            }

            Stream body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            int offset = exchange.ResponseBodyOffset;
            int capacity = exchange.ResponseBodyCapacity;
            int total = 0;
            while (total < capacity)
            {
                int n = await body.ReadAsync(exchange.ResponseBuffer.AsMemory(offset + total, capacity - total), timeout.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    exchange.ResponseBodyLength = total;
                    return HttpExchangeStatus.Completed;
                }

                total += n;
            }

            if (await body.ReadAsync(_probe.AsMemory(0, 1), timeout.Token).ConfigureAwait(false) > 0)
            {
                exchange.ResponseBodyLength = 0;
                return HttpExchangeStatus.ResponseTooLarge;
            }

            exchange.ResponseBodyLength = total;
            return HttpExchangeStatus.Completed;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return content.Started ? HttpExchangeStatus.TimeoutAfterSend : HttpExchangeStatus.TimeoutBeforeSend;
        }
        catch (HttpRequestException)
        {
            return content.Started ? HttpExchangeStatus.ResponseBroken : HttpExchangeStatus.ConnectFailed;
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException)
        {
            return content.Started ? HttpExchangeStatus.ResponseBroken : HttpExchangeStatus.ConnectFailed;
        }
    }

    /// <summary>Copies an ASCII header value; 0 when absent, not ASCII or longer than the buffer.</summary>
    private static int CopyHeader(HttpResponseMessage response, string name, byte[] target)
    {
        if (!response.Headers.TryGetValues(name, out IEnumerable<string>? values))
        {
            return 0;
        }

        return CopyValue(string.Join(",", values), target);
    }

    private static int CopyValue(string? value, byte[] target)
    {
        if (value == null || value.Length > target.Length)
        {
            return 0;
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] > 0x7F)
            {
                return 0;
            }

            target[i] = (byte)value[i];
        }

        return value.Length;
    }

    private static HttpMessageHandler CreateHandler(X509Certificate2? trustedCa)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (trustedCa != null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                ChainsTo(trustedCa, certificate, chain, errors);
        }

        return handler;
    }

    /// <summary>True when the host name matched and the certificate chains to <paramref name="root"/> alone.</summary>
    internal static bool ChainsTo(X509Certificate2 root, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented != null)
        {
            foreach (X509ChainElement element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    /// <summary>
    /// Request content that records when the HTTP stack starts writing the body, and refuses to be written twice.
    /// SocketsHttpHandler sends a request again on a new connection when a kept one fails before the response,
    /// but today only while the content has not started (dotnet/runtime's HttpClientHandlerTest_RequestRetry);
    /// the refusal keeps "a body that went out is never sent again" a property of this binding rather than of
    /// the runtime's version.
    /// </summary>
    private sealed class TrackingContent : HttpContent
    {
        private readonly byte[] _buffer;
        private readonly int _offset;
        private readonly int _count;
        private int _started;

        public TrackingContent(byte[] buffer, int offset, int count)
        {
            _buffer = buffer;
            _offset = offset;
            _count = count;
        }

        public bool Started => Volatile.Read(ref _started) != 0;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            Start();
            await stream.WriteAsync(_buffer.AsMemory(_offset, _count), cancellationToken).ConfigureAwait(false);
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            Start();
            stream.Write(_buffer, _offset, _count);
        }

        private void Start()
        {
            if (Interlocked.Exchange(ref _started, 1) != 0)
            {
                throw new IOException("the request body went out once already; it is not sent again");
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _count;
            return true;
        }
    }
}
