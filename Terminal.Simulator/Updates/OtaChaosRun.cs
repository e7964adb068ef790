using Terminal.AntomEmulator;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Devices;

namespace Terminal.Simulator.Updates;

/// <summary>What an OTA chaos run found: each step's line and every problem (none: passed).</summary>
public sealed record OtaChaosReport(IReadOnlyList<string> Steps, IReadOnlyList<string> Problems, IReadOnlyList<string> Sales)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// A rollout under faults (issue 17, <c>ota-chaos</c>): three versions through the real embedded gateway while the
/// register keeps selling. 1.1.0 is rolled out with power cuts as a range leaves, while a piece is written and at the
/// switch, a sale in the middle of the download, a pause (the download stops) and a resume, then the idle restart, the
/// trial and the healthy mark; 1.2.0 is aborted mid-download; 1.3.0 is a bad version that dies on trial before it is
/// marked healthy (the power fails at three boots in a row), is rolled back by the loader and reported rolled_back, and
/// is not offered again. Checked throughout: the terminal always boots a complete version (every file of it staged
/// byte for byte, or the installed one), every sale has exactly one charge at Antom and the terminal's result, and the
/// gateway's state of each rollout is the terminal's.
/// </summary>
public sealed class OtaChaosRun
{
    private const string Device = "SIM0001";
    private const int WaitMs = 60000;

    private readonly TextWriter _out;
    private readonly Session _session;
    private readonly GatewayRollouts _gateway;
    private readonly DownloadTap _tap;
    private readonly string _folder;
    private readonly List<string> _steps = new();
    private readonly List<string> _problems = new();
    private readonly Dictionary<string, string> _bundles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sales = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _requestIds = new(StringComparer.Ordinal);
    private int _saleNumber;

    private OtaChaosRun(TextWriter output, Session session, string folder)
    {
        _out = output;
        _session = session;
        _folder = folder;
        _gateway = new GatewayRollouts(session.Backend!);
        _tap = new DownloadTap(session.Terminal);
        session.Terminal.ResultObserver = r =>
        {
            if (r.Kind == TransactionKind.SaleOrderCode || r.Kind == TransactionKind.SalePaymentCode)
            {
                lock (_requestIds)
                {
                    _requestIds[r.Reference] = r.RequestId;
                }
            }
        };
    }

    private SimulatedTerminal Terminal => _session.Terminal;

    /// <summary>The command: prints the run and returns 0 when nothing was found, 1 otherwise.</summary>
    public static async Task<int> RunAsync(TextWriter output, string folder)
    {
        OtaChaosReport report = await RunReportAsync(output, folder);
        output.WriteLine(report.Passed ? "ota-chaos: PASSED" : $"ota-chaos: FAILED ({report.Problems.Count} problems)");
        foreach (string problem in report.Problems)
        {
            output.WriteLine("  problem: " + problem);
        }

        return report.Passed ? 0 : 1;
    }

    public static async Task<OtaChaosReport> RunReportAsync(TextWriter output, string folder)
    {
        Directory.CreateDirectory(folder);
        await using Session session = await Session.StartAsync(new SessionOptions { DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo });
        session.Terminal.Config.DeviceLink.HeartbeatIntervalMs = 1000;
        session.Terminal.Config.Updates.HealthyAfterTransactions = 2;
        session.Terminal.Boot();
        var run = new OtaChaosRun(output, session, folder);
        try
        {
            await run.RunStepsAsync();
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            run.Problem("the run stopped: " + e.Message);
        }
        finally
        {
            run._tap.Dispose();
            run._gateway.Dispose();
        }

        run.CheckSales();
        return new OtaChaosReport(run._steps, run._problems, run._sales.Select(s => s.Key + " " + s.Value).ToList());
    }

