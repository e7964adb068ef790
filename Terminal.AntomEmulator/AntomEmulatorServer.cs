using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Terminal.AntomEmulator;

/// <summary>
/// A running Antom emulator: the in-store payment API on Kestrel (HTTPS with a CA made at start, or plain HTTP),
/// with the simulated customer (<see cref="Wallet"/>), fault injection (<see cref="Faults"/>), the emulator's own
/// records (<see cref="Records"/>) and a movable clock (<see cref="Clock"/>). Start one with <see cref="StartAsync"/>,
/// register the merchant's public key with <see cref="RegisterClient(string, byte[], int)"/>, point the client at
/// <see cref="BaseUri"/> trusting <see cref="CaCertificate"/>, and verify answers with <see cref="AntomPublicKey"/>.
/// All members are thread-safe. See docs/antom-emulator.md.
/// </summary>
public sealed class AntomEmulatorServer : IAsyncDisposable
{
    private const string SigningKeyBlob = "antom-signing-key";
    private const string AuthorityBlob = "certificate-authority";

    private readonly WebApplication _app;
    private readonly EmulatorState _state;
    private readonly ClientRegistry _clients;
    private readonly AntomSigner _signer;
    private readonly NotificationSender _notifier;
    private readonly EmulatorCertificates _certificates;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sweeper;
    private int _disposed;

    private AntomEmulatorServer(WebApplication app, EmulatorState state, ClientRegistry clients, AntomSigner signer,
        NotificationSender notifier, EmulatorCertificates certificates, EmulatorFaults faults)
    {
        _app = app;
        _state = state;
        _clients = clients;
        _signer = signer;
        _notifier = notifier;
        _certificates = certificates;
        Faults = faults;
        Wallet = new EmulatorWallet(state);
        Records = new EmulatorRecords(state);
        CaCertificate = X509CertificateLoader.LoadCertificate(certificates.Authority.RawData);
        CaCertificatePem = certificates.Authority.ExportCertificatePem();
        state.Clock.Advanced += OnClockAdvanced;
        _sweeper = Task.Run(SweepAsync);
    }

    /// <summary>The first HTTPS endpoint, else the first HTTP one, e.g. <c>https://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUri => HttpsBaseUri ?? HttpBaseUri!;

    /// <summary>The first HTTPS endpoint, or null.</summary>
    public Uri? HttpsBaseUri { get; private set; }

    /// <summary>The first plain HTTP endpoint, or null.</summary>
    public Uri? HttpBaseUri { get; private set; }

    /// <summary>The CA that issued the server certificate (public part): trust it, and only it, for <see cref="HttpsBaseUri"/>.</summary>
    public X509Certificate2 CaCertificate { get; }

    /// <summary><see cref="CaCertificate"/> as PEM (<c>-----BEGIN CERTIFICATE-----</c>).</summary>
    public string CaCertificatePem { get; }

    /// <summary>Antom's public key (X.509 SubjectPublicKeyInfo DER) for verifying responses and notifications.</summary>
    public byte[] AntomPublicKey => (byte[])_signer.PublicKeySpki.Clone();

    /// <summary><see cref="AntomPublicKey"/> as standard base64, the form Antom's dashboard shows.</summary>
    public string AntomPublicKeyBase64 => Convert.ToBase64String(_signer.PublicKeySpki);

    /// <summary>The keyVersion in the emulator's Signature headers.</summary>
    public int AntomKeyVersion => _signer.KeyVersion;

    /// <summary>The simulated customer and wallet.</summary>
    public EmulatorWallet Wallet { get; }

    /// <summary>Fault injection.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>The emulator's own view of payments, refunds and notifications.</summary>
    public EmulatorRecords Records { get; }

    /// <summary>The business clock; <see cref="EmulatorClock.Advance"/> moves it forward.</summary>
    public EmulatorClock Clock => _state.Clock;

