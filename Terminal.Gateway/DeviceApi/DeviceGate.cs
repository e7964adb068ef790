using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Security;

namespace Terminal.Gateway.DeviceApi;

/// <summary>
/// Device authentication and answer signing, shared by every device route group (<see cref="DeviceRouteGroups"/>):
/// reads the body up to <c>Gateway:MaxRequestBodyBytes</c>, authenticates it (<see cref="DeviceAuthenticator"/>),
/// refuses bodies that are not strict JSON (<see cref="StrictJson"/>), runs the group's handler, and answers with
/// Response-Time and an HS256 Signature over <c>POST &lt;request path&gt;\n&lt;Client-Id&gt;.&lt;Response-Time&gt;.&lt;body&gt;</c>
/// made with the message type's answer key. Rejections before a verified MAC are answered unsigned. Antom answers its
/// own errors with HTTP 200 and an Antom body (SDKs treat any other status as a transport failure), and so does the gateway.
/// </summary>
public sealed partial class DeviceGate(GatewaySettings settings, DeviceAuthenticator authenticator, GatewayMetrics metrics, ILogger<DeviceGate> log)
{
    private static readonly SearchValues<char> AsciiLettersAndDigits = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Header on answers served from the record of an earlier identical request.</summary>
    public const string ReplayedHeader = "Gateway-Replayed";

