using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.EndOfDay;

namespace Terminal.Gateway.Api;

/// <summary>
/// End of day on the admin API (docs/gateway-admin-api.md, "End of day"; docs/reconciliation.md): the day's totals as
/// JSON or CSV, and the reconciliation of a day against Antom's transaction details report posted as the body.
/// Mapped into the admin group, so the same bearer token and failure limits apply.
/// </summary>
public static class EndOfDayApi
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/end-of-day/{day}/totals", (string day, string? to, string? store, string? device, string? limit, string? after, EndOfDayQueries queries,
            CancellationToken ct) => limit == null && after == null ? Task.FromResult(Totals(day, to, store, device, queries, csv: false)) : PageAsync(day, to, store, device, limit, after, queries, ct));
        admin.MapGet("/end-of-day/{day}/totals.csv", (string day, string? to, string? store, string? device, EndOfDayQueries queries) =>
            Totals(day, to, store, device, queries, csv: true));
        admin.MapPost("/end-of-day/{day}/reconciliation", ReconcileAsync);
    }

    /// <summary>Every line of the selection, written as it is read (<see cref="DayTotalsDownload"/>).</summary>
    private static IResult Totals(string day, string? to, string? store, string? device, EndOfDayQueries queries, bool csv)
    {
        var filter = Filter(day, to, store, device, out string? problem);
        if (filter == null) return AdminApi.Error(StatusCodes.Status400BadRequest, problem!);
        return new DayTotalsDownload(queries.Export(filter), csv);
    }

    /// <summary>Most lines one page of the totals may be asked for.</summary>
    public const int MaxPageLines = 1000;

    /// <summary>A page of the totals (<c>limit</c> lines after the cursor <c>after</c>) with the totals of the whole selection.</summary>
    private static async Task<IResult> PageAsync(string day, string? to, string? store, string? device, string? limit, string? after, EndOfDayQueries queries,
        CancellationToken ct)
    {
        var filter = Filter(day, to, store, device, out string? problem);
        if (filter == null) return AdminApi.Error(StatusCodes.Status400BadRequest, problem!);
        int lines = EndOfDayQueries.PageLines;
        if (limit != null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out lines) || lines < 1 || lines > MaxPageLines))
            return AdminApi.Error(StatusCodes.Status400BadRequest, $"limit: 1 to {MaxPageLines}");
        try
        {
            var page = await queries.TotalsPageAsync(filter, string.IsNullOrEmpty(after) ? null : after, lines, ct).ConfigureAwait(false);
            var body = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(body, DayTotalsJson.Options))
            {
                DayTotalsJson.StartLines(json, page.Filter, page.TimeZone);
                foreach (var l in page.Lines) DayTotalsJson.Line(json, BusinessCalendar.Format(l.Day), l.StoreId, l.DeviceId, l.Currency, l.Figures);
                DayTotalsJson.EndLines(json, page.Totals);
                json.WriteString("next", page.Next);
                json.WriteEndObject();
            }
            return Results.Text(body.WrittenSpan, "application/json; charset=utf-8");
        }
        catch (ArgumentException e)
        {
            return AdminApi.Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    /// <summary>The filter of a totals request, or null with <paramref name="problem"/> saying what is wrong.</summary>
    internal static TotalsFilter? Filter(string day, string? to, string? store, string? device, out string? problem)
    {
        problem = null;
        var from = BusinessCalendar.ParseDay(day);
        var until = to == null ? from : BusinessCalendar.ParseDay(to);
        if (from == null || until == null)
        {
            problem = "day: a date as yyyy-MM-dd";
            return null;
        }
        var filter = new TotalsFilter(from.Value, until.Value, string.IsNullOrEmpty(store) ? null : store, string.IsNullOrEmpty(device) ? null : device);
        problem = filter.Problem();
        return problem == null ? filter : null;
    }

    /// <summary>Body: Antom's report as downloaded (text/csv), at most Gateway:EndOfDay:MaxReportBytes.</summary>
    private static async Task<IResult> ReconcileAsync(string day, HttpRequest request, EndOfDayQueries queries, ILoggerFactory logs, CancellationToken ct)
    {
        var date = BusinessCalendar.ParseDay(day);
        if (date == null) return AdminApi.Error(StatusCodes.Status400BadRequest, "day: a date as yyyy-MM-dd");
        int limit = queries.Options.MaxReportBytes;
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = limit + 1L;
        byte[]? body = await RequestBodies.ReadAsync(request, limit, ct).ConfigureAwait(false);
        if (body == null) return AdminApi.Error(StatusCodes.Status413PayloadTooLarge, $"body: larger than {limit} bytes (Gateway:EndOfDay:MaxReportBytes)");
        try
        {
            var report = await queries.ReconcileAsync(date.Value, body, ct).ConfigureAwait(false);
            logs.CreateLogger("Terminal.Gateway.Admin").LogInformation("reconciliation of {Day}: {Rows} report rows, {Mismatches} mismatch(es)",
                BusinessCalendar.Format(date.Value), report.ReportRows, report.Mismatches.Count);
            return AdminApi.Json(StatusCodes.Status200OK, ReconciliationJson(report));
        }
        catch (AntomReportException e)
        {
            return AdminApi.Error(StatusCodes.Status422UnprocessableEntity, "report refused: " + e.Message);
        }
    }

    internal static JsonObject ReconciliationJson(ReconciliationReport report)
    {
        var mismatches = new JsonArray();
        foreach (var m in report.Mismatches)
        {
            mismatches.Add(new JsonObject
            {
                ["kind"] = m.KindName, ["transactionType"] = m.TransactionType, ["requestId"] = m.RequestId, ["antomId"] = m.AntomId,
                ["deviceId"] = m.DeviceId, ["referenceStoreId"] = m.StoreId, ["currency"] = m.Currency,
                ["gatewayAmountMinor"] = m.GatewayAmountMinor is long g ? Minor(g) : null, ["antomAmountMinor"] = m.AntomAmountMinor is long a ? Minor(a) : null,
                ["gatewayStatus"] = m.GatewayStatus, ["reportLine"] = m.ReportLine, ["reason"] = m.Reason,
            });
        }
        return new JsonObject
        {
            ["day"] = BusinessCalendar.Format(report.Day), ["timeZone"] = report.TimeZone, ["reportRows"] = report.ReportRows,
            ["gatewayPayments"] = report.GatewayPayments, ["gatewayRefunds"] = report.GatewayRefunds, ["matchedRows"] = report.MatchedRows,
            ["clean"] = report.Clean, ["mismatches"] = mismatches,
        };
    }

    /// <summary>Amounts in minor units as strings, like Antom's amount values and the rest of this API.</summary>
    private static string Minor(long value) => value.ToString(CultureInfo.InvariantCulture);
}