    /// <summary>Starts an emulator. State comes from <see cref="AntomEmulatorOptions.SqlitePath"/> if set.</summary>
    /// <exception cref="ArgumentException">An option is invalid (URL, currency ...).</exception>
    public static async Task<AntomEmulatorServer> StartAsync(AntomEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AntomEmulatorOptions();
        var endpoints = ParseUrls(options.Urls);
        Currencies.Get(options.WalletCurrency);
        if (options.SettlementCurrency != null)
        {
            Currencies.Get(options.SettlementCurrency);
        }

        IStateStore store = options.SqlitePath != null ? new SqliteStateStore(options.SqlitePath) : new MemoryOnlyStore();
        var clock = new EmulatorClock(options.TimeProvider);
        var state = new EmulatorState(options, clock, store);
        var clients = new ClientRegistry();
        AntomSigner? signer = null;
        NotificationSender? notifier = null;
        EmulatorCertificates? certificates = null;
        WebApplication? app = null;
        try
        {
            signer = CreateSigner(options, store);
            certificates = CreateCertificates(options, store);
            StoredState stored = store.Load();
            foreach (var key in stored.ClientKeys)
            {
                clients.Register(key.ClientId, key.SubjectPublicKeyInfo, key.KeyVersion);
            }

            notifier = new NotificationSender(state, signer);
            state.Notifications = notifier;
            var faults = new EmulatorFaults(options.Seed, clock);
            var handler = new AntomApiHandler(state, new RequestAuthenticator(clients, clock, options.MaxRequestTimeSkew), signer, faults);
            app = BuildApp(options, endpoints, certificates.Server);
            var server = new AntomEmulatorServer(app, state, clients, signer, notifier, certificates, faults);
            var control = options.EnableControlApi ? new ControlApi(server) : null;
            app.Run(context =>
                control != null && ControlApi.Owns(context.Request.Path) ? control.HandleAsync(context) : handler.HandleAsync(context));
            lock (state.Gate)
            {
                state.Restore(stored);
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (string url in app.Urls)
            {
                var uri = new Uri(url.EndsWith('/') ? url : url + "/");
                if (uri.Scheme == Uri.UriSchemeHttps)
                {
                    server.HttpsBaseUri ??= uri;
                }
                else
                {
                    server.HttpBaseUri ??= uri;
                }
            }

            return server;
        }
        catch
        {
            if (app != null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            if (notifier != null)
            {
                await notifier.DisposeAsync().ConfigureAwait(false);
            }

            signer?.Dispose();
            certificates?.Dispose();
            clients.Dispose();
            state.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Registers (or replaces) version <paramref name="keyVersion"/> of a merchant's public key. Several versions may
    /// be registered; a request's Signature keyVersion picks one, and a Signature without keyVersion uses the highest.
    /// </summary>
    /// <param name="clientId">The Client-Id the merchant sends.</param>
    /// <param name="merchantPublicKeySpki">RSA public key, X.509 SubjectPublicKeyInfo DER.</param>
    /// <param name="keyVersion">Key version (default 1, as the SDKs send).</param>
    /// <exception cref="ArgumentException">Not an RSA SubjectPublicKeyInfo.</exception>
    public void RegisterClient(string clientId, byte[] merchantPublicKeySpki, int keyVersion = 1)
    {
        _clients.Register(clientId, merchantPublicKeySpki, keyVersion);
        lock (_state.Gate)
        {
            _state.SaveClientKey(new StoredClientKey(clientId, keyVersion, (byte[])merchantPublicKeySpki.Clone()));
        }
    }

    /// <summary>As <see cref="RegisterClient(string, byte[], int)"/>, with the key as base64 SPKI or a PEM "PUBLIC KEY" block.</summary>
    public void RegisterClient(string clientId, string merchantPublicKey, int keyVersion = 1) =>
        RegisterClient(clientId, ParsePublicKey(merchantPublicKey), keyVersion);

    /// <summary>
    /// A handler that trusts exactly <see cref="CaCertificate"/> for TLS (chain built against it, host name checked),
    /// for tools and tests that talk to <see cref="HttpsBaseUri"/>.
    /// </summary>
    public SocketsHttpHandler CreateTrustingHandler()
    {
        var authority = X509CertificateLoader.LoadCertificate(CaCertificate.RawData);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
        return handler;
    }

    /// <summary>Stops the server and the notification sender; with SQLite the state stays in the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _state.Clock.Advanced -= OnClockAdvanced;
        _stop.Cancel();
        await _sweeper.ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _notifier.DisposeAsync().ConfigureAwait(false);
        _signer.Dispose();
        _clients.Dispose();
        lock (_state.Gate)
        {
            _state.Dispose();
        }

        _certificates.Dispose();
        CaCertificate.Dispose();
        _stop.Dispose();
    }

    internal EmulatorState State => _state;

    internal static byte[] ParsePublicKey(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        text = text.Trim();
        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var fields = PemEncoding.Find(text);
            if (text[fields.Label] != "PUBLIC KEY")
            {
                throw new ArgumentException("expected a PEM PUBLIC KEY block (SubjectPublicKeyInfo)", nameof(text));
            }

            return Convert.FromBase64String(text[fields.Base64Data]);
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("the public key is neither PEM nor base64", nameof(text), e);
        }
    }

    private static AntomSigner CreateSigner(AntomEmulatorOptions options, IStateStore store)
    {
        if (options.AntomSigningKey != null)
        {
            return new AntomSigner(options.AntomSigningKey, options.AntomKeyVersion);
        }

        using var key = RSA.Create();
        byte[]? saved = store.GetBlob(SigningKeyBlob);
        if (saved != null)
        {
            key.ImportPkcs8PrivateKey(saved, out _);
        }
        else
        {
            key.KeySize = 2048;
            store.SetBlob(SigningKeyBlob, key.ExportPkcs8PrivateKey());
        }

        return new AntomSigner(key, options.AntomKeyVersion);
    }

    private static EmulatorCertificates CreateCertificates(AntomEmulatorOptions options, IStateStore store)
    {
        // Certificates use real time: moving the business clock must not break TLS.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (options.CertificateAuthority != null)
        {
            return EmulatorCertificates.Create(options.CertificateAuthority, options.ServerCertificateHostNames, now);
        }

        byte[]? saved = store.GetBlob(AuthorityBlob);
        using X509Certificate2 authority = saved != null ? EmulatorCertificates.LoadAuthority(saved) : EmulatorCertificates.CreateAuthority(now);
        if (saved == null)
        {
            store.SetBlob(AuthorityBlob, EmulatorCertificates.ExportAuthority(authority));
        }

        return EmulatorCertificates.Create(authority, options.ServerCertificateHostNames, now);
    }

    private static WebApplication BuildApp(AntomEmulatorOptions options, IReadOnlyList<(bool Https, IPEndPoint EndPoint)> endpoints, X509Certificate2 serverCertificate)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AntomEmulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = Array.Empty<string>(),
        });
        builder.Logging.ClearProviders();
        if (options.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        }

        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var (https, endPoint) in endpoints)
            {
                kestrel.Listen(endPoint, listen =>
                {
                    if (https)
                    {
                        listen.UseHttps(serverCertificate);
                    }
                });
            }
        });
        return builder.Build();
    }

    private static List<(bool Https, IPEndPoint EndPoint)> ParseUrls(IList<string> urls)
    {
        if (urls == null || urls.Count == 0)
        {
            throw new ArgumentException("at least one URL is needed", nameof(urls));
        }

        var endpoints = new List<(bool, IPEndPoint)>();
        foreach (string url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"'{url}' is not an http:// or https:// URL", nameof(urls));
            }

            IPAddress address;
            if (uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns)
            {
                address = IPAddress.Loopback;
            }
            else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address!))
            {
                throw new ArgumentException($"'{url}': the host must be an IP address or localhost", nameof(urls));
            }

            endpoints.Add((uri.Scheme == Uri.UriSchemeHttps, new IPEndPoint(address, uri.Port)));
        }

        return endpoints;
    }

    private void OnClockAdvanced(object? sender, EventArgs e)
    {
        lock (_state.Gate)
        {
            _state.ExpireDue(_state.Clock.GetUtcNow());
        }
    }

    // Closes abandoned payments on time (and sends their notifications) even when nobody asks about them.
    private async Task SweepAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                lock (_state.Gate)
                {
                    _state.ExpireDue(_state.Clock.GetUtcNow());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
