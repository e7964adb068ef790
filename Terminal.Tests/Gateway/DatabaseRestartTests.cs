using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The real faults of issue 22's fleet run, on a PostgreSQL server of the test's own (<see cref="PrivatePostgres"/>),
/// not the fault proxy: two instances under a steady load of pays, the server restarted (<c>pg_ctl restart -m fast</c>)
/// and later one of the gateways' backends killed with SIGKILL (the postmaster then ends every session and recovers).
/// Devices send the same signed request again until they get a definitive answer, as the terminal does. Afterwards:
/// every pay answered S and signed, exactly one upstream pay per paymentRequestId, every payment's status and
/// paymentId equal to Antom's, no record left pending, and a resend of each request replays the answer the device got.
/// </summary>
public sealed class DatabaseRestartTests
{
    private const int Chains = 4, PaysPerChain = 12;

    [Theory, PostgresProvider]
    public async Task A_server_restart_and_a_killed_backend_under_load_lose_nothing_and_charge_nothing_twice(string provider)
    {
        await using var server = await PrivatePostgres.StartAsync();
        await using var antom = await FakeAntom.StartAsync();
        await using var database = await TestDatabase.CreateAsync(provider, server.ConnectionString);
        await using var a = await StartAsync(provider, database, antom, "gw-a");
        await using var b = await StartAsync(provider, database, antom, "gw-b");
        var gateways = new[] { a, b };
        var devices = new[] { await a.AddDeviceAsync(), b.Device(await b.Gateway.RegisterDeviceAsync("T0002")) };
        antom.Hold = _ => TimeSpan.FromMilliseconds(30); // pays are in flight when the faults come

        int done = 0, interrupted = 0;
        string Id(int chain, int i) => $"P-restart-{chain}-{i}";
        var finals = new DeviceReply[Chains, PaysPerChain];
        var requests = new SignedRequest[Chains, PaysPerChain];
        var load = Enumerable.Range(0, Chains).Select(chain => Task.Run(async () =>
        {
            var device = devices[chain % 2];
            for (int i = 0; i < PaysPerChain; i++)
            {
                var signed = requests[chain, i] = device.Sign(Bodies.Pay, Bodies.Upm(Id(chain, i)));
                DeviceReply? reply = null;
                for (int round = 0; round < 150; round++)
                {
                    try
                    {
                        reply = await device.SendAsync(signed);
                        if (reply.ResultStatus is "S" or "F") break;
                        Interlocked.Increment(ref interrupted);
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref interrupted);
                        // The gateway is up; a connection it closed while the database was away is retried like any other.
                    }
                    await Task.Delay(200);
                }
                finals[chain, i] = reply!;
                Interlocked.Increment(ref done);
            }
        })).ToArray();

        await WaitAsync(() => Volatile.Read(ref done) >= Chains * PaysPerChain / 4, "a quarter of the pays answered before the restart");
        await server.RestartAsync();
        await WaitAsync(() => Volatile.Read(ref done) >= Chains * PaysPerChain / 2, "half of the pays answered before the kill");
        // A gateway holds a connection only while a statement runs or its pool keeps one; on a loaded machine the moment
        // can fall between them, so the kill waits (up to 10 s) for a backend to be there.
        bool killed = false;
        for (int attempt = 0; attempt < 200 && !(killed = await server.KillBackendAsync("gateway")); attempt++) await Task.Delay(50);
        Assert.True(killed, "a gateway backend to kill");
        await Task.WhenAll(load);
        antom.Hold = null;
        Assert.True(interrupted > 0, "the faults reached the devices (answers to send again)");

        await WaitAsync(() => gateways.All(g => g.Gateway.Services.GetRequiredService<UnsavedAnswers>().Count == 0), "kept records stored");
        var resolver = a.Gateway.Services.GetRequiredService<Terminal.Gateway.Resolution.Resolver>();
        var store = a.Gateway.Store;
        for (int round = 0; round < 30 && (await AfterFaultsAsync(() => store.ListTransactionsAsync())).Any(t => t.UpstreamOutcome == UpstreamOutcomes.Pending); round++)
        {
            await Task.Delay(500);
            await AfterFaultsAsync(() => resolver.ResolveStaleRequestsAsync());
        }
        Assert.DoesNotContain(await AfterFaultsAsync(() => store.ListTransactionsAsync()), t => t.UpstreamOutcome == UpstreamOutcomes.Pending);

        for (int chain = 0; chain < Chains; chain++)
        {
            for (int i = 0; i < PaysPerChain; i++)
            {
                string id = Id(chain, i);
                var final = finals[chain, i];
                Assert.True(final.ResultStatus == "S" && final.SignatureValid, $"{id}: {final.Status} {final.Body}");
                Assert.Equal(1, antom.Requests.Count(r => r.Path.EndsWith("/pay", StringComparison.Ordinal) && (string?)r.Json["paymentRequestId"] == id));
                var atAntom = antom.Payment(id)!;
                var payment = (await AfterFaultsAsync(() => store.FindPaymentAsync(id, null)))!;
                Assert.Equal(((string?)atAntom["paymentStatus"], (string?)atAntom["paymentId"]), (payment.Status, payment.PaymentId));
                var again = await devices[chain % 2].SendAsync(requests[chain, i]);
                Assert.Equal((true, final.Body), (again.Replayed, again.Body));
            }
        }
    }

    private static Task<TestGateway> StartAsync(string provider, TestDatabase database, FakeAntom antom, string instance) =>
        TestGateway.StartAsync(provider, o =>
        {
            o.InstanceName = instance;
            o.Database.ConnectTimeoutSeconds = 2;
            o.Database.CommandTimeoutSeconds = 5;
            o.Antom.AttemptTimeoutMs = 3_000;
            o.Antom.TotalTimeoutMs = 4_000;
            o.Recovery.StaleAfterSeconds = 10;
        }, antom, database);

    /// <summary>The test's own reads through the gateway's pool: a pooled connection the kill broke fails once, as it
    /// does for the gateway, and the read is made again.</summary>
    private static async Task<T> AfterFaultsAsync<T>(Func<Task<T>> read)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception e) when (GatewayDatabase.IsUnavailable(e) && attempt < 5)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        for (int i = 0; i < 600 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), what);
    }
}
