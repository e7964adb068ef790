using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.Api;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Hosting;
using Terminal.Gateway.OperationsConsole.Rendering;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>The form's fields as typed (shown back in the form and carried into the links).</summary>
public sealed record DayQuery(string Day, string? To, string? Store, string? Device);

/// <summary>
/// End of day (docs/reconciliation.md): the totals per day, store, terminal and currency of a day or a range of up to 31
/// days in the merchant's time zone (sales, voids, refunds, net, failed, open) and their sum per currency, with a chart of
/// the net; the same numbers as CSV (<see cref="OnGetCsvAsync"/>, the admin API's and `day totals --csv`'s file), and a
/// link to reconcile the day with Antom's report. Every role reads it; an export is in the audit.
/// </summary>
public sealed class EndOfDayModel(EndOfDayQueries queries) : ConsolePageModel
{
    public DayQuery Query { get; private set; } = new("", null, null, null);
    public DayTotalsPage? Report { get; private set; }
    public string? Problem { get; private set; }
    public string TimeZone => queries.Calendar.Zone.Id;

    /// <summary>The cursor this page continues from (the previous page's last terminal), null on the first page.</summary>
    public string? After { get; private set; }

    public async Task OnGetAsync(string? day, string? to, string? store, string? device, string? after)
    {
        var filter = Select(day, to, store, device);
        if (filter == null) return;
        After = string.IsNullOrEmpty(after) || after.Length > 200 ? null : after;
        try
        {
            Report = await queries.TotalsPageAsync(filter, After, EndOfDayQueries.PageLines, HttpContext.RequestAborted);
        }
        catch (ArgumentException)
        {
            // A cursor of another selection (the form changed under an old link): start from the first page.
            After = null;
            Report = await queries.TotalsPageAsync(filter, null, EndOfDayQueries.PageLines, HttpContext.RequestAborted);
        }
    }

    /// <summary>The next page of lines of this selection, or null on the last.</summary>
    public string? NextPage => Report?.Next is { } next ? Link(ConsolePaths.EndOfDay) + "&after=" + Uri.EscapeDataString(next) : null;

    /// <summary>The first page of lines, when this is not it.</summary>
    public string? FirstPage => After != null ? Link(ConsolePaths.EndOfDay) : null;

    /// <summary>
    /// The totals as the CSV file of docs/reconciliation.md ("CSV export"), named day-totals_from_to.csv, written as it
    /// is read. The audit record is written first: once the file starts there is no later point that every export
    /// reaches (a client may stop reading at any block), and the record is of what was asked for and handed out, not of
    /// how much the client kept.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(string? day, string? to, string? store, string? device)
    {
        var filter = Select(day, to, store, device);
        if (filter == null) return Page();
        string from = BusinessCalendar.Format(filter.From), until = BusinessCalendar.Format(filter.To);
        await AuditAsync(AuditLog.DayExport, from == until ? from : from + ".." + until,
            "day totals CSV" + (filter.StoreId != null ? ", store " + filter.StoreId : "") + (filter.DeviceId != null ? ", terminal " + filter.DeviceId : ""));
        return new DayTotalsDownload(queries.Export(filter), csv: true);
    }

    private TotalsFilter? Select(string? day, string? to, string? store, string? device)
    {
        Query = new DayQuery(Clip(day) ?? BusinessCalendar.Format(queries.Today), Clip(to), Clip(store), Clip(device));
        var filter = EndOfDayApi.Filter(Query.Day, Query.To, Query.Store, Query.Device, out string? problem);
        if (filter == null) Problem = Sentence(problem!);
        return filter;
    }

    private static string Sentence(string problem) => problem switch
    {
        _ when problem.StartsWith("day:", StringComparison.Ordinal) => "Day: a date as yyyy-MM-dd.",
        _ when problem.StartsWith("to:", StringComparison.Ordinal) => "To: must not be before the day.",
        _ when problem.StartsWith("store:", StringComparison.Ordinal) => "Store: a store id (referenceStoreId).",
        _ when problem.StartsWith("device:", StringComparison.Ordinal) => "Terminal: a terminal id (1 to 32 letters and digits).",
        _ => char.ToUpperInvariant(problem[0]) + problem[1..] + ".",
    };

    /// <summary>This selection at <paramref name="path"/>, every value URL-encoded.</summary>
    public string Link(string path, string? day = null, bool range = true) => path + QueryString.Create(new Dictionary<string, string?>
    {
        ["day"] = day ?? Query.Day, ["to"] = range ? Query.To : null, ["store"] = Query.Store, ["device"] = Query.Device,
    }.Where(p => p.Value != null));

    public string CsvLink => Link(ConsolePaths.EndOfDay + "/csv");

    public string ReconcileLink => ConsolePaths.Reconciliation + QueryString.Create("day", Query.Day);

    /// <summary>The day before and after the selected day (a single day; a range keeps its own links off).</summary>
    public string? Step(int days) =>
        Report == null || Report.Filter.From != Report.Filter.To ? null : Link(ConsolePaths.EndOfDay, BusinessCalendar.Format(Report.Filter.From.AddDays(days)), range: false);

    public IEnumerable<string> Currencies => Report?.Totals.Select(t => t.Currency) ?? [];

    /// <summary>
    /// The net of <paramref name="currency"/> as bars (server-drawn SVG): per day over a range, per store and terminal of
    /// this page for one day. A negative net (more refunded than sold) is drawn as zero; the table has the figure.
    /// </summary>
    public string Chart(string currency)
    {
        var lines = Report!.Lines.Where(l => l.Currency == currency).ToList();
        if (Report.Filter.From != Report.Filter.To)
        {
            var days = new List<DateOnly>();
            for (var d = Report.Filter.From; d <= Report.Filter.To; d = d.AddDays(1)) days.Add(d);
            var net = days.Select(d => Math.Max(0, Report.Days.Where(t => t.Day == d && t.Currency == currency).Sum(t => t.Figures.NetMinor))).ToList();
            return SvgChart.Bars($"Net per day in {currency} (minor units)", net, i => days[i].ToString("MM-dd", CultureInfo.InvariantCulture), Math.Max(1, days.Count / 10));
        }
        var byTerminal = lines.GroupBy(l => (l.StoreId, l.DeviceId)).OrderBy(g => g.Key.StoreId, StringComparer.Ordinal).ThenBy(g => g.Key.DeviceId, StringComparer.Ordinal).ToList();
        return SvgChart.Bars($"Net per terminal in {currency} (minor units)", byTerminal.Select(g => Math.Max(0, g.Sum(l => l.Figures.NetMinor))).ToList(),
            i => byTerminal[i].Key.DeviceId, Math.Max(1, byTerminal.Count / 12));
    }

    private static string? Clip(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().Length <= 64 ? s.Trim() : s.Trim()[..64];
}
