using System.Text.Json.Nodes;
using Terminal.Loader.Boot;
using Terminal.Tests.Storage;
using Terminal.Tests.Support;
using Xunit;

namespace Terminal.Tests.Updates;

/// <summary>
/// The terminal's side of an update end to end over the OTA wire (TEAM.md, docs/ota.md) against a Kestrel gateway on
/// loopback with TLS, through both of the terminal's HTTP clients: the heartbeat's offer, the signed ranged
/// downloads into the version folder, the checks (MAC, sizes, SHA-256), the switch, the heartbeat's reports, and the
/// faults: wrong MAC, another device's MAC, a truncated file, a dropping gateway, a power cut during staging.
/// </summary>
public sealed class OtaDeviceTests : IAsyncLifetime
{
    private const string Version = "1.4.0";
    private OtaWireServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await OtaWireServer.StartAsync(Terminal.Tests.Engine.EngineRig.Key, Terminal.Tests.Engine.EngineRig.DeviceId);
        _server.Bundles[Version] = TestBundles.Standard(Version);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonObject? Update(JsonObject heartbeat) => heartbeat["update"]?.AsObject();

    private void AssertStagedByteForByte(UpdateFlash flash)
    {
        var files = new ChunkedAppFiles(new VersionFolders(flash));
        foreach (var (name, bytes) in _server.Bundles[Version].Where(f => f.Key != "manifest.json"))
        {
            Assert.Equal(bytes, files.ReadAll(Version, name));
        }

        Assert.Equal(Version, flash.Selector.State.Candidate);
    }

    [Theory]
    [InlineData(ClientKind.Device)]
    [InlineData(ClientKind.Pc)]
    public void An_offer_is_downloaded_in_signed_ranges_checked_staged_and_reported(ClientKind kind)
    {
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, kind, flash);
        rig.Beat();
        Assert.Null(Update(_server.Heartbeats.Last()));
        Assert.Equal("1.0.0", _server.Heartbeats.Last()["firmware"]!.GetValue<string>());
        Assert.Equal(0, rig.TurnAll());

        _server.Offered = Version;
        rig.Beat();
        rig.Turn();
        rig.Turn();
        rig.Turn();
        rig.Beat();
        JsonObject downloading = Update(_server.Heartbeats.Last())!;
        Assert.Equal((Version, "downloading"), (downloading["version"]!.GetValue<string>(), downloading["state"]!.GetValue<string>()));
        Assert.Equal(2 * UpdateRig.RangeBytes, downloading["bytes"]!.GetValue<long>());

        rig.TurnAll();
        Assert.True(rig.Updater.Task.IsStaged);
        AssertStagedByteForByte(flash);
        Assert.Equal(0, _server.BadSignatures);

        // One range per request, never more than the response buffer, the manifest first.
        string[] downloads = _server.Downloads.ToArray();
        Assert.StartsWith("manifest.json bytes=0-", downloads[0], StringComparison.Ordinal);
        Assert.All(downloads, d => Assert.Contains(" bytes=", d, StringComparison.Ordinal));
        Assert.Equal(1 + 3 + 1 + 3, downloads.Length); // manifest, 3000 B, 1024 B, 2500 B in 1024-byte ranges
        Assert.All(_server.Statuses, s => Assert.Equal(206, s));

        rig.Beat();
        JsonObject staged = Update(_server.Heartbeats.Last())!;
        Assert.Equal(("staged", 6524L), (staged["state"]!.GetValue<string>(), staged["bytes"]!.GetValue<long>()));

