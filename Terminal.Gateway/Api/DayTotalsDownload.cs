using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Terminal.Gateway.EndOfDay;

namespace Terminal.Gateway.Api;

/// <summary>
/// A day's totals written into the response as they are read (<see cref="DayTotalsExport"/>): the admin API's JSON, or
/// the CSV file of the admin API and the console (an attachment named day-totals_from_to.csv). The length is not known
/// when the headers go, so the answer has no Content-Length: HTTP/1.1 sends it chunked (a block of about 32 KB per
/// chunk), HTTP/2 in frames, and a client that needs the size reads to the end. A failure after the first block aborts
/// the connection, so a client sees a broken transfer (no last chunk), never a short file that looks whole.
/// </summary>
public sealed class DayTotalsDownload(DayTotalsExport export, bool csv) : IResult, IActionResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (csv)
        {
            response.ContentType = "text/csv; charset=utf-8; header=present";
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(export.FileName("csv"));
            response.Headers.ContentDisposition = disposition.ToString();
            await export.WriteCsvAsync(response.BodyWriter, context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentType = "application/json; charset=utf-8";
            await export.WriteJsonAsync(response.BodyWriter, context.RequestAborted).ConfigureAwait(false);
        }
    }

    public Task ExecuteResultAsync(ActionContext context) => ExecuteAsync(context.HttpContext);
}
