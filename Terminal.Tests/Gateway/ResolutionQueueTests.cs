using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Terminal.DeviceLink.Heartbeat;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Payments.Journal;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The resolution queue (docs/resolution-queue.md): transactions a terminal ended for review enter it from the heartbeat;
/// the job applies Antom's rule to abandoned payments (cancel, refund after the cancel window), resolves the rest by
/// inquiry, leaves what it cannot resolve as an exception with its history; operators retry or close (audited); the final
/// status goes back in the heartbeat answer in the form the terminal's own parser reads.
/// </summary>
public sealed class ResolutionQueueTests
{
    private const string HeartbeatPath = "/terminal/v1/heartbeat";

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_paid_sale_the_terminal_gave_up_is_cancelled_and_the_next_heartbeat_answer_tells_the_terminal(string provider)
    {
        await using var t = await StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-gone")))["paymentId"]!;

        var first = await BeatAsync(device, Review(("sale", "P-gone")));
        Assert.Null(first.Json!["resolutions"]);
        var item = Assert.Single((await Queries(t).ListAsync(new ResolutionFilter())).Items);
        Assert.Equal((ResolutionStates.Open, ResolutionQueue.DeviceReview, true), (item.State, item.EnteredWhy, item.Abandoned));

        Assert.Equal(1, await Queue(t).RunDueAsync());

        Assert.Equal(1, t.Antom.CallCount("cancel"));
        Assert.Equal(PaymentStatuses.Cancelled, (await t.Gateway.Store.FindPaymentAsync("P-gone", null))!.Status);
        var second = await BeatAsync(device, Review(("sale", "P-gone")));
        var answer = new HeartbeatAnswer();
        byte[] bytes = Encoding.UTF8.GetBytes(second.Body);
        Assert.True(answer.Parse(bytes, 0, bytes.Length, Encoding.ASCII.GetBytes("0123456789abcdef")));
        Assert.Equal(1, answer.ResolutionCount);
        var resolution = answer.ResolutionAt(0);
        Assert.Equal((TransactionKind.SaleOrderCode, "P-gone", FinalStatus.Cancelled, "GATEWAY_CANCELLED"),
            (resolution.Kind, resolution.RequestId.ToString(), resolution.Status, resolution.ResultCode.ToString()));

        var history = (await Queries(t).HistoryAsync(item.Id))!;
        Assert.Equal(["entered", "resolved"], history.Events.Select(e => e.Event));
        Assert.Contains("a payment Antom had completed", history.Events[1].Detail, StringComparison.Ordinal);
        Assert.Equal(history.Steps.Single(s => s.Operation == "cancel").Id, history.Events[1].StepId);
        Assert.Equal(paymentId, history.Steps.Single(s => s.Operation == "cancel").LearntAntomId);
        Assert.Equal(0, await Queue(t).RunDueAsync()); // resolved: never worked on again
        Assert.Equal(1, t.Antom.CallCount("cancel"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task After_the_cancel_window_an_abandoned_paid_sale_is_refunded_in_full_once(string provider)
    {
        await using var t = await StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-late", amount: 2500)))["paymentId"]!;
        t.Antom.Script = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)
            ? new FakeReply(FakeAntom.Result("F", "CANCEL_WINDOW_EXCEED", "the cancel window has passed")) : null;

        await BeatAsync(device, Review(("void", "P-late")));
        Assert.Equal(1, await Queue(t).RunDueAsync());

        var refund = Assert.Single(t.Antom.Requests, r => r.Path.EndsWith("/refund", StringComparison.Ordinal));
        Assert.Equal((ResolutionQueue.GatewayRefundId("P-late"), paymentId, "2500", "USD"),
            ((string?)refund.Json["refundRequestId"], (string?)refund.Json["paymentId"], (string?)refund.Json["refundAmount"]!["value"], (string?)refund.Json["refundAmount"]!["currency"]));
        var item = Assert.Single((await Queries(t).ListAsync(new ResolutionFilter(State: ResolutionStates.Resolved))).Items);
        Assert.Equal(("SUCCESS", "GATEWAY_REFUNDED"), (item.Status, item.ResultCode)); // a void that happened: the sale is voided
        Assert.Equal(PaymentStatuses.Success, (await t.Gateway.Store.FindRefundAsync(ResolutionQueue.GatewayRefundId("P-late"), null))!.Status);
        // The payment was final (paid), so no inquiry: the refused cancel and the refund.
        Assert.Equal(["cancel", "refund"], (await Queries(t).HistoryAsync(item.Id))!.Steps.Select(s => s.Operation));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_gateways_own_refund_of_an_abandoned_sale_stays_with_its_sale_and_never_enters_the_queue_as_a_second_item(string provider)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var t = await StartAsync(provider, o => o.Clock = clock);
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-slow", amount: 1800));
        string keptPaymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-kept", amount: 900)))["paymentId"]!;
        bool refundUnanswered = true;
        t.Antom.Script = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)
            ? new FakeReply(FakeAntom.Result("F", "CANCEL_WINDOW_EXCEED", "the cancel window has passed"))
            : refundUnanswered && r.Path.Contains("efund", StringComparison.Ordinal) ? new FakeReply("busy", Status: 503) : null;
        // The negative control: a terminal's own refund whose outcome stays unknown belongs to the repair pass, and enters the queue once.
        await device.PostAsync(Bodies.Refund, Bodies.RefundBody("R-kept", keptPaymentId, 900));

        await BeatAsync(device, Review(("sale", "P-slow")));
        Assert.Equal(1, await Queue(t).RunDueAsync()); // the cancel is refused, the refund gets no answer: the refund row stays open
        string refundId = ResolutionQueue.GatewayRefundId("P-slow");
        Assert.Equal(PaymentStatuses.Pending, (await t.Gateway.Store.FindRefundAsync(refundId, null))!.Status);

        // Long after: the repair pass visits open rows whose check is due. The sale's item owns the gateway's refund, so that
        // refund must not enter the queue again as a "refund" item of its own (worked twice, listed twice as an exception).
        var resolver = t.Gateway.Services.GetRequiredService<Resolver>();
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await resolver.RepairDueAsync());
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await resolver.RepairDueAsync());
        var items = (await Queries(t).ListAsync(new ResolutionFilter())).Items;
        Assert.Equal([("refund", "R-kept", ResolutionQueue.NoFinalAnswer), ("sale", "P-slow", ResolutionQueue.DeviceReview)],
            items.Select(i => (i.Kind, i.RequestId, i.EnteredWhy)).Order());

