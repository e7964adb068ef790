using System.Text.Json.Nodes;
using Terminal.Payments.Journal;
using Terminal.Tests.App;
using Xunit;

namespace Terminal.Tests.DeviceLink;

/// <summary>
/// The gateway's final status of a transaction the terminal left for review reaches the terminal (docs/fleet-link.md,
/// "Resolutions"): the next heartbeat reports the sale under journal.review, the answer resolves it, the journal
/// follows (kept across a reboot), LAST answers with the final status and the register hears RESOLVED once.
/// </summary>
public sealed class ResolutionTests
{
    [Fact]
    public void A_sale_left_for_review_is_resolved_by_the_gateway_and_announced_once()
    {
        using var rig = new AppRig(c => c.Engine.MpmBudgetMs = 300);
        rig.Server.PollsUntilPaid = -1;
        rig.Server.SendExpireTime = false;
        rig.Server.CancelNeverAnswers = true;
        rig.Start();
        Assert.True(rig.Request("SALE 990 USD MPM R-77").Ok);
        rig.Event("NEEDS_REVIEW", l => l.Word(2) == "R-77");
        Assert.Equal("NEEDS_REVIEW", rig.Result("R-77").Outcome);

        // The beat after the transaction names the sale; the gateway answers with its final status.
        rig.WaitUntil(() => rig.Fleet.Count > 0 && rig.Fleet.Last.Review.Count == 1, "a heartbeat reporting the sale for review");
        string requestId = rig.Fleet.Last.Review[0].RequestId;
        Assert.Equal(("sale", "R-77"), (rig.Fleet.Last.Review[0].Kind, rig.Fleet.Last.Review[0].Reference));
        rig.Fleet.Extra = report => report.Review.Count == 0 ? null : new JsonObject
        {
            ["resolutions"] = new JsonArray(new JsonObject { ["kind"] = "sale", ["requestId"] = requestId, ["status"] = "CANCELLED", ["resultCode"] = "GATEWAY_CANCELLED" }),
        };
        rig.App.FleetLink.Heartbeat.Schedule.TransactionEnded(rig.Clock.MonotonicMs());

        var resolved = rig.Event("RESOLVED", l => l.Word(3) == "R-77");
        Assert.Equal("SALE R-77 CANCELLED 990 USD", resolved.Rest(2).Substring(0, "SALE R-77 CANCELLED 990 USD".Length));
        Assert.Contains("GATEWAY_CANCELLED", resolved.Rest(2), StringComparison.Ordinal);
        Assert.StartsWith("SALE R-77 CANCELLED", rig.Request("LAST").Line.Rest(3), StringComparison.Ordinal);
        var record = rig.App.Desk.Link.Journal;
        Assert.Equal(FinalStatus.Cancelled, Enumerable.Range(0, record.Count).Select(record.Get).Single(r => r.Reference.ToString() == "R-77").Status);

        // Resolved once: later beats no longer report it, and a repeated resolution changes nothing.
        rig.Fleet.Extra = _ => new JsonObject
        {
            ["resolutions"] = new JsonArray(new JsonObject { ["kind"] = "sale", ["requestId"] = requestId, ["status"] = "SUCCESS" }),
        };
        int beats = rig.Fleet.Count;
        rig.App.FleetLink.Heartbeat.Schedule.TransactionEnded(rig.Clock.MonotonicMs());
        rig.WaitUntil(() => rig.Fleet.Count > beats + 0 && rig.Fleet.Last.Review.Count == 0, "a heartbeat without the sale");
        Assert.StartsWith("SALE R-77 CANCELLED", rig.Request("LAST").Line.Rest(3), StringComparison.Ordinal);
        Assert.Single(rig.Lines, l => l.Contains(" RESOLVED ", StringComparison.Ordinal));
    }
}
