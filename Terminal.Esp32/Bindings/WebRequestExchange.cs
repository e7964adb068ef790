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
    /// After the body: TimeoutAfterSend or ResponseBroken (antom-api.md 4.1: unknown, inquire).
    /// </para>
    /// <para>
    /// Every response and request is disposed in a finally block (nanoFramework keeps sockets and TLS
    /// contexts until then). Keep-alive: the request asks for it; nanoFramework keeps the connection only if
    /// the server answers "Connection: keep-alive", and a response not read to its end closes it.
    /// </para>
    /// </remarks>
    public sealed class WebRequestExchange : IHttpExchange
    {
        private const int MinimumTimeoutMs = 1000;

        private readonly string _baseUrl;
        private readonly bool _https;
        private readonly X509Certificate _caCertificate;
        private readonly char[] _chars = new char[HttpExchange.HeaderCapacity];
        private readonly byte[] _probe = new byte[1];

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

        public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
        {
            exchange.ClearResponse();
            if (!DeviceClock.WallClockValid)
            {
                // The signature was made with a 1970 Request-Time, which the gateway rejects: not sent at all.
                RefusedForClock++;
                return HttpExchangeStatus.ConnectFailed;
            }

            if (timeoutMs < MinimumTimeoutMs)
            {
                timeoutMs = MinimumTimeoutMs;
            }

            long deadline = Environment.TickCount64 + timeoutMs;
            HttpWebRequest request = null;
            HttpWebResponse response = null;
            bool bodySent = false;
            try
            {
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

                Stream body;
                try
                {
                    body = request.GetRequestStream();
                }
                catch (Exception)
                {
                    return Environment.TickCount64 >= deadline ? HttpExchangeStatus.TimeoutBeforeSend : HttpExchangeStatus.ConnectFailed;
                }

                if (Environment.TickCount64 >= deadline)
                {
                    // DNS and the TLS handshake are not bounded by Timeout; never send after the deadline.
                    return HttpExchangeStatus.TimeoutBeforeSend;
                }

                bodySent = true;
                body.Write(exchange.RequestBuffer, exchange.RequestBodyOffset, exchange.RequestBodyLength);
                body.Flush();

                response = (HttpWebResponse)request.GetResponse();
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

                return status;
            }
            catch (Exception)
            {
                if (request != null)
                {
                    request.KeepAlive = false;
                }

                if (!bodySent)
                {
                    return HttpExchangeStatus.ConnectFailed;
                }

                return Environment.TickCount64 >= deadline ? HttpExchangeStatus.TimeoutAfterSend : HttpExchangeStatus.ResponseBroken;
            }
            finally
            {
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