        refundUnanswered = false;
        await ExecAsync(t, "UPDATE resolution_items SET due_at = 0");
        Assert.Equal(2, await Queue(t).RunDueAsync());
        var after = (await Queries(t).ListAsync(new ResolutionFilter())).Items.ToDictionary(i => i.RequestId);
        Assert.Equal(2, after.Count);
        Assert.Equal((ResolutionStates.Resolved, "CANCELLED", "GATEWAY_REFUNDED"), (after["P-slow"].State, after["P-slow"].Status, after["P-slow"].ResultCode));
        // The terminal's refund never reached Antom (503, not processed): once Antom says it does not know it, it failed.
        Assert.Equal((ResolutionStates.Resolved, "FAILED", "GATEWAY_FAILED"), (after["R-kept"].State, after["R-kept"].Status, after["R-kept"].ResultCode));
        Assert.Equal(PaymentStatuses.Success, (await t.Gateway.Store.FindRefundAsync(refundId, null))!.Status);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task What_Antom_never_answers_becomes_an_exception_and_an_operator_retries_or_closes_it_with_a_note(string provider)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var t = await StartAsync(provider, o => o.Clock = clock);
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-dark1"));
        await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-dark2"));
        await BeatAsync(device, Review(("sale", "P-dark1"), ("sale", "P-dark2")));
        bool antomDown = true;
        t.Antom.Script = _ => antomDown ? new FakeReply("busy", Status: 503) : null;

        Assert.Equal(2, await Queue(t).RunDueAsync());
        Assert.Equal(0, await Queue(t).RunDueAsync()); // backing off, not hammering
        Assert.Equal(2, (await Queries(t).ListAsync(new ResolutionFilter(State: ResolutionStates.Open))).Total);
        clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(2, await Queue(t).RunDueAsync());
        var exceptions = (await Queries(t).ListAsync(new ResolutionFilter(State: ResolutionStates.Exception))).Items.ToDictionary(i => i.RequestId);
        Assert.Equal(2, exceptions.Count);
        Assert.All(exceptions.Values, i => Assert.Equal(ResolutionQueue.StillUnknown, i.Exception));

