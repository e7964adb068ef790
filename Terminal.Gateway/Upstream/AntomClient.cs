using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Upstream;

/// <summary>What one device request's call to Antom came to. <see cref="Body"/> is set only when the response
/// signature verified (<see cref="Outcome"/> = ok).</summary>
public sealed record UpstreamResult(
    string Outcome,
    string? Body,
    int? HttpStatus,
    int Attempts,
    string Detail,
    long SentAt,
    long CompletedAt);

/// <summary>Records an upstream attempt (body as stored, time, number) before it is sent; false: it must not be sent.</summary>
public delegate Task<bool> AttemptRecorder(Utf8Text storedBody, long sentAt, int attempt);

/// <summary>
/// The Antom hop: RSA256-signs each attempt with the merchant key (content uses the merchant Client-Id and the
/// upstream path, /ams/sandbox/api for SANDBOX_ clients), sends it over HTTPS with explicit connect, attempt and total
/// time limits, and verifies Antom's response signature with the Antom public key. Retries resend the identical body
/// (same paymentRequestId / refundRequestId), only after a transport failure, a timeout or HTTP 5xx/429, and only as
/// many times as the operation allows. A response that fails verification is never retried and never trusted; an
/// unsigned INVALID_SIGNATURE (Antom's answer to a request signature it cannot verify) is reported as such.
/// </summary>
public sealed class AntomClient : IDisposable
{
    private readonly GatewaySettings _settings;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger _log;
    private readonly HttpClient _http;

    /// <summary>Longest answer read from Antom (its answers are a few kilobytes); a longer one is cut off and not trusted.</summary>
    internal const int MaxAnswerBytes = 1 << 20;

    /// <summary>Upstream path and URI of each device path (the five Antom paths), made once.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Path, Uri Uri)> _targets = new(StringComparer.Ordinal);

