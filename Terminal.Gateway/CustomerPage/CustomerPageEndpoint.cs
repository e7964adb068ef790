using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// <c>GET /result/{token}</c> on the device (public) listeners: the customer's result page of an order-code payment
/// (docs/customer-page.md). What it shows comes from the gateway's records, refreshed by an inquiry at Antom while the
/// payment is open; the request's query string, where a wallet or anyone may claim a result, is never read.
/// </summary>
public sealed class CustomerPageEndpoint(GatewaySettings settings, GatewayStore store, CustomerLinkStore links, StatusInquirer inquirer, PageRateLimiter limiter)
{
    public const string PathPrefix = "/result/";

    private readonly TimeZoneInfo _zone = PageFormat.FindZone(settings.Options.CustomerPage.TimeZone) ?? TimeZoneInfo.Utc;

    public static void Map(WebApplication app) =>
        app.MapGet(PathPrefix + "{token}", (HttpContext context, string token) => context.RequestServices.GetRequiredService<CustomerPageEndpoint>().HandleAsync(context, token));

    public async Task HandleAsync(HttpContext context, string token)
    {
        var options = settings.Options.CustomerPage;
        var text = PageText.For(context.Request.Headers.AcceptLanguage.ToString());
        var address = context.Connection.RemoteIpAddress;
        SecurityHeaders(context);
        if (!limiter.TryEnter(address, out TimeSpan retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, StatusCodes.Status429TooManyRequests, ResultPage.TooManyRequests(text)).ConfigureAwait(false);
            return;
        }

        var ct = context.RequestAborted;
        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var link = options.Enabled && LinkTokens.IsWellFormed(token) ? await links.FindAsync(LinkTokens.Hash(token), now, ct).ConfigureAwait(false) : null;
        var payment = link == null ? null : await store.FindPaymentAsync(link.PaymentRequestId, null, ct).ConfigureAwait(false);
        if (link == null || payment == null)
        {
            limiter.Failed(address);
            await WriteAsync(context, StatusCodes.Status404NotFound, ResultPage.Invalid(text)).ConfigureAwait(false);
            return;
        }

        if (payment.Status is not ("SUCCESS" or "FAIL" or "CANCELLED") && await inquirer.RefreshAsync(link, ct).ConfigureAwait(false))
        {
            payment = await store.FindPaymentAsync(link.PaymentRequestId, null, ct).ConfigureAwait(false) ?? payment;
            link = await links.FindAsync(link.TokenHash, now, ct).ConfigureAwait(false) ?? link;
        }
        var refunds = payment.PaymentId == null ? [] : await links.RefundsOfAsync(payment.PaymentId, ct).ConfigureAwait(false);
        var notification = await store.FindFinalNotificationAsync(payment.PaymentRequestId, payment.PaymentId, ct).ConfigureAwait(false);
        string? failureCode = link.ResultCode ?? (notification?.ResultStatus == "F" ? notification.ResultCode : null);
        var view = PaymentView.From(payment, refunds, notification?.ResultStatus == "S", failureCode, link.StoreName);
        int? refresh = view.IsOpen || view.State == PageState.RefundPending ? RefreshSeconds(now - link.CreatedAt) : null;
        await WriteAsync(context, StatusCodes.Status200OK, ResultPage.Render(view, text, _zone, refresh)).ConfigureAwait(false);
    }

    /// <summary>Every few seconds while the customer is likely waiting, then less often.</summary>
    private int RefreshSeconds(long ageMs)
    {
        int first = settings.Options.CustomerPage.RefreshSeconds;
        return ageMs < 120_000 ? first : ageMs < 900_000 ? Math.Min(60, first * 3) : 60;
    }

    private static void SecurityHeaders(HttpContext context)
    {
        var h = context.Response.Headers;
        h.ContentSecurityPolicy = ResultPage.ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        h["X-Robots-Tag"] = "noindex";
        h.CacheControl = "no-store";
        h.Vary = "Accept-Language";
        if (context.Request.IsHttps) h.StrictTransportSecurity = "max-age=31536000";
    }

    private static async Task WriteAsync(HttpContext context, int status, string html)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }
}
