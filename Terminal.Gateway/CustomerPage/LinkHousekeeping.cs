using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// Once a minute: deletes expired result-page links (a lookup already ignores them; this keeps the table small) and
/// forgets idle addresses of the page's rate limiter. Safe with several instances: the delete only removes what is past
/// its expiry, whoever runs it.
/// </summary>
internal sealed class LinkHousekeeping(CustomerLinkStore links, PageRateLimiter limiter, GatewaySettings settings, ILogger<LinkHousekeeping> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        do
        {
            try
            {
                long purged = await links.PurgeExpiredAsync(settings.Clock.GetUtcNow().ToUnixTimeMilliseconds(), stoppingToken).ConfigureAwait(false);
                if (purged > 0) log.LogDebug("purged {Count} expired result-page links", purged);
                limiter.PruneIdle();
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                log.LogWarning(e, "result-page link housekeeping failed; will retry");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
