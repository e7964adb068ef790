using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Operations;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// OpenTelemetry (docs/gateway.md, "Telemetry"): a device request leaves one trace through the gateway, its database
/// statements and the Antom call, with the device id, the paymentRequestId and the result as attributes and the
/// payment code nowhere; the gateway's metrics reach an exporter; the settings are checked.
/// </summary>
public sealed class TelemetryTests
{
    private const string Code = "281234567890123456";

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_pay_leaves_one_trace_with_its_ids_and_result_and_never_the_payment_code(string provider)
    {
        var spans = new List<Activity>();
        await using var t = await TestGateway.StartAsync(provider, o => o.ConfigureTracing = b => b.AddInMemoryExporter(spans));
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-trace-1", code: Code))).ResultStatus);
        // The server span ends just after the answer is written: wait for it.
        for (int i = 0; i < 50 && !spans.ToArray().Any(s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == Bodies.Pay); i++) await Task.Delay(100);
        var all = spans.ToArray();

        // Gateways of other tests in this process are heard too: this one's request is told by its id.
        var request = Assert.Single(all, s => s.Source.Name == GatewayTelemetry.Name && s.OperationName == "device request" && s.GetTagItem(GatewayTelemetry.RequestId) as string == "P-trace-1");
        Assert.Equal("device pay", request.DisplayName);
        Assert.Equal(device.DeviceId, request.GetTagItem(GatewayTelemetry.DeviceId));
        Assert.Equal("P-trace-1", request.GetTagItem(GatewayTelemetry.RequestId));
        Assert.Equal("S", request.GetTagItem(GatewayTelemetry.ResultStatus));
        Assert.Equal("SUCCESS", request.GetTagItem(GatewayTelemetry.ResultCode));

        var trace = all.Where(s => s.TraceId == request.TraceId).ToList();
        var server = Assert.Single(trace, s => s.SpanId == request.ParentSpanId);
        Assert.Equal((ActivityKind.Server, Bodies.Pay), (server.Kind, server.GetTagItem("url.path")));
        var attempt = Assert.Single(trace, s => s.OperationName == "antom attempt");
        Assert.Equal(request.SpanId, attempt.ParentSpanId);
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && s.ParentSpanId == attempt.SpanId); // the HTTPS call to Antom
        // PostgreSQL statements are spans of their own, children of the device request (SQLite has no instrumentation).
        if (provider == "postgres") Assert.Contains(trace, s => s.Source.Name == "Npgsql" && s.ParentSpanId == request.SpanId);

        foreach (var span in all)
        {
            Assert.DoesNotContain(Code, span.DisplayName);
            foreach (var tag in span.TagObjects) Assert.DoesNotContain(Code, tag.Value?.ToString() ?? "");
        }
    }

    [Fact]
    public async Task The_gateway_metrics_reach_the_exporter()
    {
        var metrics = new List<Metric>();
        await using (var t = await TestGateway.StartAsync(configure: o =>
        {
            o.InstanceName = "gw-metrics-test";
            o.ConfigureMetrics = b => b.AddInMemoryExporter(metrics);
        }))
        {
            var device = await t.AddDeviceAsync();
            Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-metric-1"))).ResultStatus);
            Assert.Equal("F", (await device.PostAsync(Bodies.Pay, "{\"paymentRequestId\":\"P-metric-2\"}")).ResultStatus);
        }

        // Gateways of other tests in this process are heard too: this one's meter is told by its instance tag.
        long Sum(string name, string code) => metrics.Where(m => m.Name == name && m.MeterTags != null && m.MeterTags.Any(IsThisInstance)).SelectMany(Points)
            .Where(p => Tag(p, "result_code") == code).Sum(p => p.GetSumLong());
        Assert.Equal(1, Sum("gateway.device.requests", "SUCCESS"));
        Assert.Equal(1, Sum("gateway.device.requests", "PARAM_ILLEGAL"));
        Assert.Contains(metrics, m => m.Name == "gateway.antom.call.duration");
        Assert.Contains(metrics, m => m.Name == "http.server.request.duration");
    }

    [Fact]
    public async Task Nothing_is_collected_while_the_exporter_is_none()
    {
        await using var t = await TestGateway.StartAsync();
        Assert.Null(t.Gateway.Services.GetService(typeof(TracerProvider)));
        Assert.Null(t.Gateway.Services.GetService(typeof(MeterProvider)));
    }

    [Theory]
    [InlineData("zipkin", null, 1.0, "Gateway:Telemetry:Exporter")]
    [InlineData("otlp", "localhost:4317", 1.0, "Gateway:Telemetry:OtlpEndpoint")]
    [InlineData("otlp", null, 1.5, "Gateway:Telemetry:TraceSampleRatio")]
    public async Task Bad_telemetry_settings_are_refused_by_name(string exporter, string? endpoint, double ratio, string key)
    {
        var e = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(configure: o =>
            o.Telemetry = new TelemetryOptions { Exporter = exporter, OtlpEndpoint = endpoint, TraceSampleRatio = ratio }));
        Assert.Contains(key, e.Message);
    }

    private static bool IsThisInstance(KeyValuePair<string, object?> tag) => tag.Key == "gateway.instance" && tag.Value as string == "gw-metrics-test";

    private static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (var point in metric.GetMetricPoints()) yield return point;
    }

    private static string? Tag(MetricPoint point, string name)
    {
        foreach (var tag in point.Tags)
            if (tag.Key == name) return tag.Value?.ToString();
        return null;
    }
}