        // The same offer again changes nothing; the restart waits for quiet.
        int before = _server.Downloads.Count;
        rig.Beat();
        Assert.Equal(0, rig.TurnAll());
        Assert.Equal(before, _server.Downloads.Count);
        Assert.False(rig.Updater.RestartDue(false));
        ((FakeClock)rig.Clock).Advance(Terminal.Updates.Updater.RestartQuietMs);
        Assert.False(rig.Updater.RestartDue(false));
        Assert.True(rig.Updater.RestartDue(true));
    }

    [Theory]
    [InlineData("zeros")]
    [InlineData("other device")]
    [InlineData("other manifest")]
    public void A_manifest_not_authenticated_for_this_terminal_is_refused_before_any_file_and_reported(string mac)
    {
        byte[] manifest = _server.Bundles[Version]["manifest.json"];
        byte[] otherKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        _server.OfferMac = mac switch
        {
            "zeros" => new string('0', 64),
            "other device" => OtaWireServer.ManifestMac(otherKey, manifest),
            _ => OtaWireServer.ManifestMac(Terminal.Tests.Engine.EngineRig.Key, [.. manifest, (byte)' ']),
        };
        _server.Offered = Version;
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        rig.Beat();
        rig.TurnAll();

        Assert.All(_server.Downloads, d => Assert.StartsWith("manifest.json", d, StringComparison.Ordinal));
        Assert.Empty(flash.Version(Version).Names);
        Assert.Equal("", flash.Selector.State.Candidate);
        rig.Beat();
        JsonObject update = Update(_server.Heartbeats.Last())!;
        Assert.Equal((Version, "refused"), (update["version"]!.GetValue<string>(), update["state"]!.GetValue<string>()));
        Assert.Contains("not authenticated", update["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(update["bytes"]);

        // Control: the right MAC for the same bundle stages it.
        _server.OfferMac = null;
        rig.Beat();
        rig.TurnAll();
        AssertStagedByteForByte(flash);
    }

    [Fact]
    public void A_truncated_file_is_refused_and_nothing_is_switched()
    {
        _server.Cut["Terminal.Payments.pe"] = 1000;
        _server.Offered = Version;
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        rig.Beat();
        rig.TurnAll();

        Assert.Equal("", flash.Selector.State.Candidate);
        Assert.Contains(416, _server.Statuses);
        rig.Beat();
        JsonObject update = Update(_server.Heartbeats.Last())!;
        Assert.Equal("refused", update["state"]!.GetValue<string>());
        Assert.Contains("truncated: Terminal.Payments.pe", update["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_dropping_gateway_backs_off_doubling_and_the_download_resumes_where_it_stopped()
    {
        _server.Offered = Version;
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        var clock = (FakeClock)rig.Clock;
        rig.Beat();
        rig.Turn();
        rig.Turn();
        _server.FailNext = 3;
        int[] waits = new int[3];
        for (int i = 0; i < 3; i++)
        {
            Assert.True(rig.Turn());
            int waited = 0;
            while (!rig.Updater.Task.IsDue())
            {
                clock.Advance(1000);
                waited += 1000;
            }

            waits[i] = waited;
        }

        Assert.Equal([5000, 10000, 20000], waits);
        Assert.Equal(3, rig.Updater.Task.Failures);
        rig.TurnAll();
        AssertStagedByteForByte(flash);
        Assert.Equal(1 + 3 + 1 + 3 + 3, _server.Downloads.Count); // the three refused, nothing fetched twice
    }

    [Fact]
    public void A_power_cut_at_any_byte_of_staging_leaves_the_old_version_or_the_whole_new_one_and_the_next_offer_resumes()
    {
        _server.Offered = Version;
        var reference = new UpdateFlash();
        using (var full = new UpdateRig(_server, ClientKind.Device, reference))
        {
            full.Beat();
            full.TurnAll();
        }

        long total = reference.Version(Version).BytesWritten;
        int fullDownloads = _server.Downloads.Count;
        int resumedWithLess = 0;
        for (long cut = 0; cut < total; cut += 257)
        {
            var flash = new UpdateFlash();
            flash.Version(Version).CutAfterBytes = cut;
            using (var rig = new UpdateRig(_server, ClientKind.Device, flash))
            {
                rig.Beat();
                rig.TurnAll(); // ends at the cut: the storage is dead, every turn fails and backs off
            }

            flash.Reboot();
            Assert.Equal("", flash.Selector.State.Candidate);
            int before = _server.Downloads.Count;
            using (var rig = new UpdateRig(_server, ClientKind.Device, flash))
            {
                rig.Beat();
                rig.TurnAll();
            }

            AssertStagedByteForByte(flash);
            if (_server.Downloads.Count - before < fullDownloads)
            {
                resumedWithLess++;
            }
        }

        Assert.True(resumedWithLess > 10, $"only {resumedWithLess} resumes kept pieces");
    }

    [Theory]
    [InlineData("{\"version\":\"1.4.0\",\"mac\":\"ABCDEF\",\"downgrade\":false}", "mac is not 64")]
    [InlineData("{\"version\":\"1.4.0\",\"mac\":\"UPPER\",\"downgrade\":false}", "mac is not 64")]
    [InlineData("{\"version\":\"1.4.0.\",\"mac\":\"MAC\",\"downgrade\":false}", "version is not a version")]
    [InlineData("{\"version\":\"1.4.0\",\"mac\":\"MAC\"}", "lacks version, mac or downgrade")]
    [InlineData("{\"version\":\"1.4.0\",\"mac\":\"MAC\",\"downgrade\":\"no\"}", "downgrade is not true or false")]
    [InlineData("{\"version\":\"1.4.0\",\"version\":\"1.5.0\",\"mac\":\"MAC\",\"downgrade\":false}", "repeats a member")]
    [InlineData("[\"1.4.0\"]", "is not an object")]
    public void A_malformed_offer_is_dropped_with_a_diag_line_and_never_acted_on_while_the_rest_of_the_answer_counts(string offer, string problem)
    {
        string mac = OtaWireServer.ManifestMac(Terminal.Tests.Engine.EngineRig.Key, _server.Bundles[Version]["manifest.json"]);
        _server.Offered = Version;
        _server.RawUpdate = offer.Replace("UPPER", mac.ToUpperInvariant(), StringComparison.Ordinal).Replace("MAC", mac, StringComparison.Ordinal);
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Pc, flash);
        rig.Beat();

        Assert.Equal(1, rig.Link.Heartbeat.Beats);
        Assert.Equal(0, rig.TurnAll());
        Assert.Empty(_server.Downloads);
        Assert.Contains(problem, rig.Link.Heartbeat.OfferProblem, StringComparison.Ordinal);
        Assert.Contains(rig.Link.DiagnosticLines(), l => l.Contains("offers refused=1", StringComparison.Ordinal));

        // Control: the same offer well formed is taken.
        _server.RawUpdate = null;
        rig.Beat();
        Assert.True(rig.Turn());
        Assert.Single(_server.Downloads);
    }

    [Fact]
    public void Unknown_members_of_the_offer_are_skipped()
    {
        string mac = OtaWireServer.ManifestMac(Terminal.Tests.Engine.EngineRig.Key, _server.Bundles[Version]["manifest.json"]);
        _server.Offered = Version;
        _server.RawUpdate = "{\"rollout\":{\"id\":7},\"version\":\"1.4.0\",\"mac\":\"" + mac + "\",\"downgrade\":false,\"note\":[1,2]}";
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        rig.Beat();
        rig.TurnAll();
        AssertStagedByteForByte(flash);
    }

    [Fact]
    public void An_older_version_is_refused_unless_the_offer_allows_a_downgrade()
    {
        _server.Bundles["0.9.0"] = TestBundles.Standard("0.9.0");
        _server.Offered = "0.9.0";
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Device, flash);
        rig.Beat();
        rig.TurnAll();
        rig.Beat();
        Assert.Equal("refused", Update(_server.Heartbeats.Last())!["state"]!.GetValue<string>());
        Assert.Contains("older", Update(_server.Heartbeats.Last())!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        _server.Downgrade = true;
        rig.Beat();
        rig.TurnAll();
        Assert.Equal("0.9.0", flash.Selector.State.Candidate);
    }

    private sealed class VersionFolders(UpdateFlash flash) : IVersionFolders
    {
        public ILoaderFolder Folder(string version) => new BootSelectorTests.Folder(flash.Version(version));
    }
}

/// <summary>The download on the desk's running worker: a sale comes first, and waits for one range at most.</summary>
public sealed class OtaDeskTests : IAsyncLifetime
{
    private const string Version = "1.4.0";
    private OtaWireServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await OtaWireServer.StartAsync(Terminal.Tests.Engine.EngineRig.Key, Terminal.Tests.Engine.EngineRig.DeviceId);
        _server.Bundles[Version] = TestBundles.Standard(Version);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void A_sale_arriving_mid_download_waits_for_the_range_in_flight_only_and_the_download_goes_on_after_it()
    {
        var clock = new Terminal.Host.SystemClock();
        using var sleeper = new Terminal.Host.ThreadSleeper();
        var antom = new Terminal.Tests.Engine.FakeAntom(Terminal.Tests.Engine.EngineRig.Key, Terminal.Tests.Engine.EngineRig.DeviceId, clock)
        {
            OrderLifetimeMs = 3000, PollsUntilPaid = 2,
        };
        var timeline = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _server.Timeline = timeline;
        _server.Offered = Version;
        var flash = new UpdateFlash();
        using var rig = new UpdateRig(_server, ClientKind.Device, flash, clock, new RecordingExchange(antom, timeline), sleeper: sleeper);
        var results = new ResultCounter();
        rig.Desk.AddResultSubscriber(results);
        rig.Beat();
        _server.Gate = new SemaphoreSlim(2);
        rig.Desk.Start();
        try
        {
            WaitUntil(() => _server.Downloads.Count == 3); // the third range is held in flight
            Assert.Equal(Terminal.Transactions.DeskAnswer.Accepted,
                rig.Desk.StartSale(1250, "USD", Terminal.Payments.Journal.TransactionKind.SaleOrderCode, "R-1", out _));
            rig.Desk.ReleaseQueuedJob();
            Thread.Sleep(100);
            Assert.DoesNotContain(timeline, e => e.StartsWith("relay", StringComparison.Ordinal)); // waiting for that range
            _server.Gate.Release(1000);
            WaitUntil(() => results.Count == 1);
            WaitUntil(() => rig.Updater.Task.IsStaged);
        }
        finally
        {
            _server.Gate.Release(1000);
            rig.Desk.Stop(10000);
        }

        // The sale's exchanges all came after the third range and before the fourth.
        string[] events = timeline.ToArray();
        int firstRelay = Array.FindIndex(events, e => e.StartsWith("relay", StringComparison.Ordinal));
        int lastRelay = Array.FindLastIndex(events, e => e.StartsWith("relay", StringComparison.Ordinal));
        Assert.Equal(3, events.Take(firstRelay).Count(e => e.StartsWith("range", StringComparison.Ordinal)));
        Assert.DoesNotContain(events[firstRelay..lastRelay], e => e.StartsWith("range", StringComparison.Ordinal));
        Assert.Equal(Terminal.Payments.Journal.FinalStatus.Success, results.Last!.Payment.Status);
        Assert.Equal(Version, flash.Selector.State.Candidate);
        Assert.Equal(0, rig.Desk.LinkTaskFaults);
    }

    private static void WaitUntil(Func<bool> condition)
    {
        long deadline = Environment.TickCount64 + 20000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            Thread.Sleep(2);
        }
    }

    private sealed class ResultCounter : Terminal.Transactions.IResultSubscriber
    {
        public int Count;
        public Terminal.Transactions.DeskResult? Last;

        public void OnResult(Terminal.Transactions.DeskResult result)
        {
            Last = result;
            Interlocked.Increment(ref Count);
        }
    }

    private sealed class RecordingExchange(Terminal.Core.Ports.IHttpExchange inner, System.Collections.Concurrent.ConcurrentQueue<string> timeline) : Terminal.Core.Ports.IHttpExchange
    {
        public Terminal.Core.Ports.HttpExchangeStatus Send(Terminal.Core.Ports.HttpExchange exchange, int timeoutMs)
        {
            timeline.Enqueue("relay " + exchange.Path);
            return inner.Send(exchange, timeoutMs);
        }
    }
}
