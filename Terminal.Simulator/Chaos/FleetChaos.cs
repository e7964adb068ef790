using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Terminal.AntomEmulator;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Simulator.Register;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// The fleet link's share of a chaos run (docs/fleet-link.md, docs/resolution-queue.md), verified as it goes:
/// <list type="bullet">
/// <item>Remote settings change at fleet, store and device level during the run (<see cref="Plan"/>); after each change the
/// terminal must report, in its next heartbeat, exactly the version the gateway has for it, applied or (the device
/// override its own terminal.json makes invalid) rejected with the field, shown on DIAG and never applied.</item>
/// <item>Every transaction the terminal leaves NEEDS_REVIEW is driven to a final status by the gateway's job (the
/// passes its background service runs), and the terminal learns it from a heartbeat answer (RESOLVED on the host link),
/// or it is in the gateway's exception list. One sale is forced to NEEDS_REVIEW (every cancel unanswered) and paid by the
/// customer afterwards: the job must cancel the paid order and LAST must show CANCELLED.</item>
/// <item>The host link: no RESULT twice for one transaction, except the one repeated after a reboot
/// (docs/host-link.md), with the same outcome; RESOLVED at most once, and only for a transaction left for review.</item>
/// <item>At the end the terminal is online at the gateway and its applied settings version is the gateway's.</item>
/// </list>
/// </summary>
public sealed class FleetChaos
{
    private const int WaitMs = 15000;

    private readonly Session _session;
    private readonly ChaosOptions _options;
    private readonly RunningGateway _gateway;
    private readonly HostLinkClient _register;
    private readonly string _deviceId;
    private readonly string _merchantClientId;
    private readonly int _upstreamAttemptTimeoutMs;
    private readonly ConcurrentQueue<HostLinkLine> _events = new();
    private readonly List<string> _problems = new();
    private readonly List<ChaosSettingsChange> _changes = new();
    private long? _blockedCancels;

    public FleetChaos(Session session, ChaosOptions options, string merchantClientId, int upstreamAttemptTimeoutMs)
    {
        _session = session;
        _options = options;
        _gateway = session.Backend!.Gateway;
        _register = session.Terminal.Register!;
        _deviceId = session.Options.DeviceId;
        _merchantClientId = merchantClientId;
        _upstreamAttemptTimeoutMs = upstreamAttemptTimeoutMs;
        _register.LineReceived = line =>
        {
            if (line.IsEvent && line.Name is "RESULT" or "RESOLVED" or "DEVICE")
            {
                _events.Enqueue(line);
            }
        };
    }

    /// <summary>The settings changes of a run and when they come (a share of the sales done), each with what the terminal must do.</summary>
    public static IReadOnlyList<(double At, string Scope, JsonObject Values, string? RejectedField)> Plan(string deviceId) =>
    [
        (0.2, FleetSettings.Fleet, new JsonObject { ["displayName"] = "Chaos fleet", ["heartbeatIntervalMs"] = 30000 }, null),
        (0.4, FleetSettings.Store, new JsonObject { ["orderDescription"] = "Chaos store sale" }, null),
        // Within the remote bounds, so the gateway stores it; but this terminal's own cpmBudgetMs is shorter than the polls.
        (0.6, FleetSettings.Device, new JsonObject { ["pollIntervalMs"] = 5000 }, "cpmBudgetMs"),
        (0.8, FleetSettings.Device, new JsonObject { ["displayName"] = "Chaos " + deviceId }, null),
    ];

    /// <summary>The sale that is forced to NEEDS_REVIEW (tried again with the next sales if the network got in the way).</summary>
    public bool ForcesReview(int sale) =>
        _options.ForcedReview && _options.Scenarios == null && !Forced.Any(s => s.Terminal == "NEEDS_REVIEW") && Forced.Count < 3 && sale >= Math.Max(1, _options.Sales / 2);

    private List<ChaosSale> Forced { get; } = new();

    public IReadOnlyList<string> Problems => _problems;

    public IReadOnlyList<ChaosSettingsChange> Changes => _changes;

    // ---------------------------------------------------------------- remote settings

    /// <summary>Before sale <paramref name="number"/> of <paramref name="total"/>: the settings changes due by then.</summary>
    public void BeforeSale(int number, int total)
    {
        var plan = Plan(_deviceId);
        while (_changes.Count < plan.Count && number > plan[_changes.Count].At * total)
        {
            var (_, scope, values, rejectedField) = plan[_changes.Count];
            Change(scope, values, rejectedField);
        }
    }

