using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The resolver against live requests (docs/gateway.md, "After a crash"): it never decides a device request whose own
/// upstream attempt may still be in flight, however long the request has taken, and once it has claimed a request the
/// live request sends nothing more. Also its step API, which the resolution queue builds on.
/// </summary>
public sealed class ResolverTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_request_older_than_StaleAfterSeconds_is_not_resolved_while_its_attempt_is_live(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        await t.AddDeviceAsync();
        var store = t.Gateway.Store;
        var resolver = t.Gateway.Services.GetRequiredService<Resolver>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), staleAfter = 60_000, received = now - 10 * staleAfter;
        // Both were received ten minutes ago (held up before sending: a slow database, a full pool).
        await store.ClaimAsync("k-live", now + 3_600_000, Transaction("live", received));
        await store.ClaimAsync("k-dead", now + 3_600_000, Transaction("dead", received));
        // "live" records its attempt now; "dead" recorded one ten minutes ago and its instance died (negative control).
        Assert.True(await store.RecordUpstreamAttemptAsync("live", Bodies.InquiryBody("P-live"), now, 1, now + staleAfter));
        Assert.True(await store.RecordUpstreamAttemptAsync("dead", Bodies.InquiryBody("P-dead"), received, 1, received + staleAfter));

        Assert.Equal(1, await resolver.ResolveStaleRequestsAsync());

        Assert.Equal(UpstreamOutcomes.Pending, (await store.FindTransactionAsync("live"))!.UpstreamOutcome);
        Assert.Equal(UpstreamOutcomes.Resolved, (await store.FindTransactionAsync("dead"))!.UpstreamOutcome);
        Assert.Equal("P-dead", (string?)Assert.Single(t.Antom.Requests).Json["paymentRequestId"]);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Once_the_resolver_holds_a_request_the_live_request_sends_no_further_attempt(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        int calls = 0;
        t.Antom.Script = _ =>
        {
            if (Interlocked.Increment(ref calls) > 1) return null;
            // While the first attempt is out, the request is taken for abandoned (as if its lease had run out).
            var claimed = t.Gateway.Store.ClaimStaleAsync("gw-other", long.MaxValue, long.MaxValue, long.MaxValue, 10).GetAwaiter().GetResult();
            Assert.Single(claimed);
            return new FakeReply("busy", Status: 503);
        };

        var answer = await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-held"));

        Assert.Equal("U", answer.ResultStatus);
        Assert.Equal(1, t.Antom.CallCount("inquiryPayment")); // the retry the live request would have made was not sent
        var record = Assert.Single(await t.Gateway.Store.ListTransactionsAsync());
        Assert.Equal(1, record.UpstreamAttempts);
        Assert.Contains("no longer pending", record.UpstreamDetail);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_step_is_recorded_before_it_is_sent_and_completed_with_what_it_proved(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-step")))["paymentId"]!;
        t.Antom.CustomerPays("P-step");
        StepRecordSeen? seen = null;
        t.Antom.Script = _ =>
        {
            var step = Assert.Single(t.Gateway.Store.StepsOfAsync(StateSubject.Payment, "P-step").GetAwaiter().GetResult());
            seen = new StepRecordSeen(step.UpstreamOutcome, step.Reason);
            return null;
        };
        var resolver = t.Gateway.Services.GetRequiredService<Resolver>();

        var result = await resolver.RunStepAsync(new ResolutionStep(StateSubject.Payment, "P-step", "inquiryPayment", Bodies.InquiryBody("P-step"), "queue"));

        Assert.Equal(new StepRecordSeen(UpstreamOutcomes.Pending, "queue"), seen);
        Assert.True(result.Answered);
        Assert.Equal((PaymentStatuses.Success, paymentId), (result.Applied!.Status, result.Applied.AntomId));
        var stored = Assert.Single(await t.Gateway.Store.StepsOfAsync(StateSubject.Payment, "P-step"));
        Assert.Equal((UpstreamOutcomes.Ok, PaymentStatuses.Success, paymentId), (stored.UpstreamOutcome, stored.LearntStatus, stored.LearntAntomId));
        Assert.Equal(PaymentStatuses.Success, (await resolver.ResolvePaymentAsync("P-step", "queue"))!.Status);
        await Assert.ThrowsAsync<ArgumentException>(() => resolver.RunStepAsync(new ResolutionStep(StateSubject.Payment, "P-step", "pay", "{}", "queue")));
    }

    private sealed record StepRecordSeen(string Outcome, string Reason);

    private static NewTransaction Transaction(string id, long receivedAt) =>
        new(id, "T0001", "inquiryPayment", Bodies.Inquiry, receivedAt, receivedAt, "P-" + id, null, null, Bodies.InquiryBody("P-" + id), "gw-test");
}
