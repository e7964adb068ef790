using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.OperationsConsole.Audit;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>
/// The reconciliation of a day (docs/reconciliation.md, "Reconciling a day"): the operator uploads Antom's transaction
/// details report for the day (from Antom's SFTP server or Dashboard; here, the Antom emulator's), and the page lists
/// every mismatch between it and the gateway's records, as `day reconcile` and the admin API do
/// (<see cref="EndOfDayQueries.ReconcileAsync"/>). It changes no record, so every role may run it; each run is in the
/// audit with its outcome.
/// </summary>
public sealed class ReconciliationModel(EndOfDayQueries queries) : ConsolePageModel
{
    public string Day { get; private set; } = "";
    public string? FileName { get; private set; }
    public ReconciliationReport? Result { get; private set; }
    public string? Problem { get; private set; }
    public string TimeZone => queries.Calendar.Zone.Id;

    public void OnGet(string? day) =>
        Day = BusinessCalendar.ParseDay(day) is { } d ? BusinessCalendar.Format(d) : BusinessCalendar.Format(queries.Today.AddDays(-1));

    public async Task<IActionResult> OnPostAsync(string? day, IFormFile? report)
    {
        var date = BusinessCalendar.ParseDay(day);
        Day = date is { } d ? BusinessCalendar.Format(d) : day?.Trim() ?? "";
        FileName = report?.FileName is { Length: > 0 } name ? (name.Length <= 128 ? name : name[..128]) : null;
        int limit = queries.Options.MaxReportBytes;
        if (date == null) Problem = "Day: a date as yyyy-MM-dd.";
        else if (report == null || report.Length == 0) Problem = "Report: choose Antom's transaction details report for the day (transactionItems_yyyyMMdd_000.csv).";
        else if (report.Length > limit) Problem = $"Report: larger than {limit} bytes (Gateway:EndOfDay:MaxReportBytes).";
        if (Problem != null) return Page();

        var bytes = new byte[report!.Length];
        await using (var stream = report.OpenReadStream())
            await stream.ReadExactlyAsync(bytes, HttpContext.RequestAborted);
        try
        {
            Result = await queries.ReconcileAsync(date!.Value, bytes, HttpContext.RequestAborted);
            await AuditAsync(AuditLog.Reconcile, Day, $"report {FileName}: {Result.ReportRows} rows, " +
                (Result.Clean ? "clean" : $"{Result.Mismatches.Count} mismatch(es)"));
        }
        catch (AntomReportException e)
        {
            Problem = "Report refused, nothing compared: " + e.Message;
            await AuditAsync(AuditLog.Reconcile, Day, $"report {FileName} refused: {e.Message}");
        }
        return Page();
    }

    /// <summary>An amount of a mismatch, or a dash where that side has none.</summary>
    public static string Amount(string currency, long? minor) => minor is long m ? Rendering.ConsoleFormat.Money(currency, m) : "—";
}