        // Retry through the admin API once Antom is back: the abandoned order is cancelled at once.
        antomDown = false;
        var retried = await AdminAsync(t, HttpMethod.Post, $"/admin/resolutions/{exceptions["P-dark1"].Id}/retry", "{\"by\":\"alice\",\"note\":\"Antom is back\"}");
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(("resolved", "CANCELLED", "GATEWAY_CANCELLED"), ((string?)retried.Json!["state"], (string?)retried.Json["status"], (string?)retried.Json["resultCode"]));

        // Close the other with what the operator found; the payment row itself is not touched.
        var closed = await AdminAsync(t, HttpMethod.Post, $"/admin/resolutions/{exceptions["P-dark2"].Id}/close",
            "{\"by\":\"bob\",\"note\":\"not paid, per the merchant portal\",\"status\":\"FAILED\"}");
        Assert.Equal(("closed", "FAILED", "OPERATOR_CLOSED", "bob"), ((string?)closed.Json!["state"], (string?)closed.Json["status"], (string?)closed.Json["resultCode"], (string?)closed.Json["closedBy"]));
        Assert.Equal(PaymentStatuses.Processing, (await t.Gateway.Store.FindPaymentAsync("P-dark2", null))!.Status);
        var again = await AdminAsync(t, HttpMethod.Post, $"/admin/resolutions/{exceptions["P-dark2"].Id}/close", "{\"by\":\"bob\",\"note\":\"twice\",\"status\":\"SUCCESS\"}");
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await AdminAsync(t, HttpMethod.Post, $"/admin/resolutions/{exceptions["P-dark1"].Id}/retry", "{\"by\":\"a\",\"note\":\"b\"}")).Status);

        var history = await AdminAsync(t, HttpMethod.Get, $"/admin/resolutions/{exceptions["P-dark2"].Id}", null);
        var events = history.Json!["events"]!.AsArray().Select(e => ((string?)e!["event"], (string?)e["actor"])).ToList();
        Assert.Equal([("entered", "device T0001"), ("waiting", "gw-test"), ("exception", "gw-test"), ("closed", "bob")], events);
        Assert.Contains("not paid, per the merchant portal", (string?)history.Json["events"]![3]!["detail"], StringComparison.Ordinal);
        // Each pass: an inquiry, then the cancel of the abandoned order; Antom answered neither.
        // (The manual clock gives all four one time, so their order in the history is not asserted.)
        Assert.Equal(["cancel", "cancel", "inquiryPayment", "inquiryPayment"], history.Json["steps"]!.AsArray().Select(s => (string?)s!["operation"]).Order());
        Assert.All(history.Json["steps"]!.AsArray(), s => Assert.NotEqual("ok", (string?)s!["outcome"]));
        var list = await AdminAsync(t, HttpMethod.Get, "/admin/resolutions?state=exception", null);
        Assert.Equal((0L, 1L, 1L), ((long)list.Json!["total"]!, (long)list.Json["counts"]!["resolved"]!, (long)list.Json["counts"]!["closed"]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminAsync(t, HttpMethod.Get, "/admin/resolutions?state=weird", null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await AdminAsync(t, HttpMethod.Post, $"/admin/resolutions/{exceptions["P-dark2"].Id}/close", "{\"by\":\"bob\",\"note\":\"x\"}")).Status);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_device_reporting_another_devices_payment_gets_an_exception_and_nothing_is_cancelled(string provider)
    {
        await using var t = await StartAsync(provider);
        var owner = await t.AddDeviceAsync("T0001");
        var other = await t.AddDeviceAsync("T0002");
        await owner.PostAsync(Bodies.Pay, Bodies.Upm("P-owned"));
        await other.PostAsync(Bodies.Pay, Bodies.Upm("P-mine"));

        await BeatAsync(other, Review(("sale", "P-owned"), ("sale", "P-mine")));
        Assert.Equal(2, await Queue(t).RunDueAsync());

        var items = (await Queries(t).ListAsync(new ResolutionFilter(DeviceId: "T0002"))).Items.ToDictionary(i => i.RequestId);
        Assert.Equal((ResolutionStates.Exception, ResolutionQueue.UnknownReference), (items["P-owned"].State, items["P-owned"].Exception));
        Assert.Equal(PaymentStatuses.Success, (await t.Gateway.Store.FindPaymentAsync("P-owned", null))!.Status);
        // The negative control: the device's own abandoned payment is cancelled.
        Assert.Equal(ResolutionStates.Resolved, items["P-mine"].State);
        Assert.Equal("P-mine", (string?)Assert.Single(t.Antom.Requests, r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).Json["paymentRequestId"]);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_sale_that_never_reached_the_gateway_is_reported_not_paid_after_Antom_confirms_it_does_not_know_it(string provider)
    {
        await using var t = await StartAsync(provider);
        var device = await t.AddDeviceAsync();
        await BeatAsync(device, Review(("sale", "P-lost"), ("refund", "R-lost")));
        Assert.Equal(2, await Queue(t).RunDueAsync());
        var items = (await Queries(t).ListAsync(new ResolutionFilter())).Items.ToDictionary(i => i.RequestId);
        Assert.Equal(("FAILED", "GATEWAY_NOT_PAID"), (items["P-lost"].Status, items["P-lost"].ResultCode));
        Assert.Equal(("FAILED", "GATEWAY_FAILED"), (items["R-lost"].Status, items["R-lost"].ResultCode));
        Assert.Equal(0, t.Antom.CallCount("cancel"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task An_open_payment_the_repair_pass_cannot_settle_enters_the_queue_and_a_later_review_report_cancels_it(string provider)
    {
        await using var t = await StartAsync(provider);
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-open"));
        t.Antom.CustomerPays("P-open");
        t.Antom.Script = r => r.Path.EndsWith("/inquiryPayment", StringComparison.Ordinal) ? new FakeReply("busy", Status: 503) : null;
        await ExecAsync(t, "UPDATE payments SET check_after = 0 WHERE payment_request_id = 'P-open'");

        Assert.Equal(1, await t.Gateway.Services.GetRequiredService<Resolver>().RepairDueAsync());
        var item = Assert.Single((await Queries(t).ListAsync(new ResolutionFilter())).Items);
        Assert.Equal((ResolutionQueue.NoFinalAnswer, false, "sale"), (item.EnteredWhy, item.Abandoned, item.Kind));
        Assert.Null((await t.Gateway.Store.FindPaymentAsync("P-open", null))!.CheckAfter); // the queue has it now

        // Antom answers again: paid, and nobody gave it up: confirmed.
        t.Antom.Script = null;
        await ExecAsync(t, $"UPDATE resolution_items SET due_at = 0 WHERE id = '{item.Id}'");
        Assert.Equal(1, await Queue(t).RunDueAsync());
        Assert.Equal(("SUCCESS", "GATEWAY_CONFIRMED"), ((await t.Gateway.Store.FindItemAsync(item.Id))!.Status, (await t.Gateway.Store.FindItemAsync(item.Id))!.ResultCode));
        Assert.Equal(0, t.Antom.CallCount("cancel"));

        // Then the terminal reports it for review: it had given it up, so Antom's rule applies after all.
        var beat = await BeatAsync(device, Review(("sale", "P-open")));
        Assert.Null(beat.Json!["resolutions"]); // not the confirmation: it is open again
        Assert.Equal(1, await Queue(t).RunDueAsync());
        Assert.Equal(1, t.Antom.CallCount("cancel"));
        Assert.Equal(("CANCELLED", "GATEWAY_CANCELLED"), ((await t.Gateway.Store.FindItemAsync(item.Id))!.Status, (await t.Gateway.Store.FindItemAsync(item.Id))!.ResultCode));
    }

    [Theory, PostgresProvider]
    public async Task Two_instances_on_one_database_work_each_item_once(string provider)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var a = await TestGateway.StartAsync(provider, o => { o.InstanceName = "gw-a"; o.Recovery.IntervalSeconds = 3600; }, antom, database);
        await using var b = await TestGateway.StartAsync(provider, o => { o.InstanceName = "gw-b"; o.Recovery.IntervalSeconds = 3600; }, antom, database);
        var device = await a.AddDeviceAsync();
        var refs = new List<(string, string)>();
        for (int i = 0; i < 8; i++)
        {
            await device.PostAsync(Bodies.Pay, Bodies.Upm("P-" + i));
            refs.Add(("sale", "P-" + i));
        }
        await BeatAsync(device, Review([.. refs]));
        antom.Hold = r => r.Path.EndsWith("/cancel", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(100) : null;

        int[] worked = await Task.WhenAll(Queue(a).RunDueAsync(), Queue(b).RunDueAsync(), Queue(a).RunDueAsync(), Queue(b).RunDueAsync());

        Assert.Equal(8, worked.Sum());
        var cancels = antom.Requests.Where(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)).Select(r => (string?)r.Json["paymentRequestId"]).ToList();
        Assert.Equal(8, cancels.Count);
        Assert.Equal(8, cancels.Distinct().Count());
        Assert.Equal(8, (await Queries(a).ListAsync(new ResolutionFilter(State: ResolutionStates.Resolved))).Total);

        // The negative control: a claim whose lease is already over does not keep the item, and the other instance takes
        // the same item; the first instance's result is then not stored over the second's.
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-lease"));
        await BeatAsync(device, Review(("sale", "P-lease")));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var takenByA = Assert.Single(await a.Gateway.Store.ClaimDueItemsAsync("gw-a", now, now - 1, 10));
        var takenByB = Assert.Single(await b.Gateway.Store.ClaimDueItemsAsync("gw-b", now, now + 60_000, 10));
        Assert.Equal(takenByA.Id, takenByB.Id);
        Assert.False(await a.Gateway.Store.FinishItemAsync(takenByA.Id, "gw-a", new ItemOutcome(ResolutionStates.Exception, null, null, null, "test", "late", null), "gw-a", now));
        Assert.Equal(ResolutionStates.Open, (await a.Gateway.Store.FindItemAsync(takenByA.Id))!.State);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_step_whose_answer_was_never_stored_is_marked_unrecorded_once_no_call_can_still_be_running(string provider)
    {
        await using var t = await StartAsync(provider);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await t.Gateway.Store.BeginStepAsync(new ResolutionStepRecord("old", "payment", "P-1", null, "queue", "cancel", "{}", now - 120_000, UpstreamOutcomes.Pending,
            null, null, null, null, null, null, "gw-dead"));
        await t.Gateway.Store.BeginStepAsync(new ResolutionStepRecord("new", "payment", "P-1", null, "queue", "cancel", "{}", now - 1_000, UpstreamOutcomes.Pending,
            null, null, null, null, null, null, "gw-live"));

        Assert.Equal(1, await t.Gateway.Services.GetRequiredService<Resolver>().MarkUnrecordedStepsAsync());

        var steps = (await t.Gateway.Store.StepsOfAsync(StateSubject.Payment, "P-1")).ToDictionary(s => s.Id);
        Assert.Equal(UpstreamOutcomes.Unrecorded, steps["old"].UpstreamOutcome);
        Assert.Equal(UpstreamOutcomes.Pending, steps["new"].UpstreamOutcome); // may still be on its way: left alone
    }

    // ---------------------------------------------------------------- helpers

    private static Task<TestGateway> StartAsync(string provider, Action<Terminal.Gateway.Configuration.GatewayOptions>? configure = null) =>
        TestGateway.StartAsync(provider, o =>
        {
            o.Recovery.IntervalSeconds = 3600; // the tests run the job themselves
            o.InstanceName = "gw-test";
            configure?.Invoke(o);
        });

    private static ResolutionQueue Queue(TestGateway t) => t.Gateway.Services.GetRequiredService<ResolutionQueue>();

    private static ResolutionQueries Queries(TestGateway t) => t.Gateway.Services.GetRequiredService<ResolutionQueries>();

    private static JsonArray Review(params (string Kind, string RequestId)[] references)
    {
        var list = new JsonArray();
        foreach (var (kind, id) in references) list.Add(new JsonObject { ["kind"] = kind, ["requestId"] = id, ["reference"] = "A-" + id });
        return list;
    }

    internal static Task<DeviceReply> BeatAsync(TestDevice device, JsonArray review)
    {
        string body = new JsonObject
        {
            ["beat"] = "0123456789abcdef", ["firmware"] = "1.0.0", ["uptimeS"] = 10, ["intervalMs"] = 60000,
            ["boot"] = new JsonObject { ["count"] = 1, ["reason"] = "first" },
            ["scanner"] = "ok", ["display"] = "ok", ["storage"] = "ok", ["clock"] = "ok",
            ["journal"] = new JsonObject { ["open"] = new JsonArray(), ["review"] = review, ["more"] = 0 },
            ["settings"] = new JsonObject { ["applied"] = 0 },
        }.ToJsonString();
        return device.SendAsync(device.Sign(HeartbeatPath, body, macKey: RelayKeys.Derive(device.Key, "qr-terminal-hs256/heartbeat/device-to-gateway")));
    }

    private static async Task<(HttpStatusCode Status, JsonObject? Json)> AdminAsync(TestGateway t, HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(t.Gateway.AdminBaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await t.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    private static async Task ExecAsync(TestGateway t, string sql)
    {
        await using var connection = await t.Gateway.Store.Database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
