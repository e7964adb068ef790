using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Resolution;

/// <summary>
/// Runs the <see cref="Resolver"/>'s passes at start-up and every <c>Gateway:Recovery:IntervalSeconds</c>: stale device
/// requests first (a device may be waiting for their answers), then the repair of open payments and refunds, then the
/// resolution queue's due items (<see cref="ResolutionQueue"/>), and marks steps whose answer was never stored. A pass
/// that fails (the database is unavailable, mostly) is tried again at the next tick.
/// </summary>
internal sealed class ResolverService(GatewaySettings settings, Resolver resolver, ResolutionQueue queue, ILogger<ResolverService> log) : BackgroundService
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends with the start-up pass (done or failed): a test that plants records for the resolver waits for
    /// it, or the pass could take them between the planting and the test's own call of the resolver.</summary>
    internal Task FirstPass => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.Options.Recovery.IntervalSeconds));
        using var stopped = stoppingToken.Register(() => _firstPass.TrySetCanceled());
        do
        {
            try
            {
                await resolver.ResolveStaleRequestsAsync(stoppingToken).ConfigureAwait(false);
                await resolver.RepairDueAsync(stoppingToken).ConfigureAwait(false);
                await queue.RunDueAsync(stoppingToken).ConfigureAwait(false);
                await resolver.MarkUnrecordedStepsAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (GatewayDatabase.IsUnavailable(e) || e is System.Data.Common.DbException)
            {
                log.LogWarning("the resolver's pass failed ({Error}); will retry", e.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Anything else is a fault to look at, but never a reason to stop the gateway (an unhandled exception in
                // a hosted service stops the host): the next tick tries again.
                log.LogError(e, "the resolver's pass failed; will retry");
            }
            _firstPass.TrySetResult();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
