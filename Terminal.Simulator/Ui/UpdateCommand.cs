using System.Text.Json.Nodes;
using Terminal.Simulator.Updates;

namespace Terminal.Simulator.Ui;

/// <summary>
/// The interactive <c>update</c> command (docs/simulator.md, "Over-the-air updates"): the operator's side of an update
/// on the embedded gateway, and what the terminal says about it.
/// <list type="bullet">
/// <item><c>update</c>: the version running and the update state (DIAG's line), and this device's state in the newest rollout;</item>
/// <item><c>update &lt;version&gt;</c>: a bundle of the simulator's own assemblies under that version, uploaded, and a
/// rollout of it to this device;</item>
/// <item><c>update pause|resume|abort</c>: the newest rollout.</item>
/// </list>
/// </summary>
internal sealed class UpdateCommand(Session session, Output output)
{
    private long? _rollout;

    public void Run(string[] w)
    {
        if (session.Backend == null)
        {
            throw new InvalidOperationException("updates need the embedded gateway (with a remote gateway use its bundles and rollouts commands)");
        }

        using var gateway = new GatewayRollouts(session.Backend);
        string deviceId = session.Options.DeviceId;
        if (w.Length == 1)
        {
            Show(gateway, deviceId);
            return;
        }

        switch (w[1])
        {
            case "pause":
            case "resume":
            case "abort":
                long rollout = Newest(gateway) ?? throw new InvalidOperationException("no rollout yet: update <version> makes one");
                JsonNode changed = w[1] == "pause" ? Wait(gateway.PauseAsync(rollout)) : w[1] == "resume" ? Wait(gateway.ResumeAsync(rollout)) : Wait(gateway.AbortAsync(rollout));
                output.Line($"  gateway: rollout {rollout} {changed["state"]}");
                break;
            default:
                string version = w[1];
                string bundle = SimulatorBundle.Make(version, Path.Combine(session.Backend.DataFolder, "bundles", version));
                JsonNode uploaded = Wait(gateway.UploadAsync(bundle));
                long created = Wait(gateway.CreateAsync(version, deviceId));
                _rollout = created;
                output.Line($"  gateway: bundle {uploaded["version"]} uploaded ({Directory.GetFiles(bundle).Sum(f => new FileInfo(f).Length):N0} bytes, {bundle}); rollout {created} to {deviceId}");
                output.Line("  the terminal hears of it at its next heartbeat, downloads while idle and restarts when idle; type update to follow");
                break;
        }
    }

    private void Show(GatewayRollouts gateway, string deviceId)
    {
        var updater = session.Terminal.App.Updater;
        output.Line("  terminal: " + (updater == null ? "takes no updates" : updater.DiagnosticLine()));
        long? rollout = Newest(gateway);
        if (rollout == null)
        {
            output.Line("  gateway: no rollout yet (update <version> makes one)");
            return;
        }

        JsonNode shown = Wait(gateway.ShowAsync(rollout.Value));
        DeviceUpdateState? state = Wait(gateway.DeviceStateAsync(rollout.Value, deviceId));
        string detail = state == null ? "not in it" : state.State + (state.Bytes is long b ? $" {b:N0} bytes" : "") + (state.Reason is { } r ? " (" + r + ")" : "");
        output.Line($"  gateway: rollout {rollout} of {shown["version"]} is {shown["state"]}; {deviceId}: {detail}");
    }

    private long? Newest(GatewayRollouts gateway)
    {
        if (_rollout != null)
        {
            return _rollout;
        }

        JsonNode list = Wait(gateway.ListAsync());
        JsonArray? rollouts = list as JsonArray ?? list["rollouts"] as JsonArray;
        return rollouts == null || rollouts.Count == 0 ? null : rollouts.Max(r => (long)r!["rolloutId"]!);
    }

    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
