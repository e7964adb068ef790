using Terminal.Gateway.Devices;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>
/// The resolution queue as a list (docs/resolution-queue.md): by default the exceptions, what the job could not resolve
/// and left to a person; a tab per state with its count (open: still being worked on; resolved; closed by an operator),
/// filtered by terminal and kind, 50 a page, newest change first. Over <see cref="ResolutionQueries"/>, as the admin API
/// and `resolutions list` are.
/// </summary>
public sealed class ExceptionsModel(ResolutionQueries queries) : ConsolePageModel
{
    public const int PageSize = 50;

    /// <summary>The tabs, in order: what needs a person first.</summary>
    public static readonly string[] States = [ResolutionStates.Exception, ResolutionStates.Open, ResolutionStates.Resolved, ResolutionStates.Closed];

    public static readonly string[] Kinds = [ResolutionQueue.Sale, ResolutionQueue.Void, ResolutionQueue.Refund];

    public string State { get; private set; } = ResolutionStates.Exception;
    public string? Device { get; private set; }
    public string? Kind { get; private set; }
    public int Offset { get; private set; }
    public string? Problem { get; private set; }
    public ResolutionPage Result { get; private set; } = new([], 0, new Dictionary<string, long>());

    public async Task OnGetAsync(string? state, string? device, string? kind, int? offset)
    {
        State = States.Contains(state) ? state! : ResolutionStates.Exception;
        Device = string.IsNullOrWhiteSpace(device) ? null : device.Trim();
        Kind = Kinds.Contains(kind) ? kind : null;
        Offset = Math.Max(0, offset ?? 0);
        if (Device != null && !DeviceValidation.IsDeviceId(Device))
        {
            Problem = "Terminal: a terminal id (1 to 32 letters and digits)";
            Device = Device.Length <= 32 ? Device : Device[..32];
            Result = await queries.ListAsync(new ResolutionFilter(Limit: 1), HttpContext.RequestAborted) with { Items = [], Total = 0 };
            return;
        }
        Result = await queries.ListAsync(new ResolutionFilter(State, Device, Kind, PageSize, Offset), HttpContext.RequestAborted);
    }

    public long Count(string state) => Result.Counts.GetValueOrDefault(state);

    /// <summary>This list in <paramref name="state"/> from <paramref name="offset"/>, every value URL-encoded.</summary>
    public string Link(string state, int offset) => "/console/exceptions" + QueryString.Create(new Dictionary<string, string?>
    {
        ["state"] = state, ["device"] = Device, ["kind"] = Kind, ["offset"] = offset == 0 ? null : offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => p.Value != null));

    public static string StateTitle(string state) => state switch
    {
        ResolutionStates.Exception => "Exceptions",
        ResolutionStates.Open => "Being resolved",
        ResolutionStates.Resolved => "Resolved",
        _ => "Closed",
    };

    /// <summary>What an item's state amounts to in a word or two: its exception, or the status it ended with.</summary>
    public static string Outcome(ResolutionItem i) => i.State switch
    {
        ResolutionStates.Exception => i.Exception ?? "exception",
        ResolutionStates.Open => $"attempt {i.Attempts}",
        _ => $"{i.Status} {i.ResultCode}",
    };
}
