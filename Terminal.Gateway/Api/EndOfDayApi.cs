using System.Globalization;
using System.Text;
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
            CancellationToken ct) => limit == null && after == null ? TotalsAsync(day, to, store, device, queries, csv: false, ct) : PageAsync(day, to, store, device, limit, after, queries, ct));
        admin.MapGet("/end-of-day/{day}/totals.csv", (string day, string? to, string? store, string? device, EndOfDayQueries queries, CancellationToken ct) =>
            TotalsAsync(day, to, store, device, queries, csv: true, ct));
        admin.MapPost("/end-of-day/{day}/reconciliation", ReconcileAsync);
    }

    private static async Task<IResult> TotalsAsync(string day, string? to, string? store, string? device, EndOfDayQueries queries, bool csv, CancellationToken ct)
    {
        var filter = Filter(day, to, store, device, out string? problem);
        if (filter == null) return AdminApi.Error(StatusCodes.Status400BadRequest, problem!);
        var report = await queries.TotalsAsync(filter, ct).ConfigureAwait(false);
        if (!csv) return AdminApi.Json(StatusCodes.Status200OK, TotalsJson(report));
        var text = new StringWriter(CultureInfo.InvariantCulture);
        EndOfDayQueries.WriteCsv(report, text);
        string name = $"day-totals_{BusinessCalendar.Format(filter.From)}_{BusinessCalendar.Format(filter.To)}.csv";
        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8; header=present", name);
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
            var json = TotalsJson(new DayTotalsReport(page.Filter, page.TimeZone, page.Lines, page.Totals));
            json["next"] = page.Next;
            return AdminApi.Json(StatusCodes.Status200OK, json);
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

    internal static JsonObject TotalsJson(DayTotalsReport report)
    {
        var lines = new JsonArray();
        foreach (var l in report.Lines)
        {
            var line = new JsonObject { ["day"] = BusinessCalendar.Format(l.Day), ["referenceStoreId"] = l.StoreId, ["deviceId"] = l.DeviceId };
            AddFigures(line, l.Currency, l.Figures);
            lines.Add(line);
        }
        var totals = new JsonArray();
        foreach (var t in report.Totals)
        {
            var line = new JsonObject();
            AddFigures(line, t.Currency, t.Figures);
            totals.Add(line);
        }
        return new JsonObject
        {
            ["from"] = BusinessCalendar.Format(report.Filter.From), ["to"] = BusinessCalendar.Format(report.Filter.To), ["timeZone"] = report.TimeZone,
            ["referenceStoreId"] = report.Filter.StoreId, ["deviceId"] = report.Filter.DeviceId, ["lines"] = lines, ["totals"] = totals,
        };
    }

    private static void AddFigures(JsonObject o, string currency, DayFigures f)
    {
        o["currency"] = currency;
        o["salesCount"] = f.SalesCount;
        o["salesMinor"] = Minor(f.SalesMinor);
        o["voidsCount"] = f.VoidsCount;
        o["voidsMinor"] = Minor(f.VoidsMinor);
        o["refundsCount"] = f.RefundsCount;
        o["refundsMinor"] = Minor(f.RefundsMinor);
        o["netMinor"] = Minor(f.NetMinor);
        o["failedCount"] = f.FailedCount;
        o["openCount"] = f.OpenCount;
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
