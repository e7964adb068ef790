using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.OperationsConsole.Rendering;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>One terminal: its heartbeat figures over time, its settings and their state, its key, its recent transactions.</summary>
public sealed class DeviceModel(FleetQuery fleet, DeviceRegistry registry, FleetSettings settings, TransactionSearch search) : ConsolePageModel
{
    /// <summary>Heartbeats drawn: a day at the default 60 s interval would be 1,440; the chart shows the latest 240.</summary>
    public const int HistoryPoints = 240;

    public string Id { get; private set; } = "";
    public FleetRow? Row { get; private set; }
    public Device? Device { get; private set; }
    public IReadOnlyList<int> KeyVersions { get; private set; } = [];
    public List<HeartbeatPoint> History { get; private set; } = [];
    public IReadOnlyList<TransactionRow> Recent { get; private set; } = [];
    public long Now { get; private set; }
    public long SettingsVersion { get; private set; }
    public string SettingsState { get; private set; } = "";
    public long AppliedVersion { get; private set; }
    public string? RejectedField { get; private set; }
    public string? RejectedReason { get; private set; }
    public string EffectiveText { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!DeviceValidation.IsDeviceId(id)) return NotFound();
        Id = id;
        var found = await registry.FindWithKeysAsync(id, HttpContext.RequestAborted);
        Row = await fleet.DeviceAsync(id, HttpContext.RequestAborted);
        if (found == null || Row == null) return NotFound();
        Device = found.Value.Device;
        KeyVersions = found.Value.Keys.Where(k => !k.IsRetired).Select(k => k.KeyVersion).ToList();
        Now = NowMs;
        History = await fleet.HistoryAsync(id, HistoryPoints, HttpContext.RequestAborted);
        Recent = (await search.SearchAsync(new TransactionFilter(Device: id), null, HttpContext.RequestAborted)).Rows.Take(20).ToList();
        var status = await settings.DeviceStatusAsync(id);
        if (status != null)
        {
            SettingsVersion = (long?)status["version"] ?? 0;
            SettingsState = (string?)status["state"] ?? "";
            AppliedVersion = (long?)status["appliedVersion"] ?? 0;
            RejectedField = (string?)status["rejectedField"];
            RejectedReason = (string?)status["rejectedReason"];
            EffectiveText = status["values"] is JsonObject values && values.Count > 0 ? SettingsText.Format(values) : "(the terminal's own terminal.json values)";
        }
        return Page();
    }

    public string HealthChart() => SvgChart.Lines($"Heap and Wi-Fi RSSI of {Id}",
        History.Select(p => (p.ReceivedAt, p.HeapBytes)).ToList(), History.Select(p => (p.ReceivedAt, p.WifiRssi)).ToList(), "heap bytes", "RSSI dBm");
}
