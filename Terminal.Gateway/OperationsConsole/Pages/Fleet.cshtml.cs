using Terminal.Gateway.OperationsConsole.Queries;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>The Fleet page: every terminal with its heartbeat status, filtered by store, status and id prefix, 50 a page.</summary>
public sealed class FleetModel(FleetQuery fleet) : ConsolePageModel
{
    public FleetPage? Result { get; private set; }
    public string? Device { get; private set; }
    public string? Store { get; private set; }
    public string? Status { get; private set; }
    public string? After { get; private set; }
    public long Now { get; private set; }

    public async Task OnGetAsync(string? device, string? store, string? status, string? after)
    {
        Device = Clip(device, 32);
        Store = Clip(store, 64);
        Status = FleetQuery.IsStatus(status) ? status : null;
        After = Clip(after, 32);
        Now = NowMs;
        Result = await fleet.ListAsync(new FleetFilter(Store, Status, Device), After, HttpContext.RequestAborted);
    }

    /// <summary>This page's address with the current filters, from <paramref name="after"/> (values URL-encoded).</summary>
    public string Link(string? after) => "/console/fleet" + QueryString.Create(new Dictionary<string, string?>
    {
        ["device"] = Device, ["store"] = Store, ["status"] = Status, ["after"] = after,
    }.Where(p => p.Value != null));

    private static string? Clip(string? s, int max) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().Length <= max ? s.Trim() : s.Trim()[..max];
}
