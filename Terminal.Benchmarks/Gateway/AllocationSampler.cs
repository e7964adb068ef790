using System.Diagnostics.Tracing;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// Where the bytes go, by type: listens to the runtime's GCAllocationTick events (one about every 100 KB allocated,
/// naming the type of the object that crossed the mark), so over many calls the ticks per type are proportional to
/// the bytes allocated as that type. Sampled, so only the large shares mean something; it allocates itself, so it runs
/// in a phase of its own, never during the measured allocation.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcKeyword = 0x1;
    private const int AllocationTickEventId = 10;

    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private long _total;

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != AllocationTickEventId || e.Payload == null || e.PayloadNames == null) return;
        int typeAt = e.PayloadNames.IndexOf("TypeName");
        int amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
        if (typeAt < 0 || amountAt < 0) return;
        string type = e.Payload[typeAt] as string ?? "?";
        long amount = Convert.ToInt64(e.Payload[amountAt], System.Globalization.CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
            _total += amount;
        }
    }

    /// <summary>The types with the largest shares, as (type, share of all sampled bytes).</summary>
    public IReadOnlyList<(string Type, double Share)> Top(int count)
    {
        lock (_gate)
        {
            return _bytesByType.OrderByDescending(p => p.Value).Take(count)
                .Select(p => (p.Key, _total == 0 ? 0 : p.Value / (double)_total)).ToList();
        }
    }
}
