using System.Collections.Concurrent;
using System.Net;

namespace Terminal.Gateway.Api;

/// <summary>
/// Failed admin authentications per client address: after <see cref="MaxFailures"/> failures within
/// <see cref="Window"/>, every admin request from that address is refused (429) until the window ends, with the right
/// token too, so a token cannot be guessed faster than 5 tries per 15 minutes per address. At most
/// <see cref="MaxAddresses"/> addresses are tracked; when that many are failing at once, new ones are refused too
/// (fail closed: the admin listener is loopback by default, so this needs a local attacker).
/// </summary>
public sealed class AdminAuthLimiter(TimeProvider clock)
{
    public const int MaxFailures = 5;
    public const int MaxAddresses = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<IPAddress, Entry> _failures = new();

    /// <summary>True (with the time left) when <paramref name="address"/> is locked out.</summary>
    public bool IsLocked(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        var now = clock.GetUtcNow();
        if (address == null) return false;
        if (!_failures.TryGetValue(address, out var entry))
        {
            if (_failures.Count < MaxAddresses) return false;
            Prune(now);
            retryAfter = Window;
            return _failures.Count >= MaxAddresses;
        }
        lock (entry)
        {
            if (now >= entry.Start + Window) return false;
            retryAfter = entry.Start + Window - now;
            return entry.Count >= MaxFailures;
        }
    }

    /// <summary>Counts a failure; true when it is the one that locks the address out.</summary>
    public bool Fail(IPAddress? address)
    {
        if (address == null) return false;
        var now = clock.GetUtcNow();
        var entry = _failures.GetOrAdd(address, _ => new Entry { Start = now });
        lock (entry)
        {
            if (now >= entry.Start + Window)
            {
                entry.Start = now;
                entry.Count = 0;
            }
            entry.Count++;
            return entry.Count == MaxFailures;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, entry) in _failures)
        {
            if (now >= entry.Start + Window) _failures.TryRemove(address, out _);
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset Start { get; set; }
        public int Count { get; set; }
    }
}