    private async Task RunStepsAsync()
    {
        Expect(Terminal.WaitIdle(WaitMs), "the terminal did not boot");
        Sell();

        // ---- 1.1.0: cuts during download, staging and switch; a sale; pause and resume; restart, trial, healthy ----
        long r1 = await RolloutAsync("1.1.0");
        await using (var watch = new RolloutWatch(_gateway, r1, Device))
        {
            _tap.CutAfter(5);
            Expect(_tap.WaitCut(WaitMs), "no download to cut");
            PowerCutAndBoot("as the 5th range left");

            CutAtUpdateWrite(12, null, "while writing a piece");

            _tap.HoldAfter(3);
            Expect(_tap.WaitHeld(WaitMs), "no range to hold");
            Task<string> sale = Task.Run(() => Sell());
            SpinWait.SpinUntil(() => Terminal.App.StatusText() != "IDLE", 10000);
            _tap.Release();
            await sale;
            Step("a sale during the download: served between two ranges");

            _tap.HoldAfter(2);
            Expect(_tap.WaitHeld(WaitMs), "no range to hold before the pause");
            await _gateway.PauseAsync(r1);
            _tap.Release();
            Expect(SpinWait.SpinUntil(() => Terminal.App.Updater!.Task.Version == null, WaitMs), "the pause did not stop the download");
            int downloads = _tap.Downloads;
            Sell();
            Thread.Sleep(3000);
            Expect(_tap.Downloads == downloads, $"{_tap.Downloads - downloads} ranges fetched while paused");
            await SameStateAsync(r1, "downloading");
            Step($"paused: no range for 3 s and a sale; the gateway still says {watch.Last?.State}");

            await _gateway.ResumeAsync(r1);
            CutAtUpdateWrite(1, "boot.", "at the switch (the boot record's write)");
            Expect(watch.WaitFor("staged", WaitMs), "1.1.0 never staged: " + string.Join(" ", watch.States()));
            Step("resumed, staged after the cuts");

            RestartInto("1.1.0");
            Expect(watch.WaitFor("trial", WaitMs), "1.1.0 not reported on trial");
            Sell();
            Sell();
            Expect(watch.WaitFor("healthy", WaitMs), "1.1.0 never healthy: " + string.Join(" ", watch.States()));
            await SameStateAsync(r1, "healthy");
            Step("1.1.0 states at the gateway: " + string.Join(" -> ", watch.States()));
        }

        // ---- 1.2.0: aborted mid-download ----
        long r2 = await RolloutAsync("1.2.0");
        _tap.HoldAfter(4);
        Expect(_tap.WaitHeld(WaitMs), "no 1.2.0 range to hold");
        await _gateway.AbortAsync(r2);
        _tap.Release();
        Expect(SpinWait.SpinUntil(() => Terminal.App.Updater!.Task.Version == null, WaitMs), "the abort did not stop the download");
        int afterAbort = _tap.Downloads;
        Sell();
        Thread.Sleep(3000);
        Expect(_tap.Downloads == afterAbort, "ranges fetched after the abort");
        Expect(Terminal.App.FirmwareVersion == "1.1.0", "running " + Terminal.App.FirmwareVersion + " after the abort");
        CheckComplete();
        Step("1.2.0 aborted mid-download: no more ranges, 1.1.0 runs on");

        // ---- 1.3.0: dies on trial three boots in a row: rolled back, reported, not offered again ----
        long r3 = await RolloutAsync("1.3.0");
        await using (var watch = new RolloutWatch(_gateway, r3, Device))
        {
            Expect(watch.WaitFor("staged", WaitMs), "1.3.0 never staged: " + string.Join(" ", watch.States()));
            RestartInto("1.3.0");
            for (int boot = 1; boot <= 3; boot++)
            {
                Expect(Terminal.App.FirmwareVersion == "1.3.0", $"boot {boot} of the bad version runs {Terminal.App.FirmwareVersion}");
                PowerCutAndBoot($"on trial of 1.3.0, boot {boot}, before the healthy mark");
            }

            Expect(Terminal.App.FirmwareVersion == "1.1.0", "after three failed boots the terminal runs " + Terminal.App.FirmwareVersion);
            Expect(watch.WaitFor("rolled_back", WaitMs), "1.3.0 not reported rolled back: " + string.Join(" ", watch.States()));
            Thread.Sleep(3000);
            Expect(Terminal.App.Updater!.Task.Version == null, "1.3.0 offered again after its rollback");
            Sell();
            await SameStateAsync(r3, "rolled_back");
            Step($"1.3.0 rolled back ({watch.Last?.Reason}); states: {string.Join(" -> ", watch.States())}; not offered again");
        }

        DeviceUpdateState? first = await _gateway.DeviceStateAsync(r1, Device);
        Expect(first?.State == "healthy", "rollout 1's state became " + first?.State);
    }

    private async Task<long> RolloutAsync(string version)
    {
        string bundle = SimulatorBundle.Make(version, Path.Combine(_folder, "bundle-" + version));
        _bundles[version] = bundle;
        await _gateway.UploadAsync(bundle);
        long rollout = await _gateway.CreateAsync(version, Device);
        Step($"bundle {version} uploaded ({Directory.GetFiles(bundle).Sum(f => new FileInfo(f).Length):N0} bytes), rollout {rollout} created");
        return rollout;
    }

