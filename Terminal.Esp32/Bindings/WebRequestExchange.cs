using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Terminal.Firmware.Ports;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// <see cref="IHttpExchange"/> over nanoFramework's <see cref="HttpWebRequest"/> (package
    /// nanoFramework.System.Net.Http.Client): one POST per call with an explicit timeout, TLS 1.2 checked
    /// against the gateway's CA, keep-alive, the response body read into the caller's buffer and never beyond.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Not HttpClient: its response headers have no public getter in nanoFramework (HttpHeaders exposes only
    /// Add), and the terminal must read Response-Time and Signature. HttpWebResponse.Headers can be read.
    /// </para>
    /// <para>
    /// Whether the server can have seen the request: GetRequestStream connects (DNS, TCP, TLS) and sends the
    /// header block; until the body is written the server cannot act on a POST with a Content-Length, so a
    /// failure or an expired deadline up to then is ConnectFailed/TimeoutBeforeSend and the body is not sent.
    /// After the body: TimeoutAfterSend or ResponseBroken (docs/antom-protocol.md 4.1: unknown, inquire).
    /// </para>
    /// <para>
    /// Keep-alive: every request asks for it, so an inquiry every 2 s reuses one TLS connection instead of a new
    /// handshake each time; nanoFramework keeps a connection only if the server answers "Connection:
    /// keep-alive", and any failure or a response not read to its end closes it. A request that fails at once
    /// on a connection idle for more than 15 s (closed by the server meanwhile, so never read) is sent once
    /// more on a new connection.
    /// </para>
    /// </remarks>
    public sealed class WebRequestExchange : IHttpExchange
    {
        private const int MinimumTimeoutMs = 1000;

        // A connection kept longer than this may have been closed by the server meanwhile (idle timeouts: nginx
        // 75 s, Kestrel 130 s, load balancers 60 s; nanoFramework itself drops pooled connections after 600 s).
        private const int StaleAfterMs = 15000;

        // A request on such a connection fails at once (the server answers the request with a reset).
        private const int StaleFailureMs = 1000;

        private readonly string _baseUrl;
        private readonly bool _https;
        private readonly X509Certificate _caCertificate;
        private readonly char[] _chars = new char[HttpExchange.HeaderCapacity];
        private readonly byte[] _probe = new byte[1];

        // When the last exchange completed and left its connection in the pool; 0 when it closed it.
        private long _keptSinceMs;

        /// <param name="baseUrl">The gateway's base URL, e.g. https://gw.example.com:8443 (http only for a simulator).</param>
        /// <param name="caCertificate">
        /// The CA the gateway's certificate must chain to, or null to rely on the CA bundle stored on the device
        /// (nanoff --networkdeployment), which mbedTLS always loads.
        /// </param>
        public WebRequestExchange(string baseUrl, X509Certificate caCertificate)
        {
            if (baseUrl == null || baseUrl.Length == 0)
            {
                throw new ArgumentException("the gateway URL is empty", "baseUrl");
            }

            _baseUrl = baseUrl.EndsWith("/") ? baseUrl.Substring(0, baseUrl.Length - 1) : baseUrl;
            _https = _baseUrl.ToLower().IndexOf("https://") == 0;
            _caCertificate = caCertificate;
        }

        /// <summary>Exchanges refused because the wall clock was not set yet (see <see cref="DeviceClock.WallClockValid"/>).</summary>
        public int RefusedForClock { get; private set; }

        /// <summary>Requests sent again because a kept connection turned out to be closed by the server.</summary>
        public int StaleRetries { get; private set; }

        public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
        {
            exchange.ClearResponse();
            if (!DeviceClock.WallClockValid)
            {
                // The signature was made with a 1970 Request-Time, which the gateway rejects: not sent at all.
                RefusedForClock++;
                return HttpExchangeStatus.ConnectFailed;
            }

            long start = Environment.TickCount64;
            long deadline = start + (timeoutMs < MinimumTimeoutMs ? MinimumTimeoutMs : timeoutMs);
            bool pooledMayBeStale = _keptSinceMs != 0 && start - _keptSinceMs > StaleAfterMs;
            bool staleFailure;
            bool kept;
            HttpExchangeStatus status = Attempt(exchange, deadline, out staleFailure, out kept);
            if (staleFailure && pooledMayBeStale && Environment.TickCount64 < deadline)
            {
                // The kept connection had been closed by the server while idle, so the server never read the
                // request; the failed connection has left the pool. Once more on a new connection, as .NET's
                // HttpClient does for a request that fails at once on a reused connection.
                StaleRetries++;
                exchange.ClearResponse();
                status = Attempt(exchange, deadline, out staleFailure, out kept);
            }

            _keptSinceMs = kept ? Environment.TickCount64 : 0;
            return status;
        }

        /// <summary>
        /// One request on a pooled or new connection. <paramref name="staleFailure"/>: no response at all, and the
        /// failure came within <see cref="StaleFailureMs"/> of sending, as on a connection the server had closed.
        /// <paramref name="kept"/>: complete, and the connection stays in nanoFramework's pool for the next request.
        /// </summary>
        private HttpExchangeStatus Attempt(HttpExchange exchange, long deadline, out bool staleFailure, out bool kept)
        {
            staleFailure = false;
            kept = false;
            HttpWebRequest request = null;
            HttpWebResponse response = null;
            long sentAt = 0;
            try
            {
                int timeoutMs = (int)(deadline - Environment.TickCount64);
                request = (HttpWebRequest)WebRequest.Create(_baseUrl + exchange.Path);
                request.Method = exchange.Method;
                request.Timeout = timeoutMs;
                request.ReadWriteTimeout = timeoutMs;
                request.KeepAlive = true;
                request.ContentType = exchange.ContentType;
                request.ContentLength = exchange.RequestBodyLength;
                if (_https)
                {
                    request.SslProtocols = SslProtocols.Tls12;
                    request.SslVerification = SslVerification.CertificateRequired;
                    request.HttpsAuthentCert = _caCertificate;
                }

                request.Headers.Add("Client-Id", exchange.ClientId);
                request.Headers.Add("Request-Time", Ascii(exchange.RequestTime, exchange.RequestTimeLength));
                request.Headers.Add("Signature", Ascii(exchange.Signature, exchange.SignatureLength));

                // Connects (DNS, TCP, TLS) or takes a pooled connection, and sends the header block. Not disposed:
                // disposing this wrapper closes the connection before the response is read.
                Stream body;
                try
                {
                    body = request.GetRequestStream();
                }
                catch (Exception)
                {
                    request.KeepAlive = false;
                    return Environment.TickCount64 >= deadline ? HttpExchangeStatus.TimeoutBeforeSend : HttpExchangeStatus.ConnectFailed;
                }

                if (Environment.TickCount64 >= deadline)
                {
                    // DNS and the TLS handshake are not bounded by Timeout; never send after the deadline.
                    request.KeepAlive = false;
                    return HttpExchangeStatus.TimeoutBeforeSend;
                }

                sentAt = Environment.TickCount64;
                body.Write(exchange.RequestBuffer, exchange.RequestBodyOffset, exchange.RequestBodyLength);
                body.Flush();

                try
                {
                    response = (HttpWebResponse)request.GetResponse();
                }
                catch (Exception)
                {
                    staleFailure = Environment.TickCount64 - sentAt < StaleFailureMs;
                    throw;
                }

                exchange.StatusCode = (int)response.StatusCode;
                WebHeaderCollection headers = response.Headers;
                exchange.ResponseTimeLength = CopyHeader(headers["Response-Time"], exchange.ResponseTime);
                exchange.ResponseSignatureLength = CopyHeader(headers["Signature"], exchange.ResponseSignature);
                exchange.ResponseClientIdLength = CopyHeader(headers["Client-Id"], exchange.ResponseClientId);

                HttpExchangeStatus status = ReadBody(response, exchange);
                if (status != HttpExchangeStatus.Completed)
                {
                    // Unread bytes would spoil a kept-alive connection: close it.
                    request.KeepAlive = false;
                }

                // nanoFramework keeps the connection only when the server said so explicitly (HttpWebResponse.Dispose).
                string connection = headers["Connection"];
                kept = status == HttpExchangeStatus.Completed && connection != null && connection.ToLower() == "keep-alive";
                return status;
            }
            catch (Exception)
            {
                if (request != null)
                {
                    request.KeepAlive = false;
                }

                if (sentAt == 0)
                {
                    return HttpExchangeStatus.ConnectFailed;
                }

                return Environment.TickCount64 >= deadline ? HttpExchangeStatus.TimeoutAfterSend : HttpExchangeStatus.ResponseBroken;
            }
            finally
            {
                // Every response and request is disposed: nanoFramework holds sockets and TLS contexts until then.
                if (response != null)
                {
                    response.Dispose();
                }

                if (request != null)
                {
                    request.Dispose();
                }
            }
        }

        private HttpExchangeStatus ReadBody(HttpWebResponse response, HttpExchange exchange)
        {
            int capacity = exchange.ResponseBodyCapacity;
            long declared = response.ContentLength;
            if (declared > capacity)
            {
                return HttpExchangeStatus.ResponseTooLarge;
            }

            Stream stream = response.GetResponseStream();
            byte[] target = exchange.ResponseBuffer;
            int offset = exchange.ResponseBodyOffset;
            int total = 0;
            while (total < capacity)
            {
                if (declared >= 0 && total == declared)
                {
                    exchange.ResponseBodyLength = total;
                    return HttpExchangeStatus.Completed;
                }

                int n = stream.Read(target, offset + total, capacity - total);
                if (n <= 0)
                {
                    if (declared > total)
                    {
                        return HttpExchangeStatus.ResponseBroken;
                    }

                    exchange.ResponseBodyLength = total;
                    return HttpExchangeStatus.Completed;
                }

                total += n;
            }

            // Exactly full: complete only if nothing follows.
            if (declared == total || stream.Read(_probe, 0, 1) <= 0)
            {
                exchange.ResponseBodyLength = total;
                return HttpExchangeStatus.Completed;
            }

            return HttpExchangeStatus.ResponseTooLarge;
        }

        /// <summary>ASCII header value from the exchange's bytes (header strings are made once per request).</summary>
        private string Ascii(byte[] bytes, int length)
        {
            for (int i = 0; i < length; i++)
            {
                _chars[i] = (char)bytes[i];
            }

            return new string(_chars, 0, length);
        }

        /// <summary>Copies an ASCII header value; 0 (absent) when missing, not ASCII or longer than the buffer.</summary>
        private static int CopyHeader(string value, byte[] target)
        {
            if (value == null || value.Length > target.Length)
            {
                return 0;
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c > (char)0x7F)
                {
                    return 0;
                }

                target[i] = (byte)c;
            }

            return value.Length;
        }
    }
}
