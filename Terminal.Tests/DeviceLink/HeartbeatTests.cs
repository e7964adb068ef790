using Terminal.DeviceLink.Heartbeat;
using Terminal.Host;
using Terminal.Payments.Antom;
using Terminal.Payments.Journal;
using Terminal.Tests.Engine;
using Xunit;

namespace Terminal.Tests.DeviceLink;

/// <summary>
/// The terminal's heartbeat (docs/fleet-link.md): what it reports, how it is signed, which answers it trusts, when it
/// goes again, and that a steady-state beat allocates nothing.
/// </summary>
public sealed class HeartbeatTests
{
    [Fact]
    public void A_beat_reports_the_terminal_signed_with_the_heartbeat_key_and_the_gateway_reads_it()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var rig = new HeartbeatRig(fleet);
        rig.Clock.Advance(3_600_000);
        rig.Parts.ScannerWord = "not_responding";

        rig.Beat();

        Assert.Equal(0, fleet.BadSignatures);
        HeartbeatReport_is(fleet.Last, firmware: "1.0.0", uptimeS: 3600, bootCount: 1, bootReason: "first", scanner: "not_responding");
        Assert.Equal("scanner", fleet.Last.DegradedReasons());
        Assert.Equal((1, 0), (rig.Heartbeat.Beats, rig.Heartbeat.Failures));
        Assert.Equal(60_000, rig.Heartbeat.Schedule.DueIn(rig.Clock.Mono));
    }

    private static void HeartbeatReport_is(Terminal.Gateway.Fleet.HeartbeatReport report, string firmware, long uptimeS, long bootCount, string bootReason, string scanner)
    {
        Assert.Equal((firmware, uptimeS, bootCount, bootReason, scanner), (report.Firmware, report.UptimeS, report.BootCount, report.BootReason, report.Scanner));
        Assert.Equal(("ok", "ok", "ok", 60_000L), (report.Display, report.Storage, report.Clock, report.IntervalMs));
        Assert.Empty(report.Open);
        Assert.Empty(report.Review);
        Assert.Null(report.HeapBytes);
        Assert.Null(report.LastError);
    }

    [Fact]
    public void Transactions_left_open_or_for_review_are_reported_with_their_references_newest_first()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var rig = new HeartbeatRig(fleet);
        var journal = rig.Desk.Link.Journal;
        TransactionRecord review = journal.Begin(TransactionKind.SalePaymentCode, null);
        review.RequestId.SetAscii("T0001000000000001AAAA");
        review.Reference.SetAscii("R-1");
        review.Status = FinalStatus.NeedsReview;
        review.State = TransactionState.Final;
        TransactionRecord open = journal.Begin(TransactionKind.Refund, null);
        open.RequestId.SetAscii("T0001000000000002BBBB");
        Assert.True(journal.Commit());

        rig.Beat();

        var report = fleet.Last;
        Assert.Equal(new Terminal.Gateway.Fleet.JournalReference("refund", "T0001000000000002BBBB", null), Assert.Single(report.Open));
        Assert.Equal(new Terminal.Gateway.Fleet.JournalReference("sale", "T0001000000000001AAAA", "R-1"), Assert.Single(report.Review));
    }

    [Theory]
    [InlineData(BeatFault.Unsigned)]
    [InlineData(BeatFault.SignedWithRequestKey)]
    [InlineData(BeatFault.SignedWithRelayAnswerKey)]
    [InlineData(BeatFault.OldBeat)]
    [InlineData(BeatFault.Refused)]
    public void An_answer_not_signed_with_the_heartbeat_answer_key_for_this_beat_counts_as_none(BeatFault fault)
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var rig = new HeartbeatRig(fleet);
        rig.Beat();
        Assert.Equal((1, 0), (rig.Heartbeat.Beats, rig.Heartbeat.Failures));

        fleet.Fault = fault;
        rig.Beat();

        Assert.Equal((1, 1), (rig.Heartbeat.Beats, rig.Heartbeat.Failures));
        Assert.Equal(HeartbeatSchedule.FirstRetryMs, rig.Heartbeat.Schedule.DueIn(rig.Clock.Mono));
        Assert.Null(rig.Log.LastError);
    }

    [Fact]
    public void Failed_beats_back_off_to_the_interval_and_never_retry_in_a_tight_loop()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId) { Fault = BeatFault.ConnectFailed };
        var rig = new HeartbeatRig(fleet);
        Assert.True(rig.Heartbeat.IsDue());
        var waits = new List<long>();
        for (int i = 0; i < 6; i++)
        {
            rig.Beat();
            waits.Add(rig.Heartbeat.Schedule.DueIn(rig.Clock.Mono));
            Assert.False(rig.Heartbeat.IsDue());
            rig.Clock.Advance(waits[^1]);
        }

        Assert.Equal(new long[] { 5_000, 10_000, 20_000, 40_000, 60_000, 60_000 }, waits);

        // A transaction does not cut a failing link's backoff short; on a healthy link it brings the next beat forward.
        rig.Beat();
        rig.Heartbeat.OnResult(null!);
        Assert.Equal(60_000, rig.Heartbeat.Schedule.DueIn(rig.Clock.Mono));
        fleet.Fault = BeatFault.None;
        rig.Clock.Advance(60_000);
        rig.Beat();
        rig.Heartbeat.OnResult(null!);
        Assert.Equal(HeartbeatSchedule.QuietAfterTransactionMs, rig.Heartbeat.Schedule.DueIn(rig.Clock.Mono));
    }

    [Fact]
    public void A_beat_that_throws_counts_as_failed_and_is_not_retried_at_once()
    {
        var rig = new HeartbeatRig(new ThrowingExchange());

        Assert.Throws<InvalidOperationException>(rig.Beat);

        Assert.Equal((0, 1), (rig.Heartbeat.Beats, rig.Heartbeat.Failures));
        Assert.False(rig.Heartbeat.IsDue());
        Assert.Equal(HeartbeatSchedule.FirstRetryMs, rig.Heartbeat.Schedule.DueIn(rig.Clock.Mono));
    }

    private sealed class ThrowingExchange : Terminal.Core.Ports.IHttpExchange
    {
        public Terminal.Core.Ports.HttpExchangeStatus Send(Terminal.Core.Ports.HttpExchange exchange, int timeoutMs) =>
            throw new InvalidOperationException("binding bug");
    }

    [Fact]
    public void The_boot_count_and_reason_survive_restarts_and_tell_a_power_loss_from_a_stop()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var storage = new MemoryStorage();
        new HeartbeatRig(fleet, storage: storage).Beat();
        var second = new HeartbeatRig(fleet, storage: storage);
        second.Beat();
        second.Link.Stopped();
        new HeartbeatRig(fleet, storage: storage).Beat();

        Assert.Equal(new (long, string)[] { (1, "first"), (2, "power"), (3, "restart") }, fleet.Reports.Select(r => (r.BootCount, r.BootReason)));
    }

    [Fact]
    public void Storage_errors_an_unset_clock_and_the_last_error_are_reported()
    {
        var fleet = new FakeFleetGateway(EngineRig.Key, EngineRig.DeviceId);
        var storage = new MemoryStorage();
        var rig = new HeartbeatRig(fleet, storage: storage);
        rig.Clock.Wall = 1_000;
        storage.FailWrites = true;
        rig.Desk.Link.Journal.Begin(TransactionKind.SalePaymentCode, null);
        Assert.False(rig.Desk.Link.Journal.Commit());

        rig.Beat();

        var report = fleet.Last;
        Assert.Equal(("error", "invalid"), (report.Storage, report.Clock));
        Assert.StartsWith("journal: commit failed", report.LastError, StringComparison.Ordinal);
        Assert.Equal("storage,clock", report.DegradedReasons());
    }

    [Fact]
    public void A_steady_state_beat_allocates_nothing()
    {
        var canned = new CannedExchange(EngineRig.Key, EngineRig.DeviceId, SignatureKeys.HeartbeatAnswer);
        canned.Add(HeartbeatTask.Path, "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},\"beat\":\"0707070707070707\"}");
        var rig = new HeartbeatRig(canned, random: new ConstantRandom(7));
        rig.Beat();
        rig.Beat();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            rig.Beat();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((102, 0), (rig.Heartbeat.Beats, rig.Heartbeat.Failures));
        Assert.Equal(0, allocated);
    }
}
