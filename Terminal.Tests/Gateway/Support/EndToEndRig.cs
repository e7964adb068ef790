using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Terminal.AntomEmulator;
using Terminal.Firmware.Config;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Hosting;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.Tests.Gateway.Support;

/// <summary>
/// The whole chain on loopback: terminal engine (Terminal.Firmware + Terminal.Host bindings) -> HTTPS, HS256 ->
/// gateway -> HTTPS, RSA256 -> Antom emulator, with notifyPayment coming back from the emulator to the gateway over
/// HTTPS. Each side trusts only the other's generated CA.
/// </summary>
internal sealed class EndToEndRig : IAsyncDisposable
{
    public const string MerchantClientId = "SANDBOX_E2EMERCHANT01";

    private readonly List<IDisposable> _disposables = new();
    private readonly List<string> _folders = new();

    private EndToEndRig(AntomEmulatorServer emulator, RunningGateway gateway, TestDatabase database, HttpClient http)
    {
        Emulator = emulator;
        Gateway = gateway;
        Database = database;
        Http = http;
    }

    public AntomEmulatorServer Emulator { get; }
    public RunningGateway Gateway { get; }
    public TestDatabase Database { get; }

    /// <summary>A client trusting the gateway's CA (for the hand-made requests of <see cref="TestDevice"/>).</summary>
    public HttpClient Http { get; }

    public static async Task<EndToEndRig> StartAsync(string provider = "sqlite", Action<GatewayOptions>? configure = null)
    {
        X509Certificate2? gatewayCa = null;
        var antomKey = RSA.Create();
        antomKey.ImportFromPem(TestKeyMaterial.AntomPem); // the emulator owns (and disposes) this instance
        var emulator = await AntomEmulatorServer.StartAsync(new AntomEmulatorOptions
        {
            AntomSigningKey = antomKey,
            NotifyRetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)],
            NotifyTimeout = TimeSpan.FromSeconds(5),
            NotifyServerCertificateValidation = (_, certificate, _, errors) => TrustedBy(gatewayCa, certificate, errors),
        });
        emulator.RegisterClient(MerchantClientId, TestKeys.Merchant.ExportSubjectPublicKeyInfo());
        var database = await TestDatabase.CreateAsync(provider);
        var options = new GatewayOptions
        {
            Urls = ["https://127.0.0.1:0"],
            AdminToken = TestGateway.AdminToken,
            KeyEncryptionKey = TestKeys.KeyEncryptionKey,
            Database = new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString },
            Antom = new AntomOptions
            {
                BaseUrl = emulator.BaseUri.ToString(),
                ClientId = MerchantClientId,
                MerchantPrivateKey = TestKeys.MerchantPrivatePkcs8,
                AntomPublicKey = emulator.AntomPublicKeyBase64,
                TrustedCertificate = emulator.CaCertificate,
                AttemptTimeoutMs = 5_000,
                TotalTimeoutMs = 10_000,
                RetryDelayMs = 20,
            },
            Merchant = new MerchantOptions
            {
                ReferenceMerchantId = "M001", MerchantName = "E2E Shop", MerchantMCC = "5812",
                ReferenceStoreId = "S001", StoreName = "E2E Store", StoreMCC = "5812",
            },
        };
        configure?.Invoke(options);
        var gateway = await GatewayHost.StartAsync(options);
        gatewayCa = gateway.CaCertificate;
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(gatewayCa, certificate, errors);
        return new EndToEndRig(emulator, gateway, database, new HttpClient(handler));
    }

    public async Task<DeviceCredentials> RegisterAsync(string deviceId = "T0001") => await Gateway.RegisterDeviceAsync(deviceId);

    /// <summary>A terminal: the real payment engine with the PC bindings, talking to the gateway over HTTPS.</summary>
    public TestTerminal NewTerminal(DeviceCredentials credentials, Action<TerminalConfig>? configure = null)
    {
        var config = new TerminalConfig
        {
            Device = { DeviceId = credentials.DeviceId, KeyVersion = credentials.KeyVersion, Key = credentials.KeyBytes },
            Network = { GatewayUrl = Gateway.BaseUri.ToString(), HttpTimeoutMs = 15_000 },
            Engine = { Currency = "USD", PollIntervalMs = 100, MaxBackoffMs = 400, CpmBudgetMs = 20_000, MpmBudgetMs = 20_000, CancelScheduleMs = [100, 200, 400] },
        };
        configure?.Invoke(config);
        string folder = Directory.CreateTempSubdirectory("gw-e2e-terminal").FullName;
        _folders.Add(folder);
        var http = new HttpClientExchange(Gateway.BaseUri, Gateway.CaCertificate);
        var sleeper = new ThreadSleeper();
        var log = new StringWriter();
        _disposables.Add(http);
        _disposables.Add(sleeper);
        var events = new TerminalEvents();
        var engine = new PaymentEngine(config.Payments, http, new HmacSha256Mac(credentials.KeyBytes), new FolderStorage(folder), new SystemClock(), sleeper,
            new CryptoRandom(), new TextLog(TextWriter.Synchronized(log), global::Terminal.Core.Ports.LogLevel.Debug), events);
        if (!engine.Open()) throw new InvalidOperationException("journal did not open");
        return new TestTerminal(engine, events, log);
    }

    private static bool TrustedBy(X509Certificate2? ca, X509Certificate? certificate, System.Net.Security.SslPolicyErrors errors)
    {
        if (errors == System.Net.Security.SslPolicyErrors.None) return true;
        if (ca == null || certificate == null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        foreach (var d in _disposables) d.Dispose();
        await Gateway.DisposeAsync();
        await Emulator.DisposeAsync();
        await Database.DisposeAsync();
        foreach (string f in _folders)
        {
            try { Directory.Delete(f, true); } catch (IOException) { }
        }
    }

    /// <summary>A payment engine with its events and log.</summary>
    internal sealed record TestTerminal(PaymentEngine Engine, TerminalEvents Events, StringWriter Log)
    {
        public Task<PaymentResult> SaleAsync(TransactionKind mode, long amount, string reference, string? code = null) =>
            Task.Run(() => Engine.RunSale(new SaleRequest { Mode = mode, AmountMinor = amount, Reference = reference, PaymentCode = code }));
    }
}

/// <summary>Engine events, thread-safe, with a wait for the QR code.</summary>
internal sealed class TerminalEvents : IPaymentEvents
{
    private readonly TaskCompletionSource<string> _qr = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Events { get; } = new();
    public ConcurrentQueue<PaymentResult> Results { get; } = new();

    /// <summary>The codeValue of the first QR shown.</summary>
    public Task<string> QrShown => _qr.Task;

    public void OnProcessing() => Events.Enqueue("processing");

    public void OnShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
    {
        Events.Enqueue("qr");
        _qr.TrySetResult(System.Text.Encoding.UTF8.GetString(codeValue, offset, count));
    }

    public void OnWaitingForCustomer() => Events.Enqueue("waiting");
    public void OnCancelling() => Events.Enqueue("cancelling");

    public void OnResult(PaymentResult result)
    {
        Results.Enqueue(result);
        Events.Enqueue("result");
    }

    public void OnNeedsReview(PaymentResult result)
    {
        Results.Enqueue(result);
        Events.Enqueue("review");
    }
}
