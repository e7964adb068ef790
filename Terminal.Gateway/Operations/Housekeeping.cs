using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Operations;

/// <summary>
/// Periodic clean-up: expired replay keys once a minute (a request that old fails the Request-Time check anyway),
/// and records past <c>Gateway:Retention:Days</c> every <c>Gateway:Retention:PurgeIntervalMinutes</c>
/// (<see cref="GatewayStore.PurgeAsync"/>). Safe with several instances: every statement deletes only what is past
/// its limit, whoever runs it.
/// </summary>
internal sealed class Housekeeping(GatewayStore store, GatewaySettings settings, ILogger<Housekeeping> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retention = settings.Options.Retention;
        var purgeEvery = TimeSpan.FromMinutes(retention.PurgeIntervalMinutes);
        var lastPurge = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            var now = settings.Clock.GetUtcNow();
            try
            {
                long keys = await store.PurgeExpiredReplayKeysAsync(now.ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                if (keys > 0) log.LogDebug("purged {Count} expired replay keys", keys);
                if (now - lastPurge >= purgeEvery)
                {
                    var purged = await store.PurgeAsync(now.AddDays(-retention.Days).ToUnixTimeMilliseconds(), ct: stoppingToken).ConfigureAwait(false);
                    lastPurge = now;
                    if (purged.Transactions + purged.Notifications + purged.Payments + purged.Refunds > 0)
                        log.LogInformation("retention: deleted records older than {Days} days: {Transactions} transactions, {Notifications} notifications, {Payments} payments, {Refunds} refunds",
                            retention.Days, purged.Transactions, purged.Notifications, purged.Payments, purged.Refunds);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                log.LogWarning(e, "housekeeping failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