    private void Change(string scope, JsonObject values, string? rejectedField)
    {
        var settings = _gateway.Services.GetRequiredService<FleetSettings>();
        var device = _gateway.Devices.FindAsync(_deviceId).GetAwaiter().GetResult()!;
        string scopeId = scope == FleetSettings.Fleet ? "" : scope == FleetSettings.Store ? device.ReferenceStoreId : _deviceId;
        var (version, error) = settings.SetAsync(scope, scopeId, values, "chaos").GetAwaiter().GetResult();
        var change = new ChaosSettingsChange(scope, values.ToJsonString(), version, rejectedField == null ? FleetSettings.Applied : FleetSettings.Rejected);
        _changes.Add(change);
        if (error != null)
        {
            _problems.Add($"settings {scope}: the gateway refused {values.ToJsonString()}: {error}");
            return;
        }

        WaitIdle();
        int pollBefore = _session.Terminal.Config.Engine.PollIntervalMs;
        BeatUntil(() => Settings.AppliedVersion == version || Settings.RejectedVersion == version);
        RemoteSettingsView terminal = Settings;
        change.Terminal = terminal.AppliedVersion == version ? FleetSettings.Applied : terminal.RejectedVersion == version ? FleetSettings.Rejected + " " + terminal.RejectedField : "nothing";
        Beat(); // the gateway hears the outcome in the beat after
        JsonObject status = settings.DeviceStatusAsync(_deviceId).GetAwaiter().GetResult()!;
        change.Gateway = (string)status["state"]! + (status["rejectedField"] is { } field ? " " + (string?)field : "");
        string expected = change.Expected + (rejectedField == null ? "" : " " + rejectedField);
        if (change.Terminal != expected || change.Gateway != expected)
        {
            _problems.Add($"settings version {version} ({scope} {values.ToJsonString()}): expected {expected}, the terminal has {change.Terminal}, the gateway shows {change.Gateway}");
        }

        if (rejectedField != null)
        {
            // Rejected: never applied, and DIAG says why.
            if (_session.Terminal.Config.Engine.PollIntervalMs != pollBefore)
            {
                _problems.Add($"settings version {version} was rejected but its pollIntervalMs was applied");
            }

            HostLinkReply diag = _register.Request("DIAG", WaitMs);
            if (!diag.Info.Any(l => l.Contains($"version {version} rejected: {rejectedField}", StringComparison.Ordinal)))
            {
                _problems.Add($"settings version {version}: DIAG does not name the rejection ({string.Join(" | ", diag.Info)})");
            }
        }
    }

    private RemoteSettingsView Settings
    {
        get
        {
            var s = _session.Terminal.App.FleetLink.Settings;
            return new RemoteSettingsView(s.AppliedVersion, s.RejectedVersion, s.RejectedField);
        }
    }

    // ---------------------------------------------------------------- the forced review

    /// <summary>Every cancel from now on gets no answer (U, not processed): the faults of the run are suspended meanwhile.</summary>
    public void BlockCancels()
    {
        EmulatorFaults faults = _session.Backend!.Emulator.Faults;
        faults.Clear();
        _blockedCancels = faults.Add(FaultRule.UnknownException() with { ClientId = _merchantClientId, Api = AntomApi.Cancel });
    }

    /// <summary>
    /// The forced sale ended: the faults of the run come back; if it ended NEEDS_REVIEW the customer now pays the order the
    /// terminal gave up, the gateway's job must cancel it, and LAST must show the final status.
    /// </summary>
    public void ForcedSaleEnded(ChaosSale sale, string? qr)
    {
        Forced.Add(sale);
        EmulatorFaults faults = _session.Backend!.Emulator.Faults;
        if (_blockedCancels is not long rule)
        {
            return; // the sale ended before its QR showed: the run's faults were never suspended
        }

        faults.Remove(rule);
        _blockedCancels = null;
        if (sale.Terminal == "NEEDS_REVIEW" && qr != null)
        {
            sale.PaidAfterReview = _session.Backend.Emulator.Wallet.PayOrderCode(qr) == WalletResult.Completed;
            SettleReviews(rounds: 6);
            HostLinkReply last = _register.Request("LAST", WaitMs);
            HostLinkResultLine shown = HostLinkResultLine.From(last.Line, 3);
            sale.LastAfterResolution = last.Ok ? shown.Kind + " " + shown.Reference + " " + shown.Outcome : last.Line.Text;
        }

        FaultPlan.Install(faults, _merchantClientId, _options.FaultRate, _upstreamAttemptTimeoutMs);
    }

