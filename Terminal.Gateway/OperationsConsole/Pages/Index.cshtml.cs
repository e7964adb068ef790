using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.OperationsConsole.Rendering;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>The Overview: today's sales per hour, the fleet by status, what is not final, the resolution queue's exceptions.</summary>
public sealed class IndexModel(OverviewQuery overview, ResolutionQueries resolutions) : ConsolePageModel
{
    public Overview? Overview { get; private set; }

    /// <summary>Items of the resolution queue by state (open: being resolved; exception: waiting for a person).</summary>
    public IReadOnlyDictionary<string, long> Resolutions { get; private set; } = new Dictionary<string, long>();

    public List<string> Currencies { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Overview = await overview.TodayAsync(HttpContext.RequestAborted);
        Resolutions = (await resolutions.ListAsync(new ResolutionFilter(State: ResolutionStates.Exception, Limit: 1), HttpContext.RequestAborted)).Counts;
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
