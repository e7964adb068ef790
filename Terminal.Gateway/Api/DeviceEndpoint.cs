using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Api;

/// <summary>
/// The device-facing HTTP handler for the five Antom paths: authenticate, answer replays from the record, record the
/// request, run the operation, record the outcome, and answer with Response-Time and an HS256 Signature over
/// <c>POST &lt;request path&gt;\n&lt;Client-Id&gt;.&lt;Response-Time&gt;.&lt;response body&gt;</c>. Antom answers its own errors with HTTP
/// 200 and an Antom body (SDKs treat any other status as a transport failure), and so does the gateway.
/// </summary>
public sealed class DeviceEndpoint(
    GatewaySettings settings,
    DeviceAuthenticator authenticator,
    DeviceOperations operations,
    GatewayStore store,
    GatewayMetrics metrics,
    ILogger<DeviceEndpoint> log)
{
    /// <summary>Header on answers served from the record of an earlier identical request.</summary>
    public const string ReplayedHeader = "Gateway-Replayed";

    private static readonly TimeSpan ReplayPollInterval = TimeSpan.FromMilliseconds(20);

    public async Task HandleAsync(HttpContext context, string operation)
    {
        var elapsed = Stopwatch.StartNew();
        var request = context.Request;
        string path = request.PathBase.Add(request.Path).Value + request.QueryString.Value;
        string? clientId = Header(request, "Client-Id");

        byte[]? body = await ReadBodyAsync(request, settings.Options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body == null)
        {
            await AnswerAsync(context, path, clientId, null, 0, AntomJson.Result("F", ResultCodes.ParamIllegal, $"body exceeds {settings.Options.MaxRequestBodyBytes} bytes"), false).ConfigureAwait(false);
            Finish(operation, clientId, null, "F", ResultCodes.ParamIllegal, "rejected", elapsed);
            return;
        }

        var auth = await authenticator.AuthenticateAsync(path, clientId, Header(request, "Request-Time"), Header(request, "Signature"), body, CancellationToken.None).ConfigureAwait(false);
        if (!auth.Succeeded)
        {
            // Not recorded in the database (unauthenticated traffic must not fill it); logged and counted.
            await AnswerAsync(context, path, clientId, auth.Key, auth.KeyVersion, AntomJson.Result("F", auth.ErrorCode!, auth.ErrorMessage!), false).ConfigureAwait(false);
            log.LogWarning("device request rejected: {Operation} device={DeviceId} code={ResultCode} reason={Reason}", operation, Printable(clientId), auth.ErrorCode, auth.ErrorMessage);
            Finish(operation, clientId, null, "F", auth.ErrorCode!, "rejected", elapsed);
            return;
        }

        var device = auth.Device!;
        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        string replayKey = Convert.ToHexStringLower(SHA256.HashData(SignContent.Build(path, device.DeviceId, auth.RequestTime.ToString(CultureInfo.InvariantCulture), body)));
        var json = AntomJson.TryParseObject(body);
        string transactionId = Guid.NewGuid().ToString("N");
        // A replay key must outlive every Request-Time that could still pass the window check.
        long expiresAt = Math.Max(now, auth.RequestTime) + 2 * (long)settings.RequestTimeWindow.TotalMilliseconds;
        var claim = await store.ClaimAsync(replayKey, expiresAt, new NewTransaction(transactionId, device.DeviceId, operation, path, auth.RequestTime, now,
            AntomJson.Str(json, "paymentRequestId"), AntomJson.Str(json, "paymentId"), AntomJson.Str(json, "refundRequestId"),
            Encoding.UTF8.GetString(body), settings.InstanceName)).ConfigureAwait(false);

        if (!claim.Claimed)
        {
            string recorded = claim.RecordedResponse ?? await WaitForRecordAsync(replayKey).ConfigureAwait(false)
                ?? AntomJson.Result("U", ResultCodes.UnknownException, "gateway: the same request is still being processed; retry later");
            await AnswerAsync(context, path, device.DeviceId, auth.Key, auth.KeyVersion, recorded, true).ConfigureAwait(false);
            var (rs, rc) = AntomJson.ReadResult(recorded);
            Finish(operation, device.DeviceId, AntomJson.Str(json, "paymentRequestId"), rs, rc ?? "NONE", "replayed", elapsed);
            return;
        }

        OperationResult result;
        try
        {
            result = await operations.ExecuteAsync(operation, device, json, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "device request {Operation} failed inside the gateway (transaction {TransactionId})", operation, transactionId);
            result = new OperationResult(AntomJson.Result("U", ResultCodes.UnknownException, "gateway: internal error; the result is unknown, inquire later"),
                UpstreamOutcomes.TransportError, null, "gateway exception: " + e.GetType().Name);
        }

        var (status, code) = AntomJson.ReadResult(result.ResponseBody);
        long respondedAt = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var u = result.Upstream;
        await store.CompleteAsync(transactionId, replayKey, new TransactionCompletion(u?.RequestBody, u?.SentAt, u?.CompletedAt, u?.Attempts ?? 0,
            result.UpstreamOutcome, u?.HttpStatus, result.Detail, result.ResponseBody, status, code, respondedAt)).ConfigureAwait(false);
        await AnswerAsync(context, path, device.DeviceId, auth.Key, auth.KeyVersion, result.ResponseBody, false).ConfigureAwait(false);
        Finish(operation, device.DeviceId, AntomJson.Str(json, "paymentRequestId") ?? AntomJson.Str(json, "refundRequestId"), status, code ?? "NONE", result.UpstreamOutcome, elapsed);
    }

    /// <summary>Another request (maybe on another instance) holds the replay key: wait for its answer, up to the
    /// longest time an upstream call may take.</summary>
    private async Task<string?> WaitForRecordAsync(string replayKey)
    {
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromMilliseconds(settings.Options.Antom.TotalTimeoutMs + 2_000);
        while (deadline.Elapsed < limit)
        {
            await Task.Delay(ReplayPollInterval).ConfigureAwait(false);
            string? recorded = await store.RecordedResponseAsync(replayKey).ConfigureAwait(false);
            if (recorded != null) return recorded;
        }
        return null;
    }

    private async Task AnswerAsync(HttpContext context, string path, string? clientId, byte[]? key, int keyVersion, string body, bool replayed)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string responseTime = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=UTF-8";
        // nanoFramework's HttpWebRequest keeps a connection for the next request only when the server says
        // keep-alive explicitly; without it every poll of a terminal pays a fresh TLS handshake (about 1 s on an ESP32).
        response.Headers.Connection = "keep-alive";
        response.Headers["Response-Time"] = responseTime;
        if (!string.IsNullOrEmpty(clientId) && clientId.All(char.IsAsciiLetterOrDigit)) response.Headers["Client-Id"] = clientId;
        if (key != null && clientId != null)
            response.Headers["Signature"] = SignatureHeader.Format(SignatureHeader.Hs256, keyVersion, Hs256.Sign(key, SignContent.Build(path, clientId, responseTime, bytes)));
        if (replayed) response.Headers[ReplayedHeader] = "true";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    private void Finish(string operation, string? deviceId, string? requestId, string? status, string code, string upstream, Stopwatch elapsed)
    {
        double ms = elapsed.Elapsed.TotalMilliseconds;
        metrics.RecordRequest(operation, code, ms);
        log.LogInformation("device request {Operation} device={DeviceId} requestId={RequestId} result={ResultStatus}/{ResultCode} upstream={Upstream} elapsedMs={ElapsedMs:0.0}",
            operation, Printable(deviceId), requestId, status, code, upstream, ms);
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; null if it is longer.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream(request.ContentLength is long n ? (int)n : 1024);
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Device ids go into logs only when they look like device ids (no log forging through headers).</summary>
    private static string? Printable(string? id) => id == null ? null : id.Length <= 32 && id.All(char.IsAsciiLetterOrDigit) ? id : "<invalid>";
}
