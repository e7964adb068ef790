using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// Per client address (IPv4, or the IPv6 /64 a single subscriber usually gets): at most <c>RequestsPerMinute</c> page
/// requests a minute, and after <c>MaxFailedLookups</c> unknown or expired tokens within 10 minutes, nothing for the rest
/// of those 10 minutes. A refused request costs no database read. The 128-bit tokens are what makes guessing hopeless;
/// this keeps one client from loading the gateway or its upstream inquiries. At most <see cref="MaxAddresses"/>
/// addresses are tracked: when that many are active, an address not yet tracked is served untracked rather than
/// refused, so spraying addresses cannot lock out the customers.
/// </summary>
public sealed class PageRateLimiter(TimeProvider clock, CustomerPageOptions options)
{
    public const int MaxAddresses = 100_000;
    public static readonly TimeSpan RequestWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();

    /// <summary>Counts a request; false (with the time to wait) when it is over a limit.</summary>
    public bool TryEnter(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address == null) return true;
        var now = clock.GetUtcNow();
        var key = Partition(address);
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (_entries.Count >= MaxAddresses) PruneIdle();
            if (_entries.Count >= MaxAddresses) return true;
            entry = _entries.GetOrAdd(key, _ => new Entry { RequestsStart = now, FailuresStart = now });
        }
        lock (entry)
        {
            if (now >= entry.FailuresStart + FailureWindow)
            {
                entry.FailuresStart = now;
                entry.Failures = 0;
            }
            if (entry.Failures >= options.MaxFailedLookups)
            {
                retryAfter = entry.FailuresStart + FailureWindow - now;
                return false;
            }
            if (now >= entry.RequestsStart + RequestWindow)
            {
                entry.RequestsStart = now;
                entry.Requests = 0;
            }
            if (entry.Requests >= options.RequestsPerMinute)
            {
                retryAfter = entry.RequestsStart + RequestWindow - now;
                return false;
            }
            entry.Requests++;
            return true;
        }
    }

    /// <summary>Counts a token that found no link.</summary>
    public void Failed(IPAddress? address)
    {
        if (address == null || !_entries.TryGetValue(Partition(address), out var entry)) return;
        lock (entry) entry.Failures++;
    }

    /// <summary>IPv4 as it is (an IPv4-mapped IPv6 address as its IPv4 form), IPv6 by its first 64 bits.</summary>
    internal static IPAddress Partition(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        byte[] bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    /// <summary>Forgets addresses whose windows are over (the housekeeping job calls it every minute).</summary>
    public void PruneIdle()
    {
        var now = clock.GetUtcNow();
        foreach (var (address, entry) in _entries)
        {
            bool idle;
            lock (entry) idle = now >= entry.RequestsStart + RequestWindow && now >= entry.FailuresStart + FailureWindow;
            if (idle) _entries.TryRemove(address, out _);
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset RequestsStart { get; set; }
        public int Requests { get; set; }
        public DateTimeOffset FailuresStart { get; set; }
        public int Failures { get; set; }
    }
}
