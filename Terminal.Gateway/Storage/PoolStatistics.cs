using System.Diagnostics.Metrics;

namespace Terminal.Gateway.Storage;

/// <summary>
/// The use of one instance's PostgreSQL pool, read from the metrics Npgsql publishes through System.Diagnostics.Metrics
/// (meter <c>Npgsql</c>, OpenTelemetry database conventions: <c>db.client.connection.count</c> by state,
/// <c>db.client.connection.max</c>, <c>db.client.connection.npgsql.pending_requests</c>,
/// <c>db.client.connection.npgsql.timeouts</c>), filtered to this pool's name: several gateways may run in one process.
/// </summary>
public sealed class PoolStatistics : IDisposable
{
    private const string PoolNameTag = "db.client.connection.pool.name";
    private readonly string _poolName;
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private long _idle, _used, _max, _pending, _timeouts;

    public PoolStatistics(string poolName)
    {
        _poolName = poolName;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name is "db.client.connection.count" or "db.client.connection.max"
                    or "db.client.connection.npgsql.pending_requests" or "db.client.connection.npgsql.timeouts")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Measured(i, value, tags));
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Measured(i, value, tags));
        _listener.Start();
    }

    /// <summary>Connections idle and in use, the pool's size limit, requests waiting for a connection now, and how many
    /// such waits ended in a timeout since start.</summary>
    public (long Idle, long Used, long Max, long Pending, long Timeouts) Read()
    {
        lock (_lock)
        {
            _idle = _used = 0;
            _listener.RecordObservableInstruments();
            return (_idle, _used, _max, _pending, _timeouts);
        }
    }

    private void Measured(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null, state = null;
        foreach (var tag in tags)
        {
            if (tag.Key == PoolNameTag) pool = tag.Value as string;
            else if (tag.Key == "db.client.connection.state") state = tag.Value as string;
        }
        if (pool != _poolName) return;
        lock (_lock)
        {
            switch (instrument.Name)
            {
                case "db.client.connection.count" when state == "idle": _idle += value; break;
                case "db.client.connection.count" when state == "used": _used += value; break;
                case "db.client.connection.max": _max = value; break;
                case "db.client.connection.npgsql.pending_requests": _pending += value; break;
                case "db.client.connection.npgsql.timeouts": _timeouts += value; break;
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
