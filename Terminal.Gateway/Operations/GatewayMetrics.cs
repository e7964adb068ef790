using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Terminal.Gateway.Operations;

/// <summary>
/// In-process counters and latency histograms, rendered at /metrics in the Prometheus text format:
/// device requests by operation and result code, their latency, upstream calls by outcome and latency, the time
/// spent in RSA signing, notifications by outcome.
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

    public void RecordRequest(string operation, string resultCode, double elapsedMs)
    {
        _requests.GetOrAdd((operation, resultCode), _ => new Counter()).Increment();
        _requestLatency.GetOrAdd(operation, _ => new Histogram()).Observe(elapsedMs);
    }

    public void RecordUpstream(string operation, string outcome, double elapsedMs)
    {
        _upstream.GetOrAdd((operation, outcome), _ => new Counter()).Increment();
        _upstreamLatency.GetOrAdd(operation, _ => new Histogram()).Observe(elapsedMs);
    }

    public void RecordRsaSign(double elapsedMs) => _rsaSign.Observe(elapsedMs);

    public void RecordNotification(string outcome) => _notifications.GetOrAdd(outcome, _ => new Counter()).Increment();

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
        return sb.ToString();
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
