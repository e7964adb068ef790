using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Resolution;

namespace Terminal.Tests.Gateway.Support;

/// <summary>An embedded gateway wired to a <see cref="FakeAntom"/> and a fresh test database, plus an HttpClient that
/// trusts the gateway's generated CA.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly bool _ownsAntom;
    private readonly bool _ownsDatabase;

    private TestGateway(RunningGateway gateway, FakeAntom antom, TestDatabase database, HttpClient http, CapturingLoggerProvider logs, bool ownsAntom, bool ownsDatabase)
    {
        Gateway = gateway;
        Antom = antom;
        Database = database;
        Http = http;
        Logs = logs;
        _ownsAntom = ownsAntom;
        _ownsDatabase = ownsDatabase;
    }

    public RunningGateway Gateway { get; }
    public FakeAntom Antom { get; }
    public TestDatabase Database { get; }
    public HttpClient Http { get; }
    public CapturingLoggerProvider Logs { get; }

    public static GatewayOptions Options(FakeAntom antom, TestDatabase database, bool https = false) => new()
    {
        Urls = [https ? "https://127.0.0.1:0" : "http://127.0.0.1:0"],
        AdminToken = AdminToken,
        KeyEncryptionKey = TestKeys.KeyEncryptionKey,
        Database = new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString },
        Antom = new AntomOptions
        {
            BaseUrl = antom.BaseUri.ToString(),
            ClientId = antom.ClientId,
            MerchantPrivateKey = TestKeys.MerchantPrivatePkcs8,
            AntomPublicKey = TestKeys.AntomPublicSpki,
            TrustedCertificate = antom.Ca,
            // Generous: the test machine is shared; tests about timeouts set their own short limits.
            AttemptTimeoutMs = 10_000,
            TotalTimeoutMs = 20_000,
            RetryDelayMs = 10,
        },
        Merchant = new MerchantOptions
        {
            ReferenceMerchantId = "M001",
            MerchantName = "Test Shop",
            MerchantMCC = "5812",
            ReferenceStoreId = "S001",
            StoreName = "Test Store",
            StoreMCC = "5812",
        },
    };

    public static async Task<TestGateway> StartAsync(string provider = "sqlite", Action<GatewayOptions>? configure = null, FakeAntom? antom = null, TestDatabase? database = null, bool https = false)
    {
        bool ownsAntom = antom == null, ownsDatabase = database == null;
        antom ??= await FakeAntom.StartAsync();
        database ??= await TestDatabase.CreateAsync(provider);
        var logs = new CapturingLoggerProvider();
        var options = Options(antom, database, https);
        options.ConfigureLogging = l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        configure?.Invoke(options);
        var gateway = await GatewayHost.StartAsync(options);
        // The resolver's start-up pass runs in the background: a test that plants a stale record and runs the resolver
        // itself would otherwise race it (the pass could release the record first).
        await gateway.Services.GetServices<IHostedService>().OfType<ResolverService>().Single().FirstPass;
        var handler = new HttpClientHandler();
        if (gateway.CaCertificate is { } ca)
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            {
                if (errors == System.Net.Security.SslPolicyErrors.None) return true;
                if (cert == null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                return chain.Build(cert);
            };
        return new TestGateway(gateway, antom, database, new HttpClient(handler), logs, ownsAntom, ownsDatabase);
    }

    public async Task<TestDevice> AddDeviceAsync(string deviceId = "T0001", string? store = null, long? maxAmount = null, string[]? currencies = null, string? merchant = null)
    {
        var credentials = await Gateway.RegisterDeviceAsync(new DeviceRegistration(deviceId, merchant, store, null, maxAmount, currencies));
        return Device(credentials);
    }

    public TestDevice Device(DeviceCredentials credentials) =>
        new(Http, Gateway.BaseUri, credentials.DeviceId, credentials.KeyBytes, credentials.KeyVersion);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        if (_ownsAntom) await Antom.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}

/// <summary>Keeps every formatted log line (with its structured values) so tests can check that no secret is logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} {exception}");
        }
    }
}
