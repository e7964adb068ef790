using System.Text.Json.Nodes;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Simulator;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Updates;
using Xunit;

namespace Terminal.Tests.Simulator;

/// <summary>
/// Over-the-air update end to end (issue 17): the simulator's terminal against the real embedded gateway (Kestrel on
/// loopback with TLS, a real SQLite file), a bundle of the simulator's own assemblies made by Terminal.Bundler and
/// uploaded through the admin API, a rollout, and the device's states as the gateway records them.
/// </summary>
public sealed class SimulatorOtaTests
{
    private const string Device = "SIM0001";

    [Fact]
    public async Task A_rollout_takes_the_terminal_from_offer_through_ranged_download_restart_and_trial_to_healthy()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-ota-").FullName;
        try
        {
            await using Session session = await StartAsync(folder);
            using var gateway = new GatewayRollouts(session.Backend!);
            // A link slow enough (10 ms a range, about 1.8 s for the bundle) that a 1 s heartbeat falls within the download.
            using var tap = new DownloadTap(session.Terminal) { DelayMs = 10 };
            string bundle = SimulatorBundle.Make("1.1.0", Path.Combine(folder, "bundle-1.1.0"));
            JsonNode uploaded = await gateway.UploadAsync(bundle);
            Assert.Equal("1.1.0", (string?)uploaded["version"]);

            // The sale comes first: the third range is held in flight while the register starts a sale.
            tap.HoldAfter(2);
            long rollout = await gateway.CreateAsync("1.1.0", Device);
            await using var watch = new RolloutWatch(gateway, rollout, Device);
            Assert.True(tap.WaitHeld(30000), "no download started");
            Task<string> sale = Task.Run(() => CountertopSale.Run(session, "OTA-SALE-1", 1250));
            Assert.True(SpinWait.SpinUntil(() => session.Terminal.App.StatusText() != "IDLE", 10000));
            int pathsBefore = tap.Paths().Length;
            tap.Release();
            Assert.Equal("SUCCESS", await sale);

            // Between the held range and the next one: only the sale's exchanges and the heartbeat after it.
            Assert.True(SpinWait.SpinUntil(() => tap.Paths()[pathsBefore..].Any(p => p.StartsWith(DownloadTap.UpdatesPath, StringComparison.Ordinal)), 20000),
                "the download did not go on after the sale");
            string[] after = tap.Paths()[pathsBefore..];
            int nextRange = Array.FindIndex(after, p => p.StartsWith(DownloadTap.UpdatesPath, StringComparison.Ordinal));
            Assert.True(nextRange > 0, string.Join(", ", after));
            Assert.Contains(after[..nextRange], p => p.Contains("/pay", StringComparison.Ordinal));

            Assert.True(watch.WaitFor("staged", 60000), "states: " + string.Join(" ", watch.States()));
            Assert.True(session.Terminal.App.Updater!.Task.IsStaged);
            Assert.Equal(1, session.Terminal.Boots);

            // The idle restart waits 30 s after the last transaction (its result stays on the screen).
            session.AdvanceTime(TimeSpan.FromSeconds(31));
            Assert.True(SpinWait.SpinUntil(() => session.Terminal.Boots == 2, 20000), "no restart");
            Assert.True(session.Terminal.WaitIdle(30000));
            Assert.Equal("1.1.0", session.Terminal.App.FirmwareVersion);
            Assert.True(watch.WaitFor("trial", 30000), "states: " + string.Join(" ", watch.States()));

            // Two transactions on the new version mark it healthy (updateHealthyAfterTransactions).
            Assert.Equal("SUCCESS", CountertopSale.Run(session, "OTA-SALE-2", 300));
            Assert.Equal("SUCCESS", CountertopSale.Run(session, "OTA-SALE-3", 450));
            Assert.True(watch.WaitFor("healthy", 30000), "states: " + string.Join(" ", watch.States()));

            string[] states = watch.States().SkipWhile(s => s == "pending").ToArray();
            Assert.True(states.SequenceEqual(["offered", "downloading", "staged", "trial", "healthy"]), string.Join(" ", states));
            var facts = new HeartbeatFacts();
            session.Terminal.App.Updater!.Report(facts);
            Assert.Equal(("1.1.0", "healthy"), (facts.UpdateVersion, facts.UpdateState));

            // Every file staged is the bundle's, byte for byte; the download went by ranges of at most 4 KB.
            Assert.Null(StagedFiles.Mismatch(Path.Combine(folder, "terminal-ota", "versions", "1.1.0"), bundle));
            long bundleBytes = Directory.GetFiles(bundle).Sum(f => new FileInfo(f).Length);
            Assert.True(tap.Downloads >= bundleBytes / 4096, $"{tap.Downloads} downloads for {bundleBytes} bytes");

            // DIAG shows the version running and its update state.
            var diag = session.Terminal.Register!.Request("DIAG", 10000);
            Assert.Contains(diag.Info, l => l.StartsWith("firmware 1.1.0 ", StringComparison.Ordinal));
            Assert.Contains(diag.Info, l => l == "update running=1.1.0 healthy");
        }
        finally
        {
            TryDelete(folder);
        }
    }

    [Fact]
    public async Task Chaos_rollout_with_power_cuts_pause_abort_and_a_bad_version_keeps_sales_whole_and_states_agreeing()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-ota-chaos-").FullName;
        try
        {
            var output = new StringWriter();

            OtaChaosReport report = await OtaChaosRun.RunReportAsync(output, folder);

            string text = output.ToString();
            Assert.True(report.Passed, text);
            Assert.Contains(report.Steps, s => s.StartsWith("power cut as the 5th range left: booted 1.0.0", StringComparison.Ordinal));
            Assert.Contains(report.Steps, s => s.StartsWith("power cut at the switch (the boot record's write): booted 1.0.0", StringComparison.Ordinal));
            Assert.Contains(report.Steps, s => s.StartsWith("1.1.0 states at the gateway: ", StringComparison.Ordinal) && s.EndsWith("trial -> healthy", StringComparison.Ordinal));
            Assert.Contains(report.Steps, s => s.StartsWith("1.3.0 rolled back (not marked healthy in 3 boots)", StringComparison.Ordinal));
            Assert.Equal(7, report.Sales.Count);
            Assert.All(report.Sales, s => Assert.EndsWith(" SUCCESS", s, StringComparison.Ordinal));
        }
        finally
        {
            TryDelete(folder);
        }
    }

    [Fact]
    public void Staged_files_are_compared_byte_for_byte_with_the_bundle()
    {
        string folder = Directory.CreateTempSubdirectory("sim-test-ota-staged-").FullName;
        try
        {
            string bundle = Path.Combine(folder, "bundle");
            string staged = Path.Combine(folder, "staged");
            Directory.CreateDirectory(bundle);
            Directory.CreateDirectory(staged);
            byte[] content = Enumerable.Range(0, 10000).Select(i => (byte)i).ToArray();
            File.WriteAllBytes(Path.Combine(bundle, "A.pe"), content);
            File.WriteAllBytes(Path.Combine(staged, "A.pe.0"), content[..4096]);
            File.WriteAllBytes(Path.Combine(staged, "A.pe.1"), content[4096..8192]);
            Assert.Equal("A.pe differs from the bundle's (8192 bytes staged)", StagedFiles.Mismatch(staged, bundle));

            File.WriteAllBytes(Path.Combine(staged, "A.pe.2"), content[8192..]);
            Assert.Null(StagedFiles.Mismatch(staged, bundle));

            content[9000] ^= 1;
            File.WriteAllBytes(Path.Combine(bundle, "A.pe"), content);
            Assert.NotNull(StagedFiles.Mismatch(staged, bundle));
            content[9000] ^= 1;
            File.WriteAllBytes(Path.Combine(bundle, "A.pe"), content);
            File.WriteAllBytes(Path.Combine(bundle, "manifest.json"), [1]);
            Assert.Equal("manifest.json is not staged", StagedFiles.Mismatch(staged, bundle));
        }
        finally
        {
            TryDelete(folder);
        }
    }

    internal static async Task<Session> StartAsync(string folder)
    {
        Session session = await Session.StartAsync(new SessionOptions { DataFolder = folder, Persistent = false, Timings = TerminalTimings.Demo });
        session.Terminal.Config.DeviceLink.HeartbeatIntervalMs = 1000;
        session.Terminal.Config.Updates.HealthyAfterTransactions = 2;
        session.Terminal.Boot();
        Assert.True(session.Terminal.WaitIdle(30000));
        return session;
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