    // ---------------------------------------------------------------- resolutions

    /// <summary>
    /// While the terminal has transactions for review that the gateway has not made exceptions of: a beat (they enter the
    /// queue), a pass of the gateway's job, a beat (the answer carries what it resolved); time moves past the job's
    /// backoff between rounds.
    /// </summary>
    public void SettleReviews(int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            WaitIdle();
            if (round > 0)
            {
                // The job asks again after 1, 2, 4 ... minutes (docs/resolution-queue.md); the heartbeat is due by then too.
                _session.AdvanceTime(TimeSpan.FromMinutes(Math.Min(64, 1 << round)));
            }

            Beat();
            RunGatewayJob();
            Beat();
            if (Unsettled().Count == 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// What the terminal still has for review (as its next heartbeat reports it: journal.review) that the gateway has not
    /// made an exception of.
    /// </summary>
    private List<string> Unsettled()
    {
        Beat();
        JsonObject health = _gateway.Services.GetRequiredService<FleetHealth>().DeviceAsync(_deviceId, 0).GetAwaiter().GetResult()!;
        JsonNode? journal = health["heartbeat"]?["journal"];
        var exceptions = Items(ResolutionStates.Exception).Select(i => (i.Kind, i.RequestId)).ToHashSet();
        var left = (journal?["review"]?.AsArray() ?? [])
            .Select(r => ((string)r!["kind"]!, (string)r["requestId"]!))
            .Where(r => !exceptions.Contains(r))
            .Select(r => r.Item1 + " " + r.Item2)
            .ToList();
        if ((long?)journal?["more"] is > 0)
        {
            left.Add($"{(long?)journal?["more"]} more");
        }

        return left;
    }

    private IReadOnlyList<ResolutionItem> Items(string? state) =>
        _gateway.Services.GetRequiredService<ResolutionQueries>()
            .ListAsync(new ResolutionFilter(State: state, DeviceId: _deviceId, Limit: ResolutionFilter.MaxLimit)).GetAwaiter().GetResult().Items;

    /// <summary>One pass of the gateway's resolution job, as its background service runs it.</summary>
    private void RunGatewayJob()
    {
        var resolver = _gateway.Services.GetRequiredService<Resolver>();
        resolver.ResolveStaleRequestsAsync().GetAwaiter().GetResult();
        resolver.RepairDueAsync().GetAwaiter().GetResult();
        _gateway.Services.GetRequiredService<ResolutionQueue>().RunDueAsync().GetAwaiter().GetResult();
    }

    // ---------------------------------------------------------------- heartbeats

    /// <summary>Makes the terminal beat now (as after a transaction) and waits for the answered beat; moves time past a backoff if needed.</summary>
    private void Beat() => BeatUntil(null);

    private void BeatUntil(Func<bool>? done)
    {
        for (int attempt = 0; attempt < 6; attempt++)
        {
            WaitIdle();
            var heartbeat = _session.Terminal.App.FleetLink.Heartbeat;
            int before = heartbeat.Beats;
            if (attempt == 0)
            {
                heartbeat.Schedule.TransactionEnded(_session.Backend!.Clock.MonotonicMs());
            }
            else
            {
                // A failed beat (the network lost it) backs off; the next one is due within the interval.
                _session.AdvanceTime(TimeSpan.FromMilliseconds(_session.Terminal.Config.DeviceLink.HeartbeatIntervalMs + 1000));
            }

            var waited = Stopwatch.StartNew();
            while (waited.ElapsedMilliseconds < 5000 && heartbeat.Beats == before)
            {
                Thread.Sleep(10);
            }

            // The answer is acted on (settings, resolutions) right after the count moves, on the same thread.
            WaitIdle();
            Thread.Sleep(20);
            if (heartbeat.Beats > before && (done == null || done()))
            {
                return;
            }
        }
    }

    private void WaitIdle() => _session.Terminal.WaitIdle(WaitMs);

    // ---------------------------------------------------------------- the end

    /// <summary>
    /// After the last sale, faults off: settles what is left for review, then checks the whole run's fleet link and
    /// stores each transaction's resolution in its sale.
    /// </summary>
    public ChaosFleet Finish(IReadOnlyList<ChaosSale> sales)
    {
        SettleReviews(rounds: 10);
        foreach (string left in Unsettled())
        {
            _problems.Add($"{left} is still for review on the terminal, and the gateway has not made an exception of it");
        }

        var exceptions = Items(ResolutionStates.Exception);
        CheckHostLink(sales, exceptions);
        CheckForced();

        // The terminal's settings version is the gateway's, and the gateway shows it applied.
        var device = _gateway.Devices.FindAsync(_deviceId).GetAwaiter().GetResult()!;
        var fleetSettings = _gateway.Services.GetRequiredService<FleetSettings>();
        EffectiveSettings? effective = fleetSettings.EffectiveAsync(device).GetAwaiter().GetResult();
        JsonObject status = fleetSettings.DeviceStatusAsync(_deviceId).GetAwaiter().GetResult()!;
        long applied = Settings.AppliedVersion;
        if (effective == null || applied != effective.Version || (string?)status["state"] != FleetSettings.Applied)
        {
            _problems.Add($"settings: the terminal has version {applied} applied, the gateway version {effective?.Version ?? 0} ({(string?)status["state"]})");
        }

        string? name = (string?)effective?.Values["displayName"];
        if (name != null && _session.Terminal.Config.Display.DisplayName != name)
        {
            _problems.Add($"settings: displayName is \"{_session.Terminal.Config.Display.DisplayName}\" on the terminal, \"{name}\" at the gateway");
        }

        if (_changes.Count < Plan(_deviceId).Count)
        {
            _problems.Add($"only {_changes.Count} of {Plan(_deviceId).Count} settings changes were made (too few sales)");
        }

        JsonObject health = _gateway.Services.GetRequiredService<FleetHealth>().DeviceAsync(_deviceId, 0).GetAwaiter().GetResult()!;
        string online = (string)health["status"]!;
        long beats = (long?)health["beats"] ?? 0;
        if (online != FleetHealth.Online)
        {
            _problems.Add($"heartbeat: the gateway shows the terminal {online} ({health["degraded"]?.ToJsonString()}) at the end");
        }

        if (beats == 0)
        {
            _problems.Add("heartbeat: the gateway recorded no heartbeat");
        }

        var resolved = Items(ResolutionStates.Resolved);
        return new ChaosFleet(beats, _changes, resolved.Count, exceptions.Count,
            sales.Count(s => s.Resolution != null) + sales.Sum(s => s.Refunds.Count(r => r.Resolution != null) + (s.Void?.Resolution != null ? 1 : 0)),
            Forced.FirstOrDefault(s => s.Terminal == "NEEDS_REVIEW"));
    }

    /// <summary>
    /// RESULT once per transaction (a repeat only after a reboot, with the same outcome: docs/host-link.md), RESOLVED at most
    /// once and only after NEEDS_REVIEW; each resolution is stored in its sale for the checker, with the gateway's exception
    /// for the review left unresolved.
    /// </summary>
    private void CheckHostLink(IReadOnlyList<ChaosSale> sales, IReadOnlyList<ResolutionItem> exceptions)
    {
        var resolutions = new Dictionary<(string, string), List<HostLinkResultLine>>();
        _problems.AddRange(HostLinkProblems(_events, resolutions));
        var exceptionIds = exceptions.ToDictionary(i => (i.Kind, i.RequestId), i => i.Exception + ": " + i.Detail);
        foreach (ChaosSale sale in sales)
        {
            Take(sale.Terminal, "SALE", sale.Reference, sale.RequestId, ResolutionQueue.Sale, (status, code) => (sale.Resolution, sale.ResolutionCode) = (status, code), e => sale.Exception = e);
            foreach (ChaosFollowUp refund in sale.Refunds)
            {
                Take(refund.Terminal, "REFUND", sale.Reference, refund.RequestId, ResolutionQueue.Refund, (status, code) => (refund.Resolution, refund.ResolutionCode) = (status, code), e => refund.Exception = e);
            }

            if (sale.Void is { } v)
            {
                Take(v.Terminal, "VOID", sale.Reference, v.RequestId, ResolutionQueue.Void, (status, code) => (v.Resolution, v.ResolutionCode) = (status, code), e => v.Exception = e);
            }
        }

        void Take(string terminal, string kind, string reference, string? requestId, string itemKind, Action<string, string?> resolved, Action<string> exception)
        {
            if (terminal != "NEEDS_REVIEW")
            {
                return;
            }

            if (resolutions.TryGetValue((kind, reference), out var list))
            {
                resolved(list[0].Outcome, list[0].ReasonCode);
            }
            else if (requestId != null && exceptionIds.TryGetValue((itemKind, requestId), out string? why))
            {
                exception(why);
            }
        }
    }

    /// <summary>
    /// The host link's promises over a run's events in order (RESULT, RESOLVED, DEVICE TERMINAL STARTED): a RESULT once per
    /// kind and reference, repeated only after a reboot with the same outcome; RESOLVED at most once, and only for a
    /// transaction whose RESULT was NEEDS_REVIEW. Fills <paramref name="resolutions"/> with each transaction's RESOLVED lines.
    /// </summary>
    internal static List<string> HostLinkProblems(IEnumerable<HostLinkLine> events, Dictionary<(string, string), List<HostLinkResultLine>> resolutions)
    {
        var problems = new List<string>();
        int boot = 0;
        var results = new Dictionary<(string, string), List<(string Outcome, int Boot)>>();
        foreach (HostLinkLine line in events)
        {
            if (line.Name == "DEVICE")
            {
                boot++;
                continue;
            }

            HostLinkResultLine r = HostLinkResultLine.From(line, 2);
            if (line.Name == "RESULT")
            {
                Add(results, (r.Kind, r.Reference), (r.Outcome, boot));
            }
            else if (line.Name == "RESOLVED")
            {
                Add(resolutions, (r.Kind, r.Reference), r);
            }
        }

        foreach (var ((kind, reference), list) in results.Where(e => e.Value.Count > 1))
        {
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i].Outcome != list[i - 1].Outcome || list[i].Boot == list[i - 1].Boot)
                {
                    problems.Add($"RESULT {kind} {reference} reported twice: {string.Join(", ", list.Select(x => x.Outcome + " (boot " + x.Boot + ")"))}");
                    break;
                }
            }
        }

