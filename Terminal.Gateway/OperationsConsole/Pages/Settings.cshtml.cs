using Microsoft.AspNetCore.Mvc;
using Terminal.Firmware.Config;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Rendering;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>A remote setting as the page lists it: its key, kind and the values the gateway accepts for it.</summary>
public sealed record RemoteRule(string Key, string Kind, string Allowed);

/// <summary>
/// Remote settings at fleet, store or terminal scope, edited through <see cref="FleetSettings.SetAsync"/> (the same
/// rules, versions and settings audit as the admin API), by operators and technicians; every save is in the console
/// audit too.
/// </summary>
public sealed class SettingsModel(FleetSettings settings, FleetStore store) : ConsolePageModel
{
    public string Scope { get; private set; } = FleetSettings.Fleet;
    public string Id { get; private set; } = "";
    public SettingsDocument? Document { get; private set; }
    public string Text { get; private set; } = "";
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public IReadOnlyList<RemoteRule> Rules { get; } = RemoteRules();

    public string ScopeTitle => Scope switch
    {
        FleetSettings.Store => "store " + Id,
        FleetSettings.Device => "terminal " + Id,
        _ => "fleet",
    };

    public async Task<IActionResult> OnGetAsync(string? scope, string? id)
    {
        if (!Select(scope, id)) return NotFound();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? scope, string? id, string? values)
    {
        if (!MayManageFleet) return Forbid();
        if (!Select(scope, id)) return NotFound();
        var parsed = SettingsText.Parse(values, out string? error);
        if (parsed == null)
        {
            Problem = error;
            Text = values ?? "";
            return Page();
        }
        try
        {
            var (version, refused) = await settings.SetAsync(Scope, Id, parsed, UserName);
            if (refused != null)
            {
                Problem = refused;
                Text = values ?? "";
                await LoadDocumentAsync();
                return Page();
            }
            await AuditAsync(AuditLog.Settings, Scope + ":" + Id, $"version {version}: {parsed.ToJsonString()}");
            Message = $"Saved as version {version}.";
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }
        await LoadAsync();
        return Page();
    }

    private bool Select(string? scope, string? id)
    {
        Scope = scope ?? FleetSettings.Fleet;
        Id = (id ?? "").Trim();
        return Scope switch
        {
            FleetSettings.Fleet => (Id = "") == "",
            FleetSettings.Store => DeviceValidation.IsReference(Id),
            FleetSettings.Device => DeviceValidation.IsDeviceId(Id),
            _ => false,
        };
    }

    private async Task LoadAsync()
    {
        await LoadDocumentAsync();
        Text = Document == null ? "" : SettingsText.Format(System.Text.Json.Nodes.JsonNode.Parse(Document.Document)!.AsObject());
    }

    private async Task LoadDocumentAsync() => Document = await store.SettingsAsync(Scope, Id, HttpContext.RequestAborted);

    private static List<RemoteRule> RemoteRules()
    {
        var rules = TerminalConfig.Rules();
        var list = new List<RemoteRule>();
        for (int i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            if (!r.Remote) continue;
            string allowed = r.Choices is { Length: > 0 } ? string.Join(", ", r.Choices)
                : r.Kind == Terminal.Core.Config.ConfigKind.Integer ? $"{r.RemoteMin}..{r.RemoteMax}" : "";
            list.Add(new RemoteRule(r.Key, r.Kind.ToString().ToLowerInvariant(), allowed));
        }
        return list;
    }
}