    public AntomClient(GatewaySettings settings, GatewayMetrics metrics, ILogger<AntomClient> log)
    {
        _settings = settings;
        _metrics = metrics;
        _log = log;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(settings.Options.Antom.ConnectTimeoutMs),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        if (settings.UpstreamTrust is { } trust)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => TrustedBy(trust, certificate, chain, errors);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <param name="operation">pay, inquiryPayment, cancel, refund or inquiryRefund (for metrics, logs and the retry policy).</param>
    /// <param name="devicePath">The Antom path the device called, e.g. /ams/api/v1/payments/pay.</param>
    public Task<UpstreamResult> SendAsync(string operation, string devicePath, string body, CancellationToken ct) =>
        SendAsync(operation, devicePath, Encoding.UTF8.GetBytes(body), ct);

    /// <inheritdoc cref="SendAsync(string, string, string, CancellationToken)"/>
    /// <param name="bodyBytes">The body as UTF-8, sent as it is on every attempt.</param>
    /// <param name="beforeAttempt">Called with <paramref name="storedBody"/>, the attempt's time and number (1..) before
    /// each attempt is sent, so the caller can record it first. When it answers false or fails (its database is down) the
    /// attempt is not sent: the outcome is <see cref="UpstreamOutcomes.NotSent"/> if it was the first, else that of the
    /// attempt before.</param>
    /// <param name="storedBody">The body as the record keeps it (payment code masked), for <paramref name="beforeAttempt"/>.</param>
    public async Task<UpstreamResult> SendAsync(string operation, string devicePath, byte[] bodyBytes, CancellationToken ct, AttemptRecorder? beforeAttempt = null,
        Utf8Text? storedBody = null)
    {
        if (beforeAttempt != null) ArgumentNullException.ThrowIfNull(storedBody);
        var options = _settings.Options.Antom;
        int maxAttempts = operation is "pay" or "refund" ? options.MaxAttemptsPayRefund : options.MaxAttempts;
        var (path, uri) = _targets.GetOrAdd(devicePath, static (p, settings) =>
        {
            string upstream = settings.UpstreamPath(p);
            return (upstream, new Uri(settings.AntomBaseUri, upstream));
        }, _settings);
        var clock = _settings.Clock;
        long sentAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // The total limit is kept by giving each attempt and pause at most the time left (one timer per attempt, not two).
        long started = Stopwatch.GetTimestamp();
        int Left() => options.TotalTimeoutMs - (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        string? detail = null; // notes of attempts that did not give a verified answer
        string outcome = UpstreamOutcomes.TransportError;
        int? httpStatus = null;
        string? verifiedBody = null;
        int attempt = 0;
        while (attempt < maxAttempts)
        {
            attempt++;
            string? note = beforeAttempt == null ? null
                : await RefusedAttemptAsync(beforeAttempt, storedBody!, attempt, clock.GetUtcNow().ToUnixTimeMilliseconds()).ConfigureAwait(false);
            if (note != null)
            {
                detail += note;
                attempt--;
                if (attempt == 0) outcome = UpstreamOutcomes.NotSent;
                break;
            }
            bool retryable;
            using (var activity = GatewayTelemetry.Source.StartActivity("antom attempt", ActivityKind.Internal))
            {
                if (activity != null) activity.DisplayName = "antom " + operation;
                (outcome, httpStatus, verifiedBody, retryable, note) = await AttemptAsync(uri, path, bodyBytes, Math.Max(1, Math.Min(options.AttemptTimeoutMs, Left())), ct, attempt)
                    .ConfigureAwait(false);
                detail += note;
                activity?.SetTag(GatewayTelemetry.Attempt, attempt);
                activity?.SetTag(GatewayTelemetry.Upstream, outcome);
                if (outcome != UpstreamOutcomes.Ok) activity?.SetStatus(ActivityStatusCode.Error, outcome);
            }
            // A pause the total limit would cut short ends the attempts, as would the limit itself.
            if (!retryable || attempt >= maxAttempts || Left() <= options.RetryDelayMs) break;
            await Task.Delay(options.RetryDelayMs, ct).ConfigureAwait(false);
        }
        long completedAt = clock.GetUtcNow().ToUnixTimeMilliseconds();
        _metrics.RecordUpstream(operation, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (outcome != UpstreamOutcomes.Ok)
            _log.LogWarning("Antom {Operation} failed: {Outcome} after {Attempts} attempt(s): {Detail}", operation, outcome, attempt, detail);
        return new UpstreamResult(outcome, verifiedBody, httpStatus, attempt, detail?.TrimEnd(' ', ';') ?? "", sentAt, completedAt);
    }

    /// <summary>Null when the attempt may be sent (its record was written first); else why not.</summary>
    private static async Task<string?> RefusedAttemptAsync(AttemptRecorder beforeAttempt, Utf8Text storedBody, int attempt, long at)
    {
        try
        {
            return await beforeAttempt(storedBody, at, attempt).ConfigureAwait(false) ? null : $"attempt {attempt} not sent: the request is no longer pending; ";
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException)
        {
            return $"attempt {attempt} not sent: it could not be recorded first ({e.GetType().Name}); ";
        }
    }

    /// <returns>The attempt's outcome, and for anything but a verified answer a note for the record's detail.</returns>
    private async Task<(string Outcome, int? Status, string? Body, bool Retryable, string? Note)> AttemptAsync(
        Uri uri, string path, byte[] bodyBytes, int timeoutMs, CancellationToken caller, int attempt)
    {
        string clientId = _settings.AntomClientId;
        string requestTime = _settings.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        long signStart = Stopwatch.GetTimestamp();
        Span<byte> signature = stackalloc byte[SignatureHeader.MaxSignatureBytes];
        using (var content = SignContent.Rent(path, clientId, requestTime, bodyBytes))
            signature = signature[..Rsa256.Sign(_settings.MerchantPrivateKey, content.Span, signature)];
        _metrics.RecordRsaSign(Stopwatch.GetElapsedTime(signStart).TotalMilliseconds);
        string signatureHeader = SignatureHeader.Format(SignatureHeader.Rsa256, _settings.Options.Antom.KeyVersion, signature);

        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.TryAddWithoutValidation("Client-Id", clientId);
        request.Headers.TryAddWithoutValidation("Request-Time", requestTime);
        request.Headers.TryAddWithoutValidation("Signature", signatureHeader);
        request.Content = new ByteArrayContent(bodyBytes);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");

        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(caller);
        attemptCts.CancelAfter(timeoutMs);
        long attemptStarted = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            byte[]? responseBytes = await ReadAnswerAsync(response.Content, attemptCts.Token).ConfigureAwait(false);
            if (responseBytes == null)
                return (UpstreamOutcomes.TransportError, status, null, false, $"attempt {attempt}: HTTP {status} with an answer longer than {MaxAnswerBytes} bytes, not read; ");
            if (status != 200)
            {
                bool retry = status >= 500 || status == 429;
                return (UpstreamOutcomes.HttpError, status, null, retry, $"attempt {attempt}: HTTP {status}; ");
            }
            string? verifyError = Verify(path, response, responseBytes);
            if (verifyError != null && IsUnsignedSignatureRefusal(response, responseBytes))
            {
                // Nothing in an unsigned answer can be trusted, but this one is what Antom sends when the gateway's
                // own signature is wrong: a configuration error that every request will hit until it is fixed.
                _log.LogError("Antom refused the gateway's request signature (INVALID_SIGNATURE, unsigned): check Gateway:Antom:MerchantPrivateKey, " +
                    "Gateway:Antom:KeyVersion and Gateway:Antom:ClientId against the public key registered with Antom");
                return (UpstreamOutcomes.SignatureRefused, status, null, false, $"attempt {attempt}: Antom answered INVALID_SIGNATURE without a signature; ");
            }
            if (verifyError != null)
                return (UpstreamOutcomes.BadSignature, status, null, false, $"attempt {attempt}: {verifyError}; ");
            return (UpstreamOutcomes.Ok, status, Encoding.UTF8.GetString(responseBytes), false, null);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            // The limit is what this gateway allowed; the wait can be longer on a busy machine (the timer's callback queues).
            return (UpstreamOutcomes.Timeout, null, null, true,
                $"attempt {attempt}: no answer within its {timeoutMs} ms limit (waited {(long)Stopwatch.GetElapsedTime(attemptStarted).TotalMilliseconds} ms); ");
        }
        catch (IOException e)
        {
            // The connection failed while the answer's body was read (its headers had come).
            return (UpstreamOutcomes.TransportError, null, null, true, $"attempt {attempt}: transport error while reading the answer ({e.GetType().Name}); ");
        }
        catch (HttpRequestException e)
        {
            // A connect timeout surfaces as HttpRequestException wrapping a TimeoutException/OperationCanceledException.
            bool timedOut = e.InnerException is TimeoutException or OperationCanceledException;
            return (timedOut ? UpstreamOutcomes.Timeout : UpstreamOutcomes.TransportError, null, null, true, $"attempt {attempt}: {(timedOut ? "connect timeout" : "transport error")} ({e.HttpRequestError}); ");
        }
    }

    /// <summary>
    /// The answer's body, read into one array of its size: exactly Content-Length bytes, or (chunked) through a pooled
    /// buffer. Null when it is longer than <see cref="MaxAnswerBytes"/>.
    /// </summary>
    private static async Task<byte[]?> ReadAnswerAsync(HttpContent content, CancellationToken ct)
    {
        long? declared = content.Headers.ContentLength;
        if (declared > MaxAnswerBytes) return null;
        // The answer's own stream, there since its headers came (not a buffered copy): taken without a Task.
        await using var stream = content.ReadAsStream(ct);
        if (declared is long length)
        {
            var exact = new byte[length];
            await stream.ReadExactlyAsync(exact, ct).ConfigureAwait(false);
            return exact;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int filled = 0;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
                if (read == 0) return buffer.AsSpan(0, filled).ToArray();
                filled += read;
                if (filled > MaxAnswerBytes) return null;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Checks Antom's response signature; returns null if it verifies, else why not.</summary>
    private string? Verify(string path, HttpResponseMessage response, byte[] body)
    {
        string? responseTime = Header(response, "Response-Time");
        string? signatureHeader = Header(response, "Signature");
        if (responseTime == null || signatureHeader == null)
            return "response has no Response-Time or Signature header";
        Span<byte> signature = stackalloc byte[SignatureHeader.MaxSignatureBytes];
        if (!SignatureHeader.TryParse(signatureHeader, signature, out string algorithm, out _, out int length, out string error)) return "response " + error;
        if (!algorithm.Equals(SignatureHeader.Rsa256, StringComparison.OrdinalIgnoreCase))
            return $"response signature algorithm is {algorithm}, not RSA256";
        using var content = SignContent.Rent(path, _settings.AntomClientId, responseTime, body);
        return Rsa256.Verify(_settings.AntomPublicKey, content.Span, signature[..length]) ? null : "response signature does not verify with the Antom public key";
    }

    /// <summary>An answer without Signature header whose body says INVALID_SIGNATURE (docs/antom-protocol.md section 2).</summary>
    private static bool IsUnsignedSignatureRefusal(HttpResponseMessage response, byte[] body) =>
        Header(response, "Signature") == null && AntomJson.ReadResult(Encoding.UTF8.GetString(body)).Code == ResultCodes.InvalidSignature;

    private static string? Header(HttpResponseMessage response, string name)
    {
        // The non-validated view gives the value as received without an enumerable of values per lookup.
        if (!response.Headers.NonValidated.TryGetValues(name, out var values)) return null;
        foreach (string value in values) return value;
        return null;
    }

    /// <summary>Accepts a server certificate that chains to <paramref name="trust"/> (the emulator's CA) with a matching name.</summary>
    private static bool TrustedBy(X509Certificate2 trust, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(trust);
        if (presented != null)
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    public void Dispose() => _http.Dispose();
}