    /// <summary>Cuts the power at the n-th write to the update folders (a Create whose name starts with
    /// <paramref name="createPrefix"/>, or any write when null), then boots again.</summary>
    private void CutAtUpdateWrite(int n, string? createPrefix, string what)
    {
        int seen = 0;
        using var cut = new ManualResetEventSlim();
        Terminal.UpdateWriting = file =>
        {
            if ((createPrefix == null || (file != null && file.StartsWith(createPrefix, StringComparison.Ordinal))) && ++seen == n)
            {
                Terminal.Rail.Cut();
                cut.Set();
            }
        };
        bool happened = cut.Wait(WaitMs);
        Terminal.UpdateWriting = null;
        Expect(happened, "no update write to cut " + what);
        PowerCutAndBoot(what);
    }

    private void PowerCutAndBoot(string when)
    {
        Terminal.PowerCut();
        Terminal.Boot();
        Expect(Terminal.WaitIdle(WaitMs), "no boot after the cut " + when);
        CheckComplete();
        Step($"power cut {when}: booted {Terminal.App.FirmwareVersion} (boot {Terminal.Boots})");
    }

    /// <summary>The idle restart into a staged version: 30 s of quiet after the last transaction.</summary>
    private void RestartInto(string version)
    {
        int boots = Terminal.Boots;
        _session.AdvanceTime(TimeSpan.FromSeconds(31));
        Expect(SpinWait.SpinUntil(() => Terminal.Boots > boots && Terminal.App.FirmwareVersion == version, WaitMs), "no restart into " + version);
        Expect(Terminal.WaitIdle(WaitMs), "not idle after the restart");
        CheckComplete();
        Step($"idle restart: {version} on trial");
    }

    /// <summary>The version running is the installed one or one whose every file is staged byte for byte.</summary>
    private void CheckComplete()
    {
        string running = Terminal.App.FirmwareVersion;
        if (running == global::Terminal.Firmware.App.TerminalApp.Version)
        {
            return;
        }

        string? mismatch = _bundles.TryGetValue(running, out string? bundle)
            ? StagedFiles.Mismatch(Path.Combine(_folder, "terminal-ota", "versions", running), bundle)
            : "no bundle of that version was made";
        if (mismatch != null)
        {
            Problem($"the terminal runs {running}, which is not complete: {mismatch}");
        }
    }

    /// <summary>The gateway's state of the device in the rollout is what the terminal reports (after a heartbeat).</summary>
    private async Task SameStateAsync(long rollout, string expected)
    {
        DeviceUpdateState? atGateway = await _gateway.DeviceStateAsync(rollout, Device);
        var facts = new HeartbeatFacts();
        Terminal.App.Updater!.Report(facts);
        string terminal = facts.UpdateState ?? "(nothing)";
        if (atGateway?.State != expected)
        {
            Problem($"rollout {rollout}: the gateway says {atGateway?.State}, expected {expected}");
        }

        // A paused or aborted download is no longer reported by the terminal; the gateway keeps its last state.
        if (expected != "downloading" && terminal != expected)
        {
            Problem($"rollout {rollout}: the gateway says {atGateway?.State}, the terminal {terminal}");
        }
    }

    private string Sell()
    {
        string reference = "OTA-" + Interlocked.Increment(ref _saleNumber).ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        string outcome = CountertopSale.Run(_session, reference, 100 + _saleNumber);
        lock (_sales)
        {
            _sales[reference] = outcome;
        }

        if (outcome != "SUCCESS")
        {
            Problem($"sale {reference}: {outcome}");
        }

        return outcome;
    }

    /// <summary>Every sale charged exactly once at Antom, and no charge without a sale.</summary>
    private void CheckSales()
    {
        var payments = _session.Backend!.Emulator.Records.Payments().Where(p => p.ClientId == EmbeddedBackend.MerchantClientId).ToList();
        foreach (var (reference, outcome) in _sales)
        {
            string? requestId;
            lock (_requestIds)
            {
                _requestIds.TryGetValue(reference, out requestId);
            }

            int charged = payments.Count(p => p.PaymentRequestId == requestId && p.Status == PaymentStatus.Success);
            if (charged != (outcome == "SUCCESS" ? 1 : 0))
            {
                Problem($"sale {reference}: terminal {outcome}, charged {charged} times at Antom");
            }
        }

        int successes = payments.Count(p => p.Status == PaymentStatus.Success);
        int sold = _sales.Values.Count(v => v == "SUCCESS");
        if (successes != sold)
        {
            Problem($"Antom holds {successes} charges for {sold} sales");
        }

        Step($"{_sales.Count} sales during the rollouts, {sold} paid, {successes} charges at Antom");
    }

    private void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            Problem(problem);
            throw new TimeoutException(problem);
        }
    }

    private void Problem(string problem)
    {
        _problems.Add(problem);
        _out.WriteLine("  ! " + problem);
    }

    private void Step(string line)
    {
        _steps.Add(line);
        _out.WriteLine("  " + line);
    }
}
