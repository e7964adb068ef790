using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.OperationsConsole.Rendering;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>The Overview: today's sales per hour, the fleet by status, what is not final.</summary>
public sealed class IndexModel(OverviewQuery overview) : ConsolePageModel
{
    public Overview? Overview { get; private set; }

    public List<string> Currencies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Overview = await overview.TodayAsync(HttpContext.RequestAborted);
        Currencies = Overview.Hours.Select(h => h.Currency).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The 24 hours of today as bars of the day's sales count in <paramref name="currency"/> (server-drawn SVG: numbers only).</summary>
    public string Chart(string currency)
    {
        var counts = new long[24];
        foreach (var h in Overview!.Hours.Where(h => h.Currency == currency && h.Hour is >= 0 and < 24)) counts[h.Hour] = h.Count;
        return SvgChart.Bars($"Sales per hour today in {currency}", counts, i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture), 3);
    }
}
