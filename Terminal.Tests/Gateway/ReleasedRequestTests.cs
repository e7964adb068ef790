using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// A request a crash left pending before it was sent is released by the resolver (docs/gateway.md, "After a crash"):
/// a copy of it waiting for its answer is woken and told at once that nothing was sent, instead of waiting out its
/// limit; the same signed request sent again is then executed as new. A request whose claim failed (the database
/// refused it, or took it and the answer was lost) is released by its own instance as soon as the database answers: it
/// knows nothing was sent, even when the claim recorded the pay's first attempt.
/// </summary>
public sealed class ReleasedRequestTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_copy_waiting_on_a_released_request_is_answered_at_once_and_the_request_then_runs_as_new(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider, o => o.Recovery.IntervalSeconds = 3600);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-released"));
        string key = ReplayKeyOf(t, signed);
        // The first copy was received ten minutes ago by an instance that died before sending it.
        long old = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        await t.Gateway.Store.ClaimAsync(key, old + 3_600_000, new NewTransaction("held", "T0001", "pay", Bodies.Pay, old, old, "P-released", null, null, signed.Body, "gw-dead"));

        long readsBefore = t.Gateway.Store.RecordedResponseReads;
        var copy = device.SendAsync(signed);
        // The copy waits for the first copy's answer (up to Antom:TotalTimeoutMs + 2 s = 22 s), reading the key as it does.
        Assert.True(SpinWait.SpinUntil(() => t.Gateway.Store.RecordedResponseReads > readsBefore, 10_000), "the copy never waited");
        Assert.False(copy.IsCompleted);
        var waited = Stopwatch.StartNew();
        Assert.Equal(1, await t.Gateway.Services.GetRequiredService<Resolver>().ResolveStaleRequestsAsync());
        var answer = await copy;
        waited.Stop();

        Assert.Equal("U", answer.ResultStatus);
        Assert.Contains("nothing was sent to Antom", answer.ResultMessage, StringComparison.Ordinal);
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), $"answered {waited.Elapsed.TotalSeconds:0.0} s after the release, not at once");
        Assert.Equal(0, t.Antom.CallCount("pay"));

        var again = await device.SendAsync(signed);
        Assert.Equal(("S", false), (again.ResultStatus, again.Replayed));
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_request_whose_claim_failed_is_released_when_the_database_answers_and_then_runs_as_new(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider, o => o.Recovery.IntervalSeconds = 3600);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-refused"));
        var unsaved = t.Gateway.Services.GetRequiredService<UnsavedAnswers>();
        bool postgres = provider == "postgres";
        await ExecAsync(t, postgres
            ? "CREATE FUNCTION refuse_claims() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$; " +
              "CREATE TRIGGER refuse_claims BEFORE INSERT ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION refuse_claims()"
            : "CREATE TRIGGER refuse_claims BEFORE INSERT ON idempotency_keys BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");

        var refused = await device.SendAsync(signed);
        Assert.Equal("U", refused.ResultStatus);
        Assert.Contains("nothing was sent to Antom", refused.ResultMessage, StringComparison.Ordinal);
        // The release is kept for the database. Only the claim's insert is refused, so the kept records' retry (every
        // 500 ms) may already have stored it by now: either shows that it was kept.
        Assert.True(SpinWait.SpinUntil(() => unsaved.Count == 1 || t.Logs.Lines.Any(l => l.Contains("stored 1 kept record(s)", StringComparison.Ordinal)), 10_000),
            "the release of the refused claim was not kept");

        await ExecAsync(t, postgres ? "DROP TRIGGER refuse_claims ON idempotency_keys" : "DROP TRIGGER refuse_claims");
        Assert.True(await unsaved.FlushAsync(CancellationToken.None));
        var again = await device.SendAsync(signed);
        Assert.Equal(("S", false), (again.ResultStatus, again.Replayed));
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_claim_that_committed_with_its_first_attempt_but_whose_answer_was_lost_is_released(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider, o => o.Recovery.IntervalSeconds = 3600);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-lost"));
        string key = ReplayKeyOf(t, signed);
        // What the relay's claim wrote before its answer was lost: the record, the payment row and the first attempt.
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var step = t.Gateway.Services.GetRequiredService<DeviceOperations>().FirstStep("pay", (await t.Gateway.Devices.FindAsync("T0001"))!,
            Encoding.UTF8.GetBytes(signed.Body), PaymentCodes.ForStorageUtf8(Encoding.UTF8.GetBytes(signed.Body)), "P-lost", null, now);
        var claim = await t.Gateway.Store.ClaimAsync(key, now + 3_600_000,
            new NewTransaction("lost", "T0001", "pay", Bodies.Pay, now, now, "P-lost", null, null, signed.Body, "gw-test"), step);
        Assert.True(claim.Claimed);
        Assert.True(step!.RecordedFirstAttempt);
        Assert.NotNull((await t.Gateway.Store.FindTransactionAsync("lost"))!.UpstreamSentAt);

        t.Gateway.Services.GetRequiredService<UnsavedAnswers>().KeepRelease("lost", key, "answer lost (test)");
        Assert.True(await t.Gateway.Services.GetRequiredService<UnsavedAnswers>().FlushAsync(CancellationToken.None));
        Assert.Equal(UpstreamOutcomes.NotSent, (await t.Gateway.Store.FindTransactionAsync("lost"))!.UpstreamOutcome);

        var again = await device.SendAsync(signed);
        Assert.Equal(("S", false), (again.ResultStatus, again.Replayed));
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    private static string ReplayKeyOf(TestGateway t, SignedRequest signed) =>
        t.Gateway.Services.GetRequiredService<GatewaySettings>().DataKeys.ReplayKey(
            SignContent.Build(signed.Path, signed.DeviceId, signed.RequestTime, Encoding.UTF8.GetBytes(signed.Body)));

    private static async Task ExecAsync(TestGateway t, string sql)
    {
        await using var connection = await t.Gateway.Services.GetRequiredService<GatewayDatabase>().OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
