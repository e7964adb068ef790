using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.EndOfDay;

namespace Terminal.Gateway.Configuration;

/// <summary>
/// Everything the gateway is configured with. Standalone, it is bound from the <c>Gateway</c> configuration
/// section (appsettings.json, environment <c>Gateway__Antom__BaseUrl</c>, command line <c>--Gateway:Antom:BaseUrl=...</c>);
/// embedded, the host fills it in code. Every key is listed in docs/gateway.md. <see cref="GatewaySettings.Resolve"/>
/// validates it and loads the key material.
/// </summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Listen URLs, e.g. <c>https://0.0.0.0:8443</c>. Port 0 picks a free port (embedded use).
    /// Empty: <c>http://127.0.0.1:0</c> embedded, <c>http://127.0.0.1:8080</c> standalone.</summary>
    public string[] Urls { get; set; } = [];

    /// <summary>The gateway's public base URL as Antom reaches it; <c>paymentNotifyUrl</c> = this + <see cref="NotifyPath"/>.
    /// Embedded and unset: the first listen address.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Route of the notifyPayment endpoint.</summary>
    public string NotifyPath { get; set; } = "/notify/antom";

    /// <summary>Listen URLs of the admin API and /metrics, apart from the devices' (docs/gateway.md, "Listeners").
    /// Empty: <c>http://127.0.0.1:0</c> embedded, <c>http://127.0.0.1:8081</c> standalone (loopback only).</summary>
    public string[] AdminUrls { get; set; } = [];

    /// <summary>Bearer token of the admin API (docs/gateway-admin-api.md). Unset (and no <see cref="AdminTokenPath"/>):
    /// the admin API is not mapped. Prefer the file: an inline value shows in the process list.</summary>
    public string? AdminToken { get; set; }

    /// <summary>File holding <see cref="AdminToken"/> (leading and trailing white space ignored).</summary>
    public string? AdminTokenPath { get; set; }

    /// <summary>Base64 of 32 random bytes: AES-256-GCM key that encrypts device keys at rest.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>File holding <see cref="KeyEncryptionKey"/> (alternative to the inline value).</summary>
    public string? KeyEncryptionKeyPath { get; set; }

    /// <summary>Accepted distance between a device's Request-Time and the gateway clock, both ways.</summary>
    public int RequestTimeWindowSeconds { get; set; } = 300;

    /// <summary>Answer a device's inquiryPayment from a recorded final notifyPayment instead of asking Antom.</summary>
    public bool AnswerInquiryFromNotification { get; set; } = true;

    /// <summary>Largest device request body accepted, in bytes.</summary>
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Name of this instance in records and logs (several gateways may share one database).</summary>
    public string? InstanceName { get; set; }

    public DatabaseOptions Database { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
    public RecoveryOptions Recovery { get; set; } = new();
    public AntomOptions Antom { get; set; } = new();
    public MerchantOptions Merchant { get; set; } = new();
    public HttpsOptions Https { get; set; } = new();
    public CustomerPageOptions CustomerPage { get; set; } = new();
    public EndOfDayOptions EndOfDay { get; set; } = new();
    public TelemetryOptions Telemetry { get; set; } = new();

    // ---- embedded use only (not bindable from configuration) ----

    /// <summary>Clock used for Request-Time checks and records (tests move it).</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>Logging set-up of the embedded host; standalone uses the usual Logging configuration section.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>Embedded use: more OpenTelemetry set-up (tests add an in-memory exporter); tracing and metrics are on when
    /// this is set, whatever <see cref="TelemetryOptions.Exporter"/> says.</summary>
    public Action<OpenTelemetry.Trace.TracerProviderBuilder>? ConfigureTracing { get; set; }
    public Action<OpenTelemetry.Metrics.MeterProviderBuilder>? ConfigureMetrics { get; set; }

    /// <summary>Test seam, never configurable: answers signed with the request key, i.e. without direction separation
    /// (the old, reflectable scheme). The negative control of the reflection tests switches it on.</summary>
    internal bool SignAnswersWithRequestKey { get; set; }
}

/// <summary>Resolution of requests a crash left pending (docs/gateway.md, "After a crash").</summary>
public sealed class RecoveryOptions
{
    /// <summary>A transaction still pending this long after it was received is stale: its instance died. At least
    /// <c>Antom:TotalTimeoutMs</c> + 5 s, so a live request on another instance is never taken for one.</summary>
    public int StaleAfterSeconds { get; set; } = 60;

    /// <summary>How often stale transactions are looked for (also once at start-up).</summary>
    public int IntervalSeconds { get; set; } = 30;

    /// <summary>How long the resolution queue asks Antom about an item before it becomes an exception for an operator
    /// (docs/resolution-queue.md).</summary>
    public int GiveUpAfterHours { get; set; } = 24;
}

/// <summary>How long records are kept (docs/gateway.md, "Retention").</summary>
public sealed class RetentionOptions
{
    /// <summary>Days after their last change that final transactions, payments, refunds and notifications are deleted.
    /// 540: Antom's refund period reaches a year for some payment methods, and the longest card-scheme chargeback
    /// window is 540 days from the transaction; refunds and disputes need the records until then.</summary>
    public int Days { get; set; } = 540;

    /// <summary>How often the purge job runs.</summary>
    public int PurgeIntervalMinutes { get; set; } = 60;
}

