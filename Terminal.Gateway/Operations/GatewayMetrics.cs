using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Terminal.Gateway.Operations;

/// <summary>
/// In-process counters and latency histograms, rendered at /metrics in the Prometheus text format:
/// device requests by operation and result code, their latency, upstream calls by outcome and latency, the time
/// spent in RSA signing, notifications by outcome. The same measurements are published as .NET metrics on the meter
/// <see cref="GatewayTelemetry.Name"/> (System.Diagnostics.Metrics), which OpenTelemetry exports when
/// <c>Gateway:Telemetry</c> turns it on (docs/gateway.md, "Telemetry"); recording them costs nothing while no one listens.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly double[] BucketsMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

    private readonly ConcurrentDictionary<(string Operation, string ResultCode), Counter> _requests = new();
    private readonly ConcurrentDictionary<string, Histogram> _requestLatency = new();
    private readonly ConcurrentDictionary<(string Operation, string Outcome), Counter> _upstream = new();
    private readonly ConcurrentDictionary<string, Histogram> _upstreamLatency = new();
    private readonly ConcurrentDictionary<string, Counter> _notifications = new();
    private readonly Histogram _rsaSign = new();
    private readonly ConcurrentDictionary<(string Operation, string Reason, string Outcome), Counter> _resolutionSteps = new();
    private readonly ConcurrentDictionary<(string Subject, string Result), Counter> _repairs = new();
    private readonly ConcurrentDictionary<string, Counter> _stateConflicts = new();
    private readonly ConcurrentDictionary<string, Counter> _queuePasses = new();
    private readonly ConcurrentDictionary<string, Counter> _databaseFaults = new();
    private Func<int>? _unsavedAnswers;
    private Storage.PoolStatistics? _pool;

    private readonly Counter<long> _requestsOut;
    private readonly Histogram<double> _requestDurationOut;
    private readonly Counter<long> _upstreamOut;
    private readonly Histogram<double> _upstreamDurationOut;
    private readonly Histogram<double> _rsaSignOut;
    private readonly Counter<long> _notificationsOut;
    private readonly Counter<long> _databaseFaultsOut;

    /// <param name="meters">The host's meter factory (the meter lives as long as the host); without one, a meter of its own.</param>
    /// <param name="settings">Names the instance in the meter's tags (<c>gateway.instance</c>), so several gateways in one
    /// process (tests, the simulator) are told apart.</param>
    public GatewayMetrics(IMeterFactory? meters = null, Configuration.GatewaySettings? settings = null)
    {
        var options = new MeterOptions(GatewayTelemetry.Name) { Tags = [new("gateway.instance", settings?.InstanceName)] };
        var meter = meters?.Create(options) ?? new Meter(options);
        _requestsOut = meter.CreateCounter<long>("gateway.device.requests", "{request}", "Device requests answered, by operation and result code.");
        _requestDurationOut = meter.CreateHistogram<double>("gateway.device.request.duration", "s", "Device request latency, receipt to answer.");
        _upstreamOut = meter.CreateCounter<long>("gateway.antom.calls", "{call}", "Calls to Antom, by operation and outcome.");
        _upstreamDurationOut = meter.CreateHistogram<double>("gateway.antom.call.duration", "s", "Antom call latency, all attempts.");
        _rsaSignOut = meter.CreateHistogram<double>("gateway.rsa_sign.duration", "s", "Time spent computing RSA256 request signatures.");
        _notificationsOut = meter.CreateCounter<long>("gateway.notifications", "{notification}", "notifyPayment requests, by outcome.");
        _databaseFaultsOut = meter.CreateCounter<long>("gateway.database.faults", "{fault}", "Database operations that failed because the database was unavailable.");
        meter.CreateObservableGauge("gateway.unsaved_answers", () => _unsavedAnswers?.Invoke() ?? 0, "{record}",
            "Records of answered device requests waiting for the database.");
    }

    public void RecordRequest(string operation, string resultCode, double elapsedMs)
    {
        _requests.GetOrAdd((operation, resultCode), _ => new Counter()).Increment();
        _requestLatency.GetOrAdd(operation, _ => new Histogram()).Observe(elapsedMs);
        _requestsOut.Add(1, new("operation", operation), new("result_code", resultCode));
        _requestDurationOut.Record(elapsedMs / 1000, new KeyValuePair<string, object?>("operation", operation));
    }

    public void RecordUpstream(string operation, string outcome, double elapsedMs)
    {
        _upstream.GetOrAdd((operation, outcome), _ => new Counter()).Increment();
        _upstreamLatency.GetOrAdd(operation, _ => new Histogram()).Observe(elapsedMs);
        _upstreamOut.Add(1, new("operation", operation), new("outcome", outcome));
        _upstreamDurationOut.Record(elapsedMs / 1000, new KeyValuePair<string, object?>("operation", operation));
    }

    public void RecordRsaSign(double elapsedMs)
    {
        _rsaSign.Observe(elapsedMs);
        _rsaSignOut.Record(elapsedMs / 1000);
    }

    public void RecordNotification(string outcome)
    {
        _notifications.GetOrAdd(outcome, _ => new Counter()).Increment();
        _notificationsOut.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>A call the resolver made to Antom on its own (<c>Resolution.Resolver.RunStepAsync</c>).</summary>
    public void RecordResolutionStep(string operation, string reason, string outcome) =>
        _resolutionSteps.GetOrAdd((operation, reason, outcome), _ => new Counter()).Increment();

    /// <summary>One visit of the repair pass to an open payment or refund: settled, or queued (handed to the resolution queue).</summary>
    public void RecordRepair(PaymentState.StateSubject subject, string result) =>
        _repairs.GetOrAdd((Storage.GatewayStore.SubjectName(subject), result), _ => new Counter()).Increment();

    /// <summary>One pass of the resolution queue's job over an item, by the state it left the item in (open, resolved, exception).</summary>
    public void RecordQueuePass(string state) => _queuePasses.GetOrAdd(state, _ => new Counter()).Increment();

    /// <summary>A verified message contradicted a final status (SUCCESS against FAIL); the record kept the first.</summary>
    public void RecordStateConflict(PaymentState.StateSubject subject) =>
        _stateConflicts.GetOrAdd(Storage.GatewayStore.SubjectName(subject), _ => new Counter()).Increment();

    /// <summary>A database operation a device request or notification needed failed because the database was unavailable,
    /// at <paramref name="stage"/> (authenticate, claim, complete, notification).</summary>
    public void RecordDatabaseFault(string stage)
    {
        _databaseFaults.GetOrAdd(stage, _ => new Counter()).Increment();
        _databaseFaultsOut.Add(1, new KeyValuePair<string, object?>("stage", stage));
    }

    public long DatabaseFaultCount(string stage) => _databaseFaults.TryGetValue(stage, out var c) ? c.Value : 0;

    /// <summary>Where the use of the PostgreSQL connection pool is read from.</summary>
    public void ObservePool(Storage.PoolStatistics? pool) => _pool = pool;

    /// <summary>Where the number of device-request records waiting for the database is read from.</summary>
    public void ObserveUnsavedAnswers(Func<int> count) => _unsavedAnswers = count;

    /// <summary>Count of device requests answered with <paramref name="resultCode"/> (all operations).</summary>
    public long RequestCount(string resultCode) => _requests.Where(kv => kv.Key.ResultCode == resultCode).Sum(kv => kv.Value.Value);

    public long NotificationCount(string outcome) => _notifications.TryGetValue(outcome, out var c) ? c.Value : 0;

    /// <summary>Number of RSA signatures made and their total time (the benchmark subtracts it).</summary>
    public (long Count, double TotalMs) RsaSignTotals => _rsaSign.Totals;

    public string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP gateway_requests_total Device requests answered, by operation and result code.\n# TYPE gateway_requests_total counter\n");
        foreach (var kv in _requests.OrderBy(k => k.Key.Operation).ThenBy(k => k.Key.ResultCode))
            sb.Append(CultureInfo.InvariantCulture, $"gateway_requests_total{{operation=\"{kv.Key.Operation}\",result_code=\"{kv.Key.ResultCode}\"}} {kv.Value.Value}\n");
        RenderHistograms(sb, "gateway_request_duration_ms", "Device request latency in milliseconds, receipt to answer.", _requestLatency);
        sb.Append("# HELP gateway_upstream_total Calls to Antom, by operation and outcome.\n# TYPE gateway_upstream_total counter\n");
        foreach (var kv in _upstream.OrderBy(k => k.Key.Operation).ThenBy(k => k.Key.Outcome))
            sb.Append(CultureInfo.InvariantCulture, $"gateway_upstream_total{{operation=\"{kv.Key.Operation}\",outcome=\"{kv.Key.Outcome}\"}} {kv.Value.Value}\n");
        RenderHistograms(sb, "gateway_upstream_duration_ms", "Antom call latency in milliseconds, all attempts.", _upstreamLatency);
        RenderHistograms(sb, "gateway_rsa_sign_duration_ms", "Time spent computing RSA256 request signatures.", new Dictionary<string, Histogram> { ["rsa256"] = _rsaSign });
        sb.Append("# HELP gateway_notifications_total notifyPayment requests, by outcome.\n# TYPE gateway_notifications_total counter\n");
        foreach (var kv in _notifications.OrderBy(k => k.Key))
            sb.Append(CultureInfo.InvariantCulture, $"gateway_notifications_total{{outcome=\"{kv.Key}\"}} {kv.Value.Value}\n");
        RenderCounters(sb, "gateway_resolution_steps_total", "Calls the resolver made to Antom, by operation, reason and outcome.", _resolutionSteps,
            k => $"operation=\"{k.Operation}\",reason=\"{k.Reason}\",outcome=\"{k.Outcome}\"");
        RenderCounters(sb, "gateway_repairs_total", "Visits of the repair pass to open payments and refunds, by result.", _repairs,
            k => $"subject=\"{k.Subject}\",result=\"{k.Result}\"");
        RenderCounters(sb, "gateway_resolution_passes_total", "Passes of the resolution queue's job over an item, by the state it left the item in.", _queuePasses,
            k => $"state=\"{k}\"");
        RenderCounters(sb, "gateway_state_conflicts_total", "Verified messages that contradicted a final status (kept).", _stateConflicts, k => $"subject=\"{k}\"");
        RenderCounters(sb, "gateway_database_faults_total", "Database operations that failed because the database was unavailable, by stage.", _databaseFaults,
            k => $"stage=\"{k}\"");
        sb.Append("# HELP gateway_unsaved_answers Records of answered device requests waiting for the database.\n# TYPE gateway_unsaved_answers gauge\n");
        sb.Append(CultureInfo.InvariantCulture, $"gateway_unsaved_answers {_unsavedAnswers?.Invoke() ?? 0}\n");
        if (_pool != null)
        {
            var (idle, used, max, pending, timeouts) = _pool.Read();
            sb.Append("# HELP gateway_database_connections PostgreSQL connections of this instance's pool, by state.\n# TYPE gateway_database_connections gauge\n");
            sb.Append(CultureInfo.InvariantCulture, $"gateway_database_connections{{state=\"idle\"}} {idle}\ngateway_database_connections{{state=\"used\"}} {used}\n");
            sb.Append("# HELP gateway_database_connections_max Size limit of the pool (Gateway:Database:MaxPoolSize).\n# TYPE gateway_database_connections_max gauge\n");
            sb.Append(CultureInfo.InvariantCulture, $"gateway_database_connections_max {max}\n");
            sb.Append("# HELP gateway_database_pending_connection_requests Requests waiting for a free connection now.\n# TYPE gateway_database_pending_connection_requests gauge\n");
            sb.Append(CultureInfo.InvariantCulture, $"gateway_database_pending_connection_requests {pending}\n");
            sb.Append("# HELP gateway_database_connection_timeouts_total Waits for a connection that timed out.\n# TYPE gateway_database_connection_timeouts_total counter\n");
            sb.Append(CultureInfo.InvariantCulture, $"gateway_database_connection_timeouts_total {timeouts}\n");
        }
        return sb.ToString();
    }

    private static void RenderCounters<TKey>(StringBuilder sb, string name, string help, ConcurrentDictionary<TKey, Counter> counters, Func<TKey, string> labels)
        where TKey : notnull
    {
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n");
        foreach (var (labelText, value) in counters.Select(kv => (labels(kv.Key), kv.Value.Value)).OrderBy(x => x.Item1, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"{name}{{{labelText}}} {value}\n");
    }

    private static void RenderHistograms(StringBuilder sb, string name, string help, IEnumerable<KeyValuePair<string, Histogram>> histograms)
    {
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
        foreach (var kv in histograms.OrderBy(k => k.Key))
        {
            var (counts, count, sum) = kv.Value.Snapshot();
            long cumulative = 0;
            for (int i = 0; i < BucketsMs.Length; i++)
            {
                cumulative += counts[i];
                sb.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{operation=\"{kv.Key}\",le=\"{BucketsMs[i]}\"}} {cumulative}\n");
            }
            sb.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{operation=\"{kv.Key}\",le=\"+Inf\"}} {count}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{name}_sum{{operation=\"{kv.Key}\"}} {sum:0.###}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{name}_count{{operation=\"{kv.Key}\"}} {count}\n");
        }
    }

    private sealed class Counter
    {
        private long _value;
        public long Value => Interlocked.Read(ref _value);
        public void Increment() => Interlocked.Increment(ref _value);
    }

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[BucketsMs.Length + 1];
        private long _count;
        private double _sum;
        private readonly Lock _lock = new();

        public void Observe(double ms)
        {
            int i = 0;
            while (i < BucketsMs.Length && ms > BucketsMs[i]) i++;
            lock (_lock)
            {
                _counts[i]++;
                _count++;
                _sum += ms;
            }
        }

        public (long Count, double TotalMs) Totals
        {
            get { lock (_lock) return (_count, _sum); }
        }

        public (long[] Counts, long Count, double Sum) Snapshot()
        {
            lock (_lock) return ((long[])_counts.Clone(), _count, _sum);
        }
    }
}
