using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Terminal.AntomEmulator;

/// <summary>
/// The whole HTTP pipeline of the Antom endpoints: path and method, body, signature check, fault selection,
/// dispatch to the services, and the signed answer (Response-Time, Client-Id, Signature over
/// <c>POST &lt;request path&gt;\n&lt;Client-Id&gt;.&lt;Response-Time&gt;.&lt;body&gt;</c>).
/// Antom answers business and signature errors with HTTP 200 and a result object; only transport-level problems
/// (unknown path 404, wrong method 405, injected faults) use other status codes.
/// </summary>
internal sealed class AntomApiHandler
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly EmulatorState _state;
    private readonly RequestAuthenticator _authenticator;
    private readonly AntomSigner _signer;
    private readonly EmulatorFaults _faults;
    private readonly PaymentService _payments;
    private readonly RefundService _refunds;

    public AntomApiHandler(EmulatorState state, RequestAuthenticator authenticator, AntomSigner signer, EmulatorFaults faults)
    {
        _state = state;
        _authenticator = authenticator;
        _signer = signer;
        _faults = faults;
        _payments = new PaymentService(state);
        _refunds = new RefundService(state);
    }

    public async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        // The signed content uses the path exactly as the client sent it, escapes included.
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? path;
        string clientId = context.Request.Headers["Client-Id"].ToString();

        if (!AntomPaths.TryMatch(path, out AntomApi api))
        {
            await WriteSignedAsync(context, StatusCodes.Status404NotFound, target, clientId,
                ResponseFactory.Failure(ResultCodes.NoInterfaceDef, $"no API at {path}")).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await WriteSignedAsync(context, StatusCodes.Status405MethodNotAllowed, target, clientId,
                ResponseFactory.Failure(ResultCodes.MethodNotSupported, "only POST is supported")).ConfigureAwait(false);
            return;
        }

        string? contentType = context.Request.ContentType;
        if (contentType != null && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteSignedAsync(context, StatusCodes.Status200OK, target, clientId,
                ResponseFactory.Failure(ResultCodes.MediaTypeNotAcceptable, "Content-Type must be application/json")).ConfigureAwait(false);
            return;
        }

        byte[]? body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body == null)
        {
            await WriteSignedAsync(context, StatusCodes.Status200OK, target, clientId,
                ResponseFactory.Failure(ResultCodes.ParamIllegal, $"request body is larger than {MaxBodyBytes} bytes")).ConfigureAwait(false);
            return;
        }

        var auth = _authenticator.Authenticate(target, context.Request.Headers, body);
        if (!auth.Ok && auth.ResultCode == ResultCodes.InvalidSignature)
        {
            // Antom answers a request whose signature it cannot verify without a Signature header (docs/antom-protocol.md
            // section 2, AMS SignatureUtil); a client must not trust such an answer.
            await WriteUnsignedAsync(context, target, clientId, ResponseFactory.Failure(auth.ResultCode, auth.Message)).ConfigureAwait(false);
            return;
        }

        if (!auth.Ok)
        {
            await WriteSignedAsync(context, StatusCodes.Status200OK, target, clientId,
                ResponseFactory.Failure(auth.ResultCode, auth.Message)).ConfigureAwait(false);
            return;
        }

        FaultRule? fault = _faults.Pick(clientId, api);
        switch (fault?.Kind)
        {
            case FaultKind.TooManyRequests:
                await WriteSignedAsync(context, StatusCodes.Status429TooManyRequests, target, clientId,
                    ResponseFactory.Failure(ResultCodes.RequestTrafficExceedLimit, "request traffic exceeds the limit; retry later", "U")).ConfigureAwait(false);
                return;
            case FaultKind.UnknownException:
                await WriteSignedAsync(context, StatusCodes.Status200OK, target, clientId,
                    ResponseFactory.Failure(ResultCodes.UnknownException, "API failed due to unknown reason.", "U")).ConfigureAwait(false);
                return;
            case FaultKind.HttpError when !fault.AfterProcessing:
                await WritePlainErrorAsync(context, fault.HttpStatus).ConfigureAwait(false);
                return;
            case FaultKind.ConnectionReset when !fault.AfterProcessing:
                context.Abort();
                return;
        }

        byte[] answer = Dispatch(api, clientId, body);
        DateTimeOffset? responseTime = null;
        bool corruptSignature = false;
        switch (fault?.Kind)
        {
            case FaultKind.Latency:
                try
                {
                    await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up or the server stops
                }

                break;
            case FaultKind.HttpError:
                await WritePlainErrorAsync(context, fault.HttpStatus).ConfigureAwait(false);
                return;
            case FaultKind.ConnectionReset:
                await WriteHalfThenAbortAsync(context, target, clientId, answer).ConfigureAwait(false);
                return;
            case FaultKind.TruncatedBody:
                await WriteSignedAsync(context, StatusCodes.Status200OK, target, clientId, answer, truncate: true).ConfigureAwait(false);
                return;
            case FaultKind.WrongSignature:
                corruptSignature = true;
                break;
            case FaultKind.SkewedResponseTime:
                responseTime = _state.Clock.GetUtcNow() + fault.ResponseTimeSkew;
                break;
        }

        await WriteSignedAsync(context, StatusCodes.Status200OK, target, clientId, answer, responseTime, corruptSignature).ConfigureAwait(false);
    }

    private byte[] Dispatch(AntomApi api, string clientId, byte[] body)
    {
        try
        {
            var root = JsonFields.ParseRoot(body);
            return api switch
            {
                AntomApi.Pay => _payments.Pay(clientId, root),
                AntomApi.InquiryPayment => _payments.Inquire(clientId, root),
                AntomApi.Cancel => _payments.Cancel(clientId, root),
                AntomApi.Refund => _refunds.Refund(clientId, root),
                AntomApi.InquiryRefund => _refunds.Inquire(clientId, root),
                _ => throw new ArgumentOutOfRangeException(nameof(api)),
            };
        }
        catch (AntomFailure failure)
        {
            return ResponseFactory.Failure(failure.ResultCode, failure.Message, failure.ResultStatus);
        }
    }

    private async Task WriteSignedAsync(HttpContext context, int status, string target, string clientId, byte[] body,
        DateTimeOffset? time = null, bool corruptSignature = false, bool truncate = false)
    {
        SetSignedHeaders(context, status, target, clientId, body, time, corruptSignature);
        int length = truncate ? body.Length / 2 : body.Length;
        context.Response.ContentLength = length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, length), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteUnsignedAsync(HttpContext context, string target, string clientId, byte[] body)
    {
        SetSignedHeaders(context, StatusCodes.Status200OK, target, clientId, body, null, false);
        context.Response.Headers.Remove("Signature");
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteHalfThenAbortAsync(HttpContext context, string target, string clientId, byte[] body)
    {
        SetSignedHeaders(context, StatusCodes.Status200OK, target, clientId, body, null, false);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    private void SetSignedHeaders(HttpContext context, int status, string target, string clientId, byte[] body, DateTimeOffset? time, bool corrupt)
    {
        var options = _state.Options;
        string responseTime = TimeHeader.Format(time ?? _state.Clock.GetUtcNow(), options.TimeHeaderFormat, options.TimeZoneOffset);
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json; charset=UTF-8";
        response.Headers["Response-Time"] = responseTime;
        response.Headers["Client-Id"] = clientId;
        response.Headers["Signature"] = _signer.SignatureHeader(target, clientId, responseTime, body, corrupt);
    }

    private static async Task WritePlainErrorAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        await context.Response.WriteAsync($"{status} injected by the Antom emulator", context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