    public async Task HandleAsync(HttpContext context, DeviceMessageType type, string operation, DeviceMessageHandler handler)
    {
        using var activity = GatewayTelemetry.Source.StartActivity("device request");
        if (activity != null) activity.DisplayName = "device " + operation;
        var elapsed = Stopwatch.StartNew();
        var request = context.Request;
        string path = request.PathBase.Add(request.Path).Value + request.QueryString.Value;
        string? clientId = Header(request, "Client-Id");

        int limit = settings.Options.MaxRequestBodyBytes;
        byte[]? body = await RequestBodies.ReadAsync(request, limit, context.RequestAborted).ConfigureAwait(false);
        if (body == null)
        {
            await RejectAsync(context, operation, path, clientId, null, 0, ResultCodes.ParamIllegal, $"body exceeds {limit} bytes", elapsed).ConfigureAwait(false);
            return;
        }

        DeviceAuthentication auth;
        try
        {
            auth = await authenticator.AuthenticateAsync(type, path, clientId, Header(request, "Request-Time"), Header(request, "Signature"), body, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (Storage.GatewayDatabase.IsUnavailable(e))
        {
            // The device's key is in the database: without it the request can be neither verified nor answered signed.
            // Nothing was recorded or sent, so the same request may be sent again; 503 tells any HTTP client so.
            metrics.RecordDatabaseFault("authenticate");
            log.LogWarning("device request {Operation} not authenticated: the database is unavailable ({Error})", operation, e.Message);
            context.Response.Headers.RetryAfter = "1";
            await WriteAsync(context, path, clientId, null, 0, AntomJson.Result("U", ResultCodes.UnknownException,
                "gateway: temporarily unable to process the request (database unavailable); nothing was done: send the same request again"), false,
                StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            Finish(operation, clientId, null, "U", ResultCodes.UnknownException, "database_unavailable", elapsed);
            return;
        }
        if (!auth.Succeeded)
        {
            await RejectAsync(context, operation, path, clientId, auth.AnswerKey, auth.KeyVersion, auth.ErrorCode!, auth.ErrorMessage!, elapsed).ConfigureAwait(false);
            return;
        }

        var device = auth.Device!;
        string? bodyError = StrictJson.Check(body);
        if (bodyError != null)
        {
            await RejectAsync(context, operation, path, device.DeviceId, auth.AnswerKey, auth.KeyVersion, ResultCodes.ParamIllegal, bodyError, elapsed).ConfigureAwait(false);
            return;
        }

        DeviceAnswer answer;
        try
        {
            answer = await handler(new DeviceRequest(type, operation, path, device, auth.KeyVersion, auth.RequestTime, body, auth.GrantedKeys)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A handler that failed outright (its own guards did not catch it) still gives the device a signed answer.
            log.LogError(e, "device request {Operation} of {DeviceId} failed inside the gateway", operation, device.DeviceId);
            answer = new DeviceAnswer(AntomJson.Result("U", ResultCodes.UnknownException, "gateway: internal error; the result is unknown, inquire later"),
                false, null, "gateway_error");
        }
        finally
        {
            foreach (byte[] granted in auth.GrantedKeys) CryptographicOperations.ZeroMemory(granted);
        }
        await WriteAsync(context, path, device.DeviceId, auth.AnswerKey, auth.KeyVersion, answer.Body, answer.Replayed).ConfigureAwait(false);
        var (status, code) = AntomJson.ReadResult(answer.Body);
        Finish(operation, device.DeviceId, answer.RequestId, status, code ?? "NONE", answer.Outcome, elapsed);
    }

    /// <summary>
    /// A download of the terminal API (<c>GET</c>, empty body, <see cref="DeviceMessageType.Method"/>): authenticated as every
    /// device request with the type's request key, then <paramref name="handler"/> writes the answer itself (file bytes,
    /// not signed: the terminal checks them against its authenticated manifest) and returns the result code for the log
    /// and metrics. A refused request gets an HTTP error status (never 200 or 206, which would read as file bytes) with an
    /// unsigned Antom-shaped body naming why: 400 for a malformed request, 401 for an unknown device or a wrong MAC, 403
    /// for a revoked device or a retired key.
    /// </summary>
    public async Task HandleDownloadAsync(HttpContext context, DeviceMessageType type, string operation, Func<DeviceRequest, HttpContext, Task<string>> handler)
    {
        using var activity = GatewayTelemetry.Source.StartActivity("device request");
        if (activity != null) activity.DisplayName = "device " + operation;
        var elapsed = Stopwatch.StartNew();
        var request = context.Request;
        string path = request.PathBase.Add(request.Path).Value + request.QueryString.Value;
        string? clientId = Header(request, "Client-Id");
        byte[]? body = await RequestBodies.ReadAsync(request, 0, context.RequestAborted).ConfigureAwait(false);
        DeviceAuthentication auth;
        try
        {
            auth = body == null
                ? new DeviceAuthentication(null, null, 0, 0, ResultCodes.ParamIllegal, "a download has an empty body")
                : await authenticator.AuthenticateAsync(type, path, clientId, Header(request, "Request-Time"), Header(request, "Signature"), body, CancellationToken.None)
                    .ConfigureAwait(false);
        }
        catch (Exception e) when (Storage.GatewayDatabase.IsUnavailable(e))
        {
            metrics.RecordDatabaseFault("authenticate");
            log.LogWarning("device request {Operation} not authenticated: the database is unavailable ({Error})", operation, e.Message);
            context.Response.Headers.RetryAfter = "1";
            await WriteAsync(context, path, clientId, null, 0, AntomJson.Result("U", ResultCodes.UnknownException, "gateway: database unavailable; try again"), false,
                StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            Finish(operation, clientId, null, "U", ResultCodes.UnknownException, "database_unavailable", elapsed);
            return;
        }
        if (auth.AnswerKey != null) CryptographicOperations.ZeroMemory(auth.AnswerKey);
        if (!auth.Succeeded)
        {
            int status = auth.ErrorCode == ResultCodes.ParamIllegal ? StatusCodes.Status400BadRequest
                : auth.ErrorCode == ResultCodes.AccessDenied || auth.Device != null ? StatusCodes.Status403Forbidden
                : StatusCodes.Status401Unauthorized;
            await WriteAsync(context, path, clientId, null, 0, AntomJson.Result("F", auth.ErrorCode!, auth.ErrorMessage!), false, status).ConfigureAwait(false);
            log.LogWarning("device request rejected: {Operation} device={DeviceId} code={ResultCode} reason={Reason}", operation, Printable(clientId), auth.ErrorCode,
                auth.ErrorMessage);
            Finish(operation, clientId, null, "F", auth.ErrorCode!, "rejected", elapsed);
            return;
        }

        string code;
        try
        {
            code = await handler(new DeviceRequest(type, operation, path, auth.Device!, auth.KeyVersion, auth.RequestTime, body!, auth.GrantedKeys), context)
                .ConfigureAwait(false);
        }
        finally
        {
            foreach (byte[] granted in auth.GrantedKeys) CryptographicOperations.ZeroMemory(granted);
        }
        Finish(operation, auth.Device!.DeviceId, null, code == ResultCodes.Success ? "S" : "F", code, "local", elapsed);
    }

    /// <summary>Answers a refused request; signed only when <paramref name="answerKey"/> is set (the MAC verified).
    /// Not recorded in the database (unauthenticated traffic must not fill it); logged and counted.</summary>
    private async Task RejectAsync(HttpContext context, string operation, string path, string? clientId, byte[]? answerKey, int keyVersion, string code, string message, Stopwatch elapsed)
    {
        await WriteAsync(context, path, clientId, answerKey, keyVersion, AntomJson.Result("F", code, message), false).ConfigureAwait(false);
        log.LogWarning("device request rejected: {Operation} device={DeviceId} code={ResultCode} reason={Reason}", operation, Printable(clientId), code, message);
        Finish(operation, clientId, null, "F", code, "rejected", elapsed);
    }

    private async Task WriteAsync(HttpContext context, string path, string? clientId, byte[]? answerKey, int keyVersion, string body, bool replayed,
        int httpStatus = StatusCodes.Status200OK)
    {
        // The body's bytes in a pooled buffer: signed and written from there, so no array per answer.
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(body.Length));
        try
        {
            int length = Encoding.UTF8.GetBytes(body, buffer);
            string responseTime = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var response = context.Response;
            response.StatusCode = httpStatus;
            response.ContentType = "application/json; charset=UTF-8";
            // nanoFramework's HttpWebRequest keeps a connection for the next request only when the server says
            // keep-alive explicitly; without it every poll of a terminal pays a fresh TLS handshake (about 1 s on an ESP32).
            response.Headers.Connection = "keep-alive";
            response.Headers["Response-Time"] = responseTime;
            if (!string.IsNullOrEmpty(clientId) && !clientId.AsSpan().ContainsAnyExcept(AsciiLettersAndDigits)) response.Headers["Client-Id"] = clientId;
            if (answerKey != null && clientId != null)
            {
                Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
                using (var content = SignContent.Rent(path, clientId, responseTime, buffer.AsSpan(0, length)))
                    Hs256.Sign(answerKey, content.Span, mac);
                response.Headers["Signature"] = SignatureHeader.Format(SignatureHeader.Hs256, keyVersion, mac);
                CryptographicOperations.ZeroMemory(answerKey);
            }
            if (replayed) response.Headers[ReplayedHeader] = "true";
            response.ContentLength = length;
            await response.Body.WriteAsync(buffer.AsMemory(0, length)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Finish(string operation, string? deviceId, string? requestId, string? status, string code, string outcome, Stopwatch elapsed)
    {
        double ms = elapsed.Elapsed.TotalMilliseconds;
        if (Activity.Current is { Source.Name: GatewayTelemetry.Name } activity)
        {
            activity.SetTag(GatewayTelemetry.DeviceId, Printable(deviceId));
            activity.SetTag(GatewayTelemetry.RequestId, requestId);
            activity.SetTag(GatewayTelemetry.ResultStatus, status);
            activity.SetTag(GatewayTelemetry.ResultCode, code);
            activity.SetTag(GatewayTelemetry.Upstream, outcome);
            if (status == "F" && outcome == "rejected") activity.SetStatus(ActivityStatusCode.Error, code);
        }
        metrics.RecordRequest(operation, code, ms);
        RequestLine(log, operation, Printable(deviceId), requestId, status, code, outcome, ms);
    }

    /// <summary>The line every device request leaves (generated: no argument array per request, nothing when not logged).</summary>
    [LoggerMessage(EventId = 1, EventName = "DeviceRequest", Level = LogLevel.Information,
        Message = "device request {Operation} device={DeviceId} requestId={RequestId} result={ResultStatus}/{ResultCode} upstream={Upstream} elapsedMs={ElapsedMs:0.0}")]
    private static partial void RequestLine(ILogger log, string operation, string? deviceId, string? requestId, string? resultStatus, string resultCode, string upstream,
        double elapsedMs);

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Device ids go into logs only when they look like device ids (no log forging through headers).</summary>
    private static string? Printable(string? id) => id == null ? null : id.Length <= 32 && id.All(char.IsAsciiLetterOrDigit) ? id : "<invalid>";
}