        foreach (var ((kind, reference), list) in resolutions)
        {
            if (list.Count > 1)
            {
                problems.Add($"RESOLVED {kind} {reference} announced {list.Count} times");
            }

            if (!results.TryGetValue((kind, reference), out var reported) || reported[^1].Outcome != "NEEDS_REVIEW")
            {
                problems.Add($"RESOLVED {kind} {reference} for a transaction that was not left for review");
            }
        }

        return problems;
    }

    private void CheckForced()
    {
        if (!_options.ForcedReview || _options.Scenarios != null)
        {
            return;
        }

        ChaosSale? forced = Forced.FirstOrDefault(s => s.Terminal == "NEEDS_REVIEW");
        if (forced == null)
        {
            _problems.Add($"no sale could be forced to NEEDS_REVIEW ({string.Join(", ", Forced.Select(s => s.Reference + " " + s.Terminal))})");
            return;
        }

        string expected = $"SALE {forced.Reference} CANCELLED";
        if (!forced.PaidAfterReview || forced.Resolution != "CANCELLED" || forced.ResolutionCode != "GATEWAY_CANCELLED" || forced.LastAfterResolution != expected)
        {
            _problems.Add($"the forced review {forced.Reference}: paid afterwards {forced.PaidAfterReview}, resolved {forced.Resolution ?? "never"} {forced.ResolutionCode}, " +
                $"LAST \"{forced.LastAfterResolution}\" (expected the paid order cancelled by the gateway, RESOLVED and LAST {expected})");
        }
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> map, TKey key, TValue value)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<TValue>();
        }

        list.Add(value);
    }

    private readonly record struct RemoteSettingsView(long AppliedVersion, long RejectedVersion, string? RejectedField);
}

/// <summary>One remote settings change of a chaos run: what the terminal was expected to do, and what it and the gateway showed.</summary>
public sealed class ChaosSettingsChange(string scope, string values, long version, string expected)
{
    public string Scope { get; } = scope;
    public string Values { get; } = values;
    public long Version { get; } = version;

    /// <summary><c>applied</c>, or <c>rejected</c> (then with the field in <see cref="Terminal"/> and <see cref="Gateway"/>).</summary>
    public string Expected { get; } = expected;

    public string Terminal { get; set; } = "nothing";
    public string Gateway { get; set; } = "nothing";
}

/// <summary>The fleet link's figures of a chaos run.</summary>
public sealed record ChaosFleet(long Heartbeats, IReadOnlyList<ChaosSettingsChange> Changes, int ResolvedAtGateway, int Exceptions, int ResolvedOnTerminal, ChaosSale? ForcedReview);
