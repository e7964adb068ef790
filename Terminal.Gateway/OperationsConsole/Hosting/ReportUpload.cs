using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.EndOfDay;

namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>
/// The reconciliation page takes Antom's transaction details report as a file upload of up to
/// <c>Gateway:EndOfDay:MaxReportBytes</c> (a day of 100,000 transactions is about 7 MB), far above the listener's body
/// limit (<c>Gateway:MaxRequestBodyBytes</c>) that every other request keeps. The limit is raised here only for a signed-in
/// user's POST to that page, after authorization and before the anti-forgery check reads the form.
/// </summary>
internal static class ReportUpload
{
    /// <summary>Room for the form's other fields and the multipart boundaries around the file.</summary>
    public const int FormOverheadBytes = 64 * 1024;

    public static Task Apply(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.User.Identity?.IsAuthenticated == true
            && context.Request.Path.Equals(ConsolePaths.Reconciliation, StringComparison.OrdinalIgnoreCase))
        {
            long limit = context.RequestServices.GetRequiredService<EndOfDayQueries>().Options.MaxReportBytes + (long)FormOverheadBytes;
            var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (size is { IsReadOnly: false }) size.MaxRequestBodySize = limit;
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = limit, ValueCountLimit = 16 }));
        }
        return next(context);
    }
}
