using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Api;

/// <summary>
/// notifyPayment from Antom. The RSA256 signature is verified first, over
/// <c>POST &lt;path of the gateway's notify URL&gt;\n&lt;Client-Id&gt;.&lt;Request-Time&gt;.&lt;raw body&gt;</c> with the Antom public key
/// (docs/antom-protocol.md section 2); then the notification is recorded (a duplicate only bumps a counter) and acknowledged
/// with the JSON Antom expects. The acknowledgement is not signed (Antom does not ask for it). A notification that
/// fails verification is not recorded and gets HTTP 401, so Antom would resend it; one that is not strict JSON
/// (<see cref="StrictJson"/>) gets 400 naming the problem, one larger than 256 KiB gets 413.
/// </summary>
public sealed class NotifyEndpoint(GatewaySettings settings, GatewayEndpoints endpoints, GatewayStore store, GatewayMetrics metrics, ILogger<NotifyEndpoint> log)
{
    public const string Acknowledgement = "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}}";
    private const int MaxBodyBytes = 256 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        byte[]? body = await RequestBodies.ReadAsync(request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (body == null)
        {
            log.LogWarning("notification rejected: body larger than {Limit} bytes", MaxBodyBytes);
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, ResultCodes.ParamIllegal, "body too large", "too_large").ConfigureAwait(false);
            return;
        }
        string? clientId = request.Headers["Client-Id"].FirstOrDefault();
        string? requestTime = request.Headers["Request-Time"].FirstOrDefault();
        var signature = SignatureHeader.TryParse(request.Headers["Signature"].FirstOrDefault(), out string signatureError);

        if (clientId != settings.AntomClientId || string.IsNullOrEmpty(requestTime) || signature == null
            || !signature.Algorithm.Equals(SignatureHeader.Rsa256, StringComparison.OrdinalIgnoreCase)
            || !Rsa256.Verify(settings.AntomPublicKey, SignContent.Build(endpoints.NotifySignaturePath, clientId, requestTime, body), signature.Signature))
        {
            string reason = clientId != settings.AntomClientId ? "Client-Id is not the merchant's"
                : string.IsNullOrEmpty(requestTime) ? "Request-Time header is missing"
                : signature == null ? signatureError
                : "signature does not verify with the Antom public key";
            log.LogWarning("notification rejected: {Reason}", reason);
            await RejectAsync(context, StatusCodes.Status401Unauthorized, ResultCodes.InvalidSignature, reason, "invalid_signature").ConfigureAwait(false);
            return;
        }

        string? bodyError = StrictJson.Check(body);
        if (bodyError != null)
        {
            log.LogWarning("notification rejected: {Reason}", bodyError);
            await RejectAsync(context, StatusCodes.Status400BadRequest, ResultCodes.ParamIllegal, bodyError, "malformed").ConfigureAwait(false);
            return;
        }

        var json = AntomJson.TryParseObject(body);
        string? notifyType = AntomJson.Str(json, "notifyType");
        if (json == null || string.IsNullOrEmpty(notifyType))
        {
            log.LogWarning("notification rejected: body is not an Antom notification");
            await RejectAsync(context, StatusCodes.Status400BadRequest, ResultCodes.ParamIllegal, "body is not a notifyPayment object", "malformed").ConfigureAwait(false);
            return;
        }

        string? paymentRequestId = AntomJson.Str(json, "paymentRequestId");
        string? paymentId = AntomJson.Str(json, "paymentId");
        string? resultStatus = AntomJson.Str(json, "result", "resultStatus");
        string? resultCode = AntomJson.Str(json, "result", "resultCode");
        // Duplicates (Antom resends until acknowledged, with a new Request-Time) share this key.
        string key = string.Join('|', notifyType, paymentId != null ? "id:" + paymentId : "req:" + paymentRequestId, resultStatus, resultCode);
        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        bool isNew = await store.RecordNotificationAsync(new NotificationRecord(key, notifyType, paymentRequestId, paymentId, resultStatus, resultCode,
            clientId, requestTime, Encoding.UTF8.GetString(body), now, 0, now)).ConfigureAwait(false);

        if (isNew && notifyType == "PAYMENT_RESULT" && resultStatus is "S" or "F" && paymentRequestId != null)
        {
            try
            {
                await store.UpdatePaymentAsync(paymentRequestId, paymentId, resultStatus == "S" ? "SUCCESS" : "FAIL", now).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException e)
            {
                // The notification itself is recorded; only the derived payment state could not be stored.
                log.LogError(e, "notification for {PaymentRequestId} recorded, but the payment state could not be updated", paymentRequestId);
            }
        }

        metrics.RecordNotification(isNew ? "recorded" : "duplicate");
        log.LogInformation("notification {NotifyType} paymentRequestId={PaymentRequestId} result={ResultStatus}/{ResultCode} {Kind}",
            notifyType, paymentRequestId, resultStatus, resultCode, isNew ? "recorded" : "duplicate");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(Acknowledgement).ConfigureAwait(false);
    }

    private async Task RejectAsync(HttpContext context, int status, string code, string message, string outcome)
    {
        metrics.RecordNotification(outcome);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(AntomJson.Result("F", code, message)).ConfigureAwait(false);
    }
}
