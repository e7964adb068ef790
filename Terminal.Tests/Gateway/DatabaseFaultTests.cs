using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The gateway against a real PostgreSQL server that goes away and comes back (docs/gateway.md, "Database outages" and
/// "Connection pool"). The faults are made by a TCP proxy between the gateway and the server (<see cref="TcpFaultProxy"/>):
/// every connection is dropped and new ones refused, as in a restart or an outage, without touching the server the
/// other tests share.
/// </summary>
public sealed class DatabaseFaultTests
{
    /// <summary>Issue 22 item 3: the answer of a pay Antom charged was lost as an empty HTTP 500 when the database
    /// failed after the upstream call, and exact retries got U for ten minutes.</summary>
    [Theory, PostgresProvider]
    public async Task A_charged_pay_whose_record_cannot_be_stored_is_answered_and_stored_when_the_database_returns(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var proxy = TcpFaultProxy.For(database.ConnectionString);
        await using var t = await StartAsync(provider, database, proxy);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-outage"));
        t.Antom.Script = r =>
        {
            if (r.Path.EndsWith("/pay", StringComparison.Ordinal)) proxy.Cut(); // the database goes while Antom charges
            return null;
        };

        var answer = await device.SendAsync(signed);

        Assert.Equal((HttpStatusCode.OK, "S", true), (answer.Status, answer.ResultStatus, answer.SignatureValid));
        var unsaved = t.Gateway.Services.GetRequiredService<UnsavedAnswers>();
        Assert.Equal(1, unsaved.Count);
        Assert.True(t.Gateway.Metrics.DatabaseFaultCount("complete") >= 1);
        // A copy during the outage cannot even be authenticated (the device's key is in the database): 503, nothing done.
        var copy = await device.SendAsync(signed);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "U", false), (copy.Status, copy.ResultStatus, copy.Signed));

        proxy.Restore();
        await WaitAsync(() => unsaved.Count == 0, "the kept record is stored");

        var record = Assert.Single(await t.Gateway.Store.ListTransactionsAsync(), r => r.Operation == "pay");
        Assert.Equal((UpstreamOutcomes.Ok, "S"), (record.UpstreamOutcome, record.ResultStatus));
        var payment = (await t.Gateway.Store.FindPaymentAsync("P-outage", null))!;
        Assert.Equal((PaymentStatuses.Success, answer["paymentId"]), (payment.Status, payment.PaymentId));
        var retry = await device.SendAsync(signed);
        Assert.Equal((true, answer.Body, true), (retry.Replayed, retry.Body, retry.SignatureValid));
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Theory, PostgresProvider]
    public async Task A_request_the_database_could_not_take_is_executed_when_sent_again(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var proxy = TcpFaultProxy.For(database.ConnectionString);
        await using var t = await StartAsync(provider, database, proxy);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-later"));

        proxy.Cut();
        var refused = await device.SendAsync(signed);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "U"), (refused.Status, refused.ResultStatus));
        Assert.Contains("nothing was done", refused.ResultMessage);
        Assert.Equal(0, t.Antom.CallCount("pay"));

        proxy.Restore();
        var executed = await RetryWhileUnavailableAsync(() => device.SendAsync(signed));
        Assert.Equal(("S", false, true), (executed.ResultStatus, executed.Replayed, executed.SignatureValid));
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    /// <summary>Issue 22 item 1: a notification was acknowledged although the payment update it carried failed.</summary>
    [Theory, PostgresProvider]
    public async Task A_notification_the_database_cannot_store_is_not_acknowledged(string provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var proxy = TcpFaultProxy.For(database.ConnectionString);
        await using var t = await StartAsync(provider, database, proxy);
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-notify")))["paymentId"]!;
        t.Antom.CustomerPays("P-notify");
        string notification = FakeAntom.NotificationBody("P-notify", paymentId);

        proxy.Cut();
        var refused = await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, notification);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.DoesNotContain("SUCCESS", await refused.Content.ReadAsStringAsync()); // not Antom's acknowledgement

        proxy.Restore();
        HttpResponseMessage acknowledged = await RetryWhileUnavailableAsync(() => t.Antom.NotifyAsync(t.Gateway.NotifyUrl, notification), r => r.StatusCode != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        var payment = (await t.Gateway.Store.FindPaymentAsync("P-notify", null))!;
        Assert.Equal((PaymentStatuses.Success, paymentId), (payment.Status, payment.PaymentId));
        Assert.Single(await t.Gateway.Store.ListNotificationsAsync());
    }

    /// <summary>
    /// Issue 22 item 4: two instances with Npgsql's default pool of 100 exhausted a server's 200 connections. Here the
    /// server takes 10 (the proxy refuses the 11th, as max_connections would) and two instances with a pool of 4 each
    /// (2 × 4 + 2 ≤ 10) carry 160 concurrent pays without a refused connection; the negative control with pools of 50
    /// runs into the limit.
    /// </summary>
    [Theory, PostgresProvider]
    public async Task Two_instances_sized_by_the_rule_stay_within_the_servers_connections(string provider)
    {
        var (peak, refused, failed) = await LoadTwoInstancesAsync(provider, maxPoolSize: 4);
        Assert.Equal((0, 0), (refused, failed));
        Assert.InRange(peak, 1, 8);

        var (controlPeak, controlRefused, _) = await LoadTwoInstancesAsync(provider, maxPoolSize: 50);
        Assert.True(controlRefused > 0 || controlPeak > 8, $"pools of 50 stayed at {controlPeak} connections");
    }

    /// <summary>
    /// The consistency check of issue 22 after a fault run: two instances on one database, 24 pays (half payment codes,
    /// half order codes) alternating between them, the database cut while Antom holds the pays and restored; devices
    /// send the same signed request again while they are told to. Then: one upstream pay per paymentRequestId, every
    /// status and paymentId equal to Antom's, no pending record, every notification recorded once, and every answer a
    /// device got is the one on record.
    /// </summary>
    [Theory, PostgresProvider]
    public async Task Two_instances_are_consistent_with_Antom_after_a_database_outage(string provider)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var proxy = TcpFaultProxy.For(database.ConnectionString);
        Action<Terminal.Gateway.Configuration.GatewayOptions> configure = o =>
        {
            o.Antom.AttemptTimeoutMs = 3_000;
            o.Antom.TotalTimeoutMs = 4_000;
            o.Recovery.StaleAfterSeconds = 10;
        };
        await using var a = await StartAsync(provider, database, proxy, configure, antom, "gw-a");
        await using var b = await StartAsync(provider, database, proxy, configure, antom, "gw-b");
        var gateways = new[] { a, b };
        var devices = new[] { await a.AddDeviceAsync(), b.Device(await b.Gateway.RegisterDeviceAsync("T0002")) };
        const int Pays = 24;
        string Id(int i) => "P-fault" + i;
        var signed = Enumerable.Range(0, Pays).Select(i => devices[i % 2].Sign(Bodies.Pay, i % 4 < 2 ? Bodies.Upm(Id(i)) : Bodies.OrderCode(Id(i)))).ToArray();
        antom.Hold = _ => TimeSpan.FromMilliseconds(500);
        antom.Script = _ =>
        {
            proxy.Cut(); // the first pay to reach Antom takes the database away
            return null;
        };
        var sendTo = Enumerable.Range(0, Pays).Select(i => devices[i % 2]).ToArray(); // device 0 talks to A, device 1 to B

        var first = await Task.WhenAll(Enumerable.Range(0, Pays).Select(i => sendTo[i].SendAsync(signed[i])));
        antom.Script = null;
        antom.Hold = null;
        proxy.Restore();
        Assert.Contains(first, r => r.ResultStatus == "S"); // some were charged during the outage and answered

        // Devices resend the same signed request while told that nothing was done (or that it is still in progress).
        var final = new DeviceReply[Pays];
        for (int i = 0; i < Pays; i++)
        {
            var reply = first[i];
            for (int round = 0; round < 20 && reply.ResultStatus != "S"; round++)
            {
                await Task.Delay(200);
                reply = await sendTo[i].SendAsync(signed[i]);
            }
            Assert.True(reply.ResultStatus == "S" && reply.SignatureValid, $"{Id(i)}: {reply.Status} {reply.Body}");
            final[i] = reply;
        }
        await WaitAsync(() => gateways.All(g => g.Gateway.Services.GetRequiredService<UnsavedAnswers>().Count == 0), "kept records stored");

        // Customers pay half of the order codes; Antom notifies either instance, resending until acknowledged.
        int notified = 0;
        for (int i = 0; i < Pays; i++)
        {
            if (i % 4 != 2) continue;
            antom.CustomerPays(Id(i));
            string body = FakeAntom.NotificationBody(Id(i), final[i]["paymentId"]!);
            var ack = await RetryWhileUnavailableAsync(() => antom.NotifyAsync(gateways[i % 2].Gateway.NotifyUrl, body), r => r.StatusCode != HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            notified++;
        }

        var resolver = a.Gateway.Services.GetRequiredService<Terminal.Gateway.Resolution.Resolver>();
        var store = a.Gateway.Store;
        for (int round = 0; round < 30 && (await store.ListTransactionsAsync()).Any(t => t.UpstreamOutcome == UpstreamOutcomes.Pending); round++)
        {
            await Task.Delay(500);
            await resolver.ResolveStaleRequestsAsync();
        }

        var transactions = await store.ListTransactionsAsync();
        Assert.DoesNotContain(transactions, t => t.UpstreamOutcome == UpstreamOutcomes.Pending);
        for (int i = 0; i < Pays; i++)
        {
            Assert.Equal(1, antom.Requests.Count(r => r.Path.EndsWith("/pay", StringComparison.Ordinal) && (string?)r.Json["paymentRequestId"] == Id(i)));
            var atAntom = antom.Payment(Id(i))!;
            var payment = (await store.FindPaymentAsync(Id(i), null))!;
            Assert.Equal(((string?)atAntom["paymentStatus"], (string?)atAntom["paymentId"]), (payment.Status, payment.PaymentId));
            var again = await sendTo[i].SendAsync(signed[i]);
            Assert.Equal((true, final[i].Body), (again.Replayed, again.Body));
        }
        var notifications = await store.ListNotificationsAsync();
        Assert.Equal(notified, notifications.Count);
        Assert.All(notifications, n => Assert.Equal(0, n.Duplicates));
    }

    [Theory, PostgresProvider]
    public async Task Metrics_show_the_use_of_the_connection_pool(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider, o => o.Database.MaxPoolSize = 7);
        var device = await t.AddDeviceAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => device.PostAsync(Bodies.Pay, Bodies.Upm("P-m" + i))));

        string text = await t.Http.GetStringAsync(new Uri(t.Gateway.AdminBaseUri, "/metrics"));

        Assert.Contains("gateway_database_connections_max 7\n", text);
        long open = Gauge(text, "gateway_database_connections{state=\"idle\"}") + Gauge(text, "gateway_database_connections{state=\"used\"}");
        Assert.InRange(open, 1, 7);
        Assert.Contains("gateway_database_connection_timeouts_total 0\n", text);
    }

    private static long Gauge(string metrics, string series) =>
        long.Parse(metrics.Split('\n').Single(l => l.StartsWith(series + " ", StringComparison.Ordinal))[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(int Peak, int Refused, int Failed)> LoadTwoInstancesAsync(string provider, int maxPoolSize)
    {
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var proxy = TcpFaultProxy.For(database.ConnectionString);
        Action<Terminal.Gateway.Configuration.GatewayOptions> configure = o => o.Database.MaxPoolSize = maxPoolSize;
        await using var a = await StartAsync(provider, database, proxy, configure, antom, "gw-a");
        await using var b = await StartAsync(provider, database, proxy, configure, antom, "gw-b");
        var devices = new[] { await a.AddDeviceAsync(), b.Device(await b.Gateway.RegisterDeviceAsync("T0002")) };
        antom.Hold = _ => TimeSpan.FromMilliseconds(20);
        proxy.Limit = 10;
        var replies = await Task.WhenAll(Enumerable.Range(0, 160).Select(i => devices[i % 2].PostAsync(Bodies.Pay, Bodies.Upm("P-load" + i))));
        return (proxy.Peak, proxy.Refused, replies.Count(r => r.ResultStatus != "S"));
    }

    private static Task<TestGateway> StartAsync(string provider, TestDatabase database, TcpFaultProxy proxy,
        Action<Terminal.Gateway.Configuration.GatewayOptions>? configure = null, FakeAntom? antom = null, string instance = "gw") =>
        TestGateway.StartAsync(provider, o =>
        {
            o.InstanceName = instance;
            o.Database.ConnectionString = proxy.Through(database.ConnectionString);
            o.Database.ConnectTimeoutSeconds = 2;
            o.Database.CommandTimeoutSeconds = 5;
            configure?.Invoke(o);
        }, antom, database);

    private static Task<DeviceReply> RetryWhileUnavailableAsync(Func<Task<DeviceReply>> send) =>
        RetryWhileUnavailableAsync(send, r => r.Status == HttpStatusCode.ServiceUnavailable);

    /// <summary>Npgsql may hand out a pooled connection the cut broke before it notices: the first request after the
    /// restore can still meet the outage, as a device would, and is sent again.</summary>
    private static async Task<T> RetryWhileUnavailableAsync<T>(Func<Task<T>> send, Func<T, bool> unavailable)
    {
        for (int i = 0; ; i++)
        {
            var reply = await send();
            if (!unavailable(reply) || i == 5) return reply;
            await Task.Delay(200);
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (int i = 0; i < 600 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), what);
    }
}