public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default, one file) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Microsoft.Data.Sqlite or Npgsql connection string. SQLite default: <c>Data Source=gateway.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite <c>PRAGMA synchronous</c> (the file is in WAL mode): NORMAL (default: consistent after any crash,
    /// the last commits may be lost on power loss; no fsync per commit) or FULL / EXTRA (fsync per commit).</summary>
    public string SqliteSynchronous { get; set; } = "NORMAL";

    /// <summary>PostgreSQL: most connections this instance opens (docs/gateway.md, "Connection pool"). Sizing rule:
    /// instances × MaxPoolSize + 10 ≤ max_connections − superuser_reserved_connections. A device request holds a
    /// connection for one statement at a time, never while Antom answers, so 20 carries well over 1,000 requests/s.</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>PostgreSQL: connections kept open when idle.</summary>
    public int MinPoolSize { get; set; }

    /// <summary>PostgreSQL: time to open a connection, or to wait for a free one in a full pool, before the attempt fails.</summary>
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>PostgreSQL: longest a statement may run.</summary>
    public int CommandTimeoutSeconds { get; set; } = 10;

    /// <summary>PostgreSQL: an idle connection above MinPoolSize is closed after this long.</summary>
    public int IdleLifetimeSeconds { get; set; } = 60;
}

public sealed class AntomOptions
{
    /// <summary>Antom region base URL (e.g. https://open-sea-global.alipay.com) or the emulator's.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The merchant's Antom Client-Id; a <c>SANDBOX_</c> prefix switches the path to /ams/sandbox/api.</summary>
    public string? ClientId { get; set; }

    /// <summary>Merchant RSA private key, PKCS#8 (base64 DER or PEM), inline; never logged.</summary>
    public string? MerchantPrivateKey { get; set; }
    public string? MerchantPrivateKeyPath { get; set; }

    /// <summary>Antom RSA public key, X.509 SubjectPublicKeyInfo (base64 DER or PEM), inline or as a file.</summary>
    public string? AntomPublicKey { get; set; }
    public string? AntomPublicKeyPath { get; set; }

    /// <summary>keyVersion sent in the RSA256 Signature header.</summary>
    public int KeyVersion { get; set; } = 1;

    /// <summary>PEM of an extra CA (or self-signed certificate) trusted for the upstream TLS connection (the emulator's).</summary>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>Embedded use: the same as <see cref="TrustedCertificatePath"/>, in memory.</summary>
    public X509Certificate2? TrustedCertificate { get; set; }

    /// <summary>Allow an http:// BaseUrl (benchmarks and local experiments only).</summary>
    public bool AllowHttp { get; set; }

    public int ConnectTimeoutMs { get; set; } = 5_000;

    /// <summary>Time limit of one upstream attempt (send to last response byte).</summary>
    public int AttemptTimeoutMs { get; set; } = 6_000;

    /// <summary>Time limit of all attempts of one device request together; below the terminal's own HTTP timeout
    /// (15 s by default), so the terminal gets the gateway's U rather than a timeout of its own.</summary>
    public int TotalTimeoutMs { get; set; } = 12_000;

    /// <summary>Attempts for inquiryPayment, inquiryRefund and cancel (idempotent reads / same-parameter cancel).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Attempts for pay and refund; a retry resends the same body, so the same paymentRequestId/refundRequestId.</summary>
    public int MaxAttemptsPayRefund { get; set; } = 2;

    public int RetryDelayMs { get; set; } = 200;
}

/// <summary>Merchant-owned request fields the gateway fills in, and defaults for newly registered devices.</summary>
public sealed class MerchantOptions
{
    public string? ReferenceMerchantId { get; set; }
    public string? MerchantName { get; set; }
    public string? MerchantMCC { get; set; }
    public string? ReferenceStoreId { get; set; }
    public string? StoreName { get; set; }
    public string? StoreMCC { get; set; }

    /// <summary>Default per-device limit (minor units); unset = no limit.</summary>
    public long? MaxAmountMinor { get; set; }

    /// <summary>Default per-device currencies; empty = any.</summary>
    public string[] Currencies { get; set; } = [];
}

public sealed class HttpsOptions
{
    /// <summary>PEM certificate (chain) for https listen URLs, with <see cref="KeyPath"/> (PEM private key).</summary>
    public string? CertificatePath { get; set; }
    public string? KeyPath { get; set; }

    /// <summary>Without a certificate: generate a private CA and a loopback/localhost server certificate at start.
    /// Always on for the embedded host; standalone opt-in.</summary>
    public bool SelfSigned { get; set; }

    /// <summary>Where to write the generated CA as PEM (flash.ps1 copies it onto the device).</summary>
    public string? SelfSignedCaPath { get; set; }

    /// <summary>Embedded use: a server certificate with private key.</summary>
    public X509Certificate2? Certificate { get; set; }
}

/// <summary>
/// OpenTelemetry traces and metrics (docs/gateway.md, "Telemetry"). Off by default: nothing is collected or exported
/// until <see cref="Exporter"/> names where to.
/// </summary>
public sealed class TelemetryOptions
{
    public const string None = "none", Console = "console", Otlp = "otlp";

    /// <summary><c>none</c> (default), <c>otlp</c> (an OpenTelemetry collector) or <c>console</c> (standard output, for a look).</summary>
    public string Exporter { get; set; } = None;

    /// <summary>Export traces (one per device request: the gateway, its database statements and the Antom call).</summary>
    public bool Traces { get; set; } = true;

    /// <summary>Export metrics (the gateway's own, ASP.NET Core's, HttpClient's and Npgsql's).</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>OTLP endpoint; unset: the exporter's default (http://localhost:4317, or OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http</c> (OTLP over HTTP with protobuf).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Share of device requests traced, 0 to 1 (a trace started upstream keeps its own decision).</summary>
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>Seconds between metric exports.</summary>
    public int MetricIntervalSeconds { get; set; } = 60;
}
