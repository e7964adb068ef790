using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The payment state the gateway keeps (docs/gateway.md, "Payment state"): statuses only move forward whoever writes
/// them, a payment's state is repaired from everything recorded about it, and cancel and refund find a payment whose
/// row lost its paymentId. Real SQLite files and a real PostgreSQL server.
/// </summary>
public sealed class PaymentStateTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_retried_order_code_pay_after_the_customer_paid_does_not_move_SUCCESS_back(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-oc")))["paymentId"]!;
        Assert.Equal(PaymentStatuses.Processing, (await t.Gateway.Store.FindPaymentAsync("P-oc", null))!.Status);
        t.Antom.CustomerPays("P-oc");
        var notified = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-oc", paymentId));
        Assert.Equal(System.Net.HttpStatusCode.OK, notified.StatusCode);
        Assert.Equal(PaymentStatuses.Success, (await t.Gateway.Store.FindPaymentAsync("P-oc", null))!.Status);

        // The terminal retries the pay (new Request-Time): Antom answers S again, which for an order code means only
        // "the order exists". Before, this rewrote SUCCESS to PROCESSING.
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-oc"))).ResultStatus);

        var payment = (await t.Gateway.Store.FindPaymentAsync("P-oc", null))!;
        Assert.Equal((PaymentStatuses.Success, paymentId), (payment.Status, payment.PaymentId));
        Assert.StartsWith("notification", payment.StatusSource);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Statuses_only_move_forward_under_random_interleavings_on_two_instances(string provider)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var a = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-a", antom, database);
        await using var b = await TestGateway.StartAsync(provider, o => o.InstanceName = "gw-b", antom, database);
        var stores = new[] { a.Gateway.Store, b.Gateway.Store };
        var random = new Random(22);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // What Antom may say about one payment, in any order and any number of times: answers, notifications, inquiries
        // and cancels. A payment is either paid or failed at Antom, never both; a cancel may follow either.
        string[][] histories =
        [
            [PaymentStatuses.Processing, PaymentStatuses.Success, PaymentStatuses.Cancelled],
            [PaymentStatuses.Processing, PaymentStatuses.Success],
            [PaymentStatuses.Processing, PaymentStatuses.Fail],
            [PaymentStatuses.Processing, PaymentStatuses.Fail, PaymentStatuses.Cancelled],
            [PaymentStatuses.Processing],
        ];
        const int Payments = 40;
        var expected = new Dictionary<string, string>();
        var writes = new List<Task>();
        for (int i = 0; i < Payments; i++)
        {
            string id = "P-prop" + i;
            var history = histories[i % histories.Length];
            await stores[i % 2].ReservePaymentAsync(new PaymentRecord(id, "T0001", "M001", "S001", "USD", 100, null, PaymentStatuses.Pending, now, now), now + 60_000);
            expected[id] = history[^1];
            // Every status of the history arrives one to three times, plus facts that carry only the paymentId, shuffled.
            var facts = new List<StateFact>();
            foreach (string status in history)
                for (int copies = random.Next(1, 4); copies > 0; copies--)
                    facts.Add(new StateFact(StateSubject.Payment, id, random.Next(2) == 0 ? "2026" + i : null, status, "test " + status));
            facts.Add(new StateFact(StateSubject.Payment, id, "2026" + i, null, "test id"));
            foreach (var fact in facts.OrderBy(_ => random.Next()))
            {
                var store = stores[random.Next(2)];
                writes.Add(Task.Run(async () =>
                {
                    var applied = await store.ApplyFactAsync(fact, now);
                    Assert.NotNull(applied);
                    // What the row holds right after any write is never behind what that write said.
                    Assert.True(PaymentStatuses.Rank(applied!.Status) >= PaymentStatuses.Rank(fact.Status), $"{fact.RequestId}: {fact.Status} left the row at {applied.Status}");
                    Assert.False(applied.Contradicted);
                }));
            }
        }
        await Task.WhenAll(writes);

        foreach (var (id, status) in expected)
        {
            var payment = (await stores[0].FindPaymentAsync(id, null))!;
            Assert.Equal((status, "2026" + id["P-prop".Length..]), (payment.Status, payment.PaymentId));
        }
    }

    [Fact]
    public async Task A_contradicting_final_status_is_kept_out_and_reported()
    {
        await using var t = await TestGateway.StartAsync();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var store = t.Gateway.Store;
        await store.ReservePaymentAsync(new PaymentRecord("P-x", "T0001", "M001", "S001", "USD", 100, null, PaymentStatuses.Pending, now, now), now);
        Assert.Equal(PaymentStatuses.Fail, (await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-x", null, PaymentStatuses.Fail, "first"), now))!.Status);
        var applied = (await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-x", null, PaymentStatuses.Success, "second"), now))!;
        Assert.Equal((PaymentStatuses.Fail, true), (applied.Status, applied.Contradicted));
        // Negative control: a fact that agrees is no conflict.
        Assert.False((await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P-x", null, PaymentStatuses.Fail, "third"), now))!.Contradicted);
    }

    [Theory]
    [InlineData("pay", true, "S", "SUCCESS", null)]
    [InlineData("pay", false, "S", "PROCESSING", null)]
    [InlineData("pay", true, "F", "FAIL", null)]
    [InlineData("pay", true, "F", null, "REPEAT_REQ_INCONSISTENT")]
    [InlineData("pay", true, "U", null, null)]
    [InlineData("cancel", false, "S", "CANCELLED", null)]
    [InlineData("cancel", false, "F", null, null)]
    public void An_answer_proves_what_its_operation_and_result_say(string operation, bool paymentCode, string resultStatus, string? expected, string? code)
    {
        var answer = new Terminal.Gateway.Api.AntomAnswer(resultStatus, code ?? (resultStatus == "S" ? "SUCCESS" : "PROCESS_FAIL"), "P-1", resultStatus == "F" ? null : "2026", null,
            null, null, null, null, null);
        var fact = PaymentFacts.FromAnswer(operation, "P-1", paymentCode, answer, "test");
        Assert.Equal(expected, fact?.Status);
    }

    /// <summary>
    /// Issue 22 item 1: after a database restart under load, paid payments stayed PENDING without their paymentId,
    /// their SUCCESS notifications recorded; refund by that paymentId answered ACCESS_DENIED, cancel ORDER_NOT_EXIST.
    /// The row is put back in that state by hand here.
    /// </summary>
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_payment_that_lost_its_paymentId_is_found_by_refund_and_repaired_from_its_records(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-lost")))["paymentId"]!;
        Assert.Equal(System.Net.HttpStatusCode.OK, (await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-lost", paymentId))).StatusCode);
        await LoseStateAsync(t, "P-lost");
        int antomCalls = t.Antom.Requests.Count;

        // Refund by paymentId finds the payment through the recorded notification (Antom's own word), not a device's ids.
        var refund = await device.PostAsync(Bodies.Refund, Bodies.RefundBody("R-lost", paymentId));
        Assert.Equal("S", refund.ResultStatus);
        Assert.Equal(1, t.Antom.Requests.Count - antomCalls);

        // The repair pass derives the row's state from the records: the pay's answer and the notification.
        await DueNowAsync(t, "P-lost");
        Assert.True(await t.Gateway.Services.GetRequiredService<Resolver>().RepairDueAsync() >= 1);
        var payment = (await t.Gateway.Store.FindPaymentAsync("P-lost", null))!;
        Assert.Equal((PaymentStatuses.Success, paymentId), (payment.Status, payment.PaymentId));
        Assert.Equal(1, t.Antom.Requests.Count - antomCalls); // settled from the records, Antom not asked
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Cancel_by_a_paymentId_no_record_carries_asks_Antom_which_payment_it_is(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-anon")))["paymentId"]!;
        await LoseStateAsync(t, "P-anon");
        // Also forget the pay's answer: nothing recorded names the paymentId now.
        await ExecAsync(t, "UPDATE transactions SET response_body = NULL, upstream_outcome = 'transport_error' WHERE payment_request_id = 'P-anon'");

        var cancel = await device.PostAsync(Bodies.Cancel, $"{{\"paymentId\":\"{paymentId}\"}}");
        Assert.Equal("S", cancel.ResultStatus);
        Assert.Equal(1, t.Antom.Requests.Count(r => r.Path.EndsWith("/inquiryPayment", StringComparison.Ordinal) && (string?)r.Json["paymentId"] == paymentId));
        var payment = (await t.Gateway.Store.FindPaymentAsync("P-anon", null))!;
        Assert.Equal((PaymentStatuses.Cancelled, paymentId), (payment.Status, payment.PaymentId));

        // Negative control: a paymentId Antom does not know is still refused without anything forwarded.
        Assert.Equal("ORDER_NOT_EXIST", (await device.PostAsync(Bodies.Cancel, "{\"paymentId\":\"2026999999999999\"}")).ResultCode);
        Assert.Equal(1, t.Antom.CallCount("cancel"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task An_open_payment_is_settled_by_the_repair_pass_asking_Antom(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider);
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-open"));
        t.Antom.CustomerPays("P-open");
        var resolver = t.Gateway.Services.GetRequiredService<Resolver>();
        Assert.Equal(0, await resolver.RepairDueAsync()); // not due yet: its check comes StaleAfterSeconds after creation

        await DueNowAsync(t, "P-open");
        Assert.Equal(1, await resolver.RepairDueAsync());
        var payment = (await t.Gateway.Store.FindPaymentAsync("P-open", null))!;
        Assert.Equal(PaymentStatuses.Success, payment.Status);
        var step = Assert.Single(await t.Gateway.Store.StepsOfAsync(StateSubject.Payment, "P-open"));
        Assert.Equal(("repair", "inquiryPayment", UpstreamOutcomes.Ok, PaymentStatuses.Success), (step.Reason, step.Operation, step.UpstreamOutcome, step.LearntStatus));
        Assert.Equal(0, await resolver.RepairDueAsync()); // final: never visited again
    }

    private static Task LoseStateAsync(TestGateway t, string paymentRequestId) =>
        ExecAsync(t, $"UPDATE payments SET status = 'PENDING', payment_id = NULL, status_source = NULL WHERE payment_request_id = '{paymentRequestId}'");

    private static Task DueNowAsync(TestGateway t, string paymentRequestId) =>
        ExecAsync(t, $"UPDATE payments SET check_after = 0 WHERE payment_request_id = '{paymentRequestId}'");

    private static async Task ExecAsync(TestGateway t, string sql)
    {
        await using var connection = await t.Gateway.Store.Database.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
