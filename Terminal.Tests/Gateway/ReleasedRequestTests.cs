using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
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
/// limit; the same signed request sent again is then executed as new.
/// </summary>
public sealed class ReleasedRequestTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_copy_waiting_on_a_released_request_is_answered_at_once_and_the_request_then_runs_as_new(string provider)
    {
        await using var t = await TestGateway.StartAsync(provider, o => o.Recovery.IntervalSeconds = 3600);
        var device = await t.AddDeviceAsync();
        var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-released"));
        var settings = t.Gateway.Services.GetRequiredService<GatewaySettings>();
        string key = settings.DataKeys.ReplayKey(SignContent.Build(signed.Path, signed.DeviceId, signed.RequestTime, Encoding.UTF8.GetBytes(signed.Body)));
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
}
