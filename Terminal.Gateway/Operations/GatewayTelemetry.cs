using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Terminal.Gateway.Configuration;

namespace Terminal.Gateway.Operations;

/// <summary>
/// The gateway's OpenTelemetry set-up (docs/gateway.md, "Telemetry"): its own activity source and meter
/// (<see cref="Name"/>), ASP.NET Core, HttpClient and Npgsql instrumentation, exported over OTLP or to the console
/// when <c>Gateway:Telemetry:Exporter</c> says so; nothing is registered while it is <c>none</c>. A device request's
/// trace carries the device id, the paymentRequestId or refundRequestId and the result, never a body: payment codes
/// are not recorded (Npgsql records statement texts, whose values are parameters, and HttpClient the URL, whose path
/// holds no ids).
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "Terminal.Gateway";

    public static readonly ActivitySource Source = new(Name, typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());

    // Attribute names of the gateway's spans.
    public const string DeviceId = "terminal.device.id";
    public const string RequestId = "antom.request_id";
    public const string ResultStatus = "antom.result.status";
    public const string ResultCode = "antom.result.code";
    public const string Upstream = "gateway.upstream.outcome";
    public const string Attempt = "antom.attempt";

    public static void Add(IServiceCollection services, GatewaySettings settings)
    {
        var options = settings.Options;
        var t = options.Telemetry;
        bool export = t.Exporter != TelemetryOptions.None;
        bool traces = (export && t.Traces) || options.ConfigureTracing != null;
        bool metrics = (export && t.Metrics) || options.ConfigureMetrics != null;
        if (!traces && !metrics) return;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("terminal-gateway", serviceVersion: Source.Version, serviceInstanceId: settings.InstanceName));
        if (traces)
        {
            telemetry.WithTracing(b =>
            {
                b.AddSource(Name)
                    .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(t.TraceSampleRatio)))
                    // Probes and scrapes are not worth a trace each.
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => context.Request.Path.Value is not ("/healthz" or "/readyz" or "/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                if (export && t.Traces)
                {
                    if (t.Exporter == TelemetryOptions.Otlp) b.AddOtlpExporter(o => Otlp(o, t));
                    else b.AddConsoleExporter();
                }
                options.ConfigureTracing?.Invoke(b);
            });
        }
        if (metrics)
        {
            telemetry.WithMetrics(b =>
            {
                b.AddMeter(Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (export && t.Metrics)
                {
                    if (t.Exporter == TelemetryOptions.Otlp) b.AddOtlpExporter((o, reader) => { Otlp(o, t); Interval(reader, t); });
                    else b.AddConsoleExporter((_, reader) => Interval(reader, t));
                }
                options.ConfigureMetrics?.Invoke(b);
            });
        }
    }

    private static void Otlp(OtlpExporterOptions o, TelemetryOptions t)
    {
        if (t.OtlpEndpoint != null) o.Endpoint = new Uri(t.OtlpEndpoint);
        o.Protocol = t.OtlpProtocol == "http" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
    }

    private static void Interval(MetricReaderOptions reader, TelemetryOptions t) =>
        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = t.MetricIntervalSeconds * 1000;
}
