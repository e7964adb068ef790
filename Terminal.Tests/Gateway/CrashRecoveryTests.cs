using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// What a crash leaves behind and how it is cleaned up (docs/gateway.md, "After a crash"): the upstream attempt is
/// on record before it is sent; stale pending transactions are resolved by inquiry, once, by whichever instance
/// claims them; a replay waiting for an answer is woken instead of polling. The kill -9 of a real gateway process is in
/// <see cref="GatewayProcessTests"/>.
/// </summary>
public sealed class CrashRecoveryTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_upstream_attempt_is_on_record_before_Antom_receives_it(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        TransactionRecord? seenByAntom = null;
        t.Antom.Script = r =>
        {
            seenByAntom ??= t.Gateway.Store.ListTransactionsAsync().GetAwaiter().GetResult().Single();
            return null;
        };
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-first"))).ResultStatus);

        Assert.NotNull(seenByAntom);
        Assert.Equal(UpstreamOutcomes.Pending, seenByAntom!.UpstreamOutcome);
        Assert.NotNull(seenByAntom.UpstreamSentAt);
        Assert.Equal(1, seenByAntom.UpstreamAttempts);
        Assert.Contains("\"paymentRequestId\":\"P-first\"", seenByAntom.UpstreamRequestBody);
        Assert.DoesNotContain("288888888888888888", seenByAntom.UpstreamRequestBody);
    }

    [Fact]
    public async Task A_waiting_replay_is_woken_when_the_record_completes_instead_of_polling()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        t.Antom.Hold = _ => TimeSpan.FromMilliseconds(2800);
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-wait"));
        var first = Timed(device.SendAsync(signed));
        // The copy goes once Antom holds the first (a fixed delay let a slow first request on a loaded machine arrive
        // after its copy, which then was the original).
        Assert.True(SpinWait.SpinUntil(() => !t.Antom.Requests.IsEmpty, 10_000), "the first pay reached Antom");
        long readsBefore = t.Gateway.Store.RecordedResponseReads;
        var copy = Timed(device.SendAsync(signed));

        var (firstReply, firstDone) = await first;
        var (copyReply, copyDone) = await copy;
        Assert.True(copyReply.Replayed);
        Assert.Equal(firstReply.Body, copyReply.Body);
        // Bounds with room for a loaded machine that still tell waking from rechecking: the rechecks (25 ms doubling to 1 s)
        // fall 2.58 s and 3.58 s after the copy arrived, about 2.8 s before the first is answered, so without the wake the
        // copy would be answered about 0.8 s after the first; polling every 20 ms would have read the database about 140
        // times in these 2.8 s.
        Assert.True(copyDone - firstDone < TimeSpan.FromMilliseconds(500), $"the copy was answered {(copyDone - firstDone).TotalMilliseconds:0} ms after the first");
        Assert.InRange(t.Gateway.Store.RecordedResponseReads - readsBefore, 1, 10);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Stale_transactions_are_resolved_once_by_two_instances_on_one_database(string provider)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var a = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-a", antom, database);
        await using var b = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-b", antom, database);
        var device = await a.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-paid")))["paymentId"]!;

        // 20 requests left pending by a dead instance ten minutes ago: even ones had reached Antom, odd ones not.
        long old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        var keys = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            string id = "dead" + i, key = "replay-" + i;
            keys.Add(key);
            string prid = i == 0 ? "P-paid" : "P-lost" + i;
            await a.Gateway.Store.ClaimAsync(key, old + 3_600_000, new NewTransaction(id, "T0001", "pay", Bodies.Pay, old, old, prid, null, null,
                Bodies.Upm(prid), "gw-dead"));
            if (i % 2 == 0) await a.Gateway.Store.RecordUpstreamAttemptAsync(id, Bodies.Upm(prid), old + 5, 1, old + 60_005);
        }
        antom.Requests.Clear();

        int[] claimed = await Task.WhenAll(
            a.Gateway.Services.GetRequiredService<Resolver>().ResolveStaleRequestsAsync(),
            b.Gateway.Services.GetRequiredService<Resolver>().ResolveStaleRequestsAsync());

        Assert.Equal(20, claimed.Sum());
        Assert.Equal(10, antom.CallCount("inquiryPayment"));
        Assert.Equal(10, antom.Requests.Select(r => (string?)r.Json["paymentRequestId"]).Distinct().Count());
        var records = (await a.Gateway.Store.ListTransactionsAsync()).Where(r => r.Id.StartsWith("dead", StringComparison.Ordinal)).ToDictionary(r => r.Id);
        for (int i = 0; i < 20; i++)
        {
            var r = records["dead" + i];
            Assert.Equal(i % 2 == 0 ? UpstreamOutcomes.Resolved : UpstreamOutcomes.NotSent, r.UpstreamOutcome);
            Assert.Equal(i % 2 == 0, await a.Gateway.Store.RecordedResponseAsync(keys[i]) != null);
        }
        // The one Antom had paid now answers its replay with the payment; the others stay unknown to the device.
        var paid = JsonNode.Parse((await a.Gateway.Store.RecordedResponseAsync("replay-0"))!)!;
        Assert.Equal(("S", paymentId), ((string?)paid["result"]!["resultStatus"], (string?)paid["paymentId"]));
        var lost = JsonNode.Parse((await a.Gateway.Store.RecordedResponseAsync("replay-2"))!)!;
        Assert.Equal("U", (string?)lost["result"]!["resultStatus"]);
        Assert.Contains("ORDER_NOT_EXIST", (string?)lost["result"]!["resultMessage"]);

        // Nothing is claimed twice.
        Assert.Equal(0, await a.Gateway.Services.GetRequiredService<Resolver>().ResolveStaleRequestsAsync());
    }

    [Fact]
    public async Task A_resolution_Antom_cannot_answer_now_is_tried_again_later()
    {
        await using var t = await TestGateway.StartAsync(configure: o => { o.Antom.AttemptTimeoutMs = 500; o.Antom.TotalTimeoutMs = 500; o.Antom.MaxAttempts = 1; });
        await t.AddDeviceAsync();
        long old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await t.Gateway.Store.ClaimAsync("k", old + 3_600_000, new NewTransaction("dead", "T0001", "pay", Bodies.Pay, old, old, "P-x", null, null, Bodies.Upm("P-x"), "gw-dead"));
        await t.Gateway.Store.RecordUpstreamAttemptAsync("dead", Bodies.Upm("P-x"), old, 1, old + 60_000);
        var resolver = t.Gateway.Services.GetRequiredService<Resolver>();

        t.Antom.Script = _ => new FakeReply("busy", Status: 503);
        Assert.Equal(1, await resolver.ResolveStaleRequestsAsync());
        Assert.Equal(0, await resolver.ResolveStaleRequestsAsync()); // postponed, not hammered
        var record = (await t.Gateway.Store.ListTransactionsAsync()).Single(r => r.Id == "dead");
        Assert.Equal((UpstreamOutcomes.Pending, 1), (record.UpstreamOutcome, record.ResolveAttempts));
    }

    [Theory]
    [InlineData("pay", "PaymentCode", "SUCCESS", "S")]
    [InlineData("pay", "PaymentCode", "FAIL", "F")]
    [InlineData("pay", "PaymentCode", "PROCESSING", "U")]
    [InlineData("pay", "OrderCode", "SUCCESS", "U")]
    [InlineData("cancel", "OrderCode", "CANCELLED", "S")]
    [InlineData("cancel", "OrderCode", "SUCCESS", "U")]
    [InlineData("inquiryPayment", "OrderCode", "PROCESSING", "S")]
    public void A_resolved_answer_says_only_what_the_inquiry_proves(string operation, string scenario, string paymentStatus, string expected)
    {
        var request = new JsonObject { ["paymentRequestId"] = "P-1", ["paymentFactor"] = new JsonObject { ["inStorePaymentScenario"] = scenario } };
        var inquiry = new JsonObject
        {
            ["result"] = new JsonObject { ["resultCode"] = "SUCCESS", ["resultStatus"] = "S", ["resultMessage"] = "success" },
            ["paymentStatus"] = paymentStatus, ["paymentRequestId"] = "P-1", ["paymentId"] = "2026001",
            ["paymentResultCode"] = paymentStatus == "FAIL" ? "USER_BALANCE_NOT_ENOUGH" : null,
            ["paymentAmount"] = new JsonObject { ["currency"] = "USD", ["value"] = "100" },
        };
        var answer = JsonNode.Parse(ResolvedAnswers.For(operation, request, inquiry, inquiry.ToJsonString()))!;
        Assert.Equal(expected, (string?)answer["result"]!["resultStatus"]);
        if (operation == "pay" && expected == "S") Assert.Equal(("2026001", "100"), ((string?)answer["paymentId"], (string?)answer["paymentAmount"]!["value"]));
        if (operation == "pay" && expected == "F") Assert.Equal("USER_BALANCE_NOT_ENOUGH", (string?)answer["result"]!["resultCode"]);
        if (expected == "U") Assert.Contains(paymentStatus, (string?)answer["result"]!["resultMessage"]);
    }

    private static async Task<(T Result, TimeSpan Done)> Timed<T>(Task<T> task)
    {
        var result = await task;
        return (result, TimeSpan.FromTicks(Stopwatch.GetTimestamp() * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
    }
}
