using Microsoft.AspNetCore.Http;

namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>
/// Headers on every console response: a Content-Security-Policy that allows no script at all and styles only from the
/// console's own stylesheet (the console has no inline script or style: charts are server-drawn SVG, refresh is a meta
/// tag), no framing (frame-ancestors and X-Frame-Options for older browsers), no MIME sniffing, no referrer (console
/// URLs carry search terms), and no caching of pages that show payment data.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task Apply(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(ConsolePaths.Root))
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = ContentSecurityPolicy;
            h.XFrameOptions = "DENY";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            if (context.Request.Path != ConsolePaths.Stylesheet) h.CacheControl = "no-store";
        }
        return next(context);
    }
}
