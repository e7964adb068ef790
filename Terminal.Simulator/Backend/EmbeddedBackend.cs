using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Terminal.AntomEmulator;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Hosting;
using Terminal.Host;
using Terminal.Simulator.Devices;

namespace Terminal.Simulator.Backend;

/// <summary>How the embedded Antom emulator and gateway are set up.</summary>
public sealed record BackendSettings
{
    /// <summary>Where keys, databases and terminal.json live.</summary>
    public required string DataFolder { get; init; }

    /// <summary>True: SQLite files in the data folder keep payments, devices and keys across runs; false: memory
    /// (the emulator) and a throw-away database (the gateway).</summary>
    public bool Persistent { get; init; } = true;

    /// <summary>How long an order code can be paid (the emulator's default lifetime).</summary>
    public TimeSpan OrderCodeLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Seed of the emulator's randomness (codes, fault draws).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The gateway's limit for one attempt toward Antom, and for all attempts of one device request.</summary>
    public int UpstreamAttemptTimeoutMs { get; init; } = 5000;

    public int UpstreamTotalTimeoutMs { get; init; } = 8000;

    public int UpstreamRetryDelayMs { get; init; } = 50;

    /// <summary>The gateway's and the emulator's own logs on the console (diagnosis).</summary>
    public bool BackendLog { get; init; }
}

/// <summary>
/// The payment world on loopback: the Antom emulator (HTTPS, simulated customer wallet) and the merchant gateway
/// (HTTPS, SQLite), as in production but in this process. They share the emulator's movable clock, which the
/// simulated terminal uses too (<see cref="Clock"/>), so that jumping time forward is consistent everywhere.
/// Provisioning registers the device with the gateway and writes its terminal.json, as flash.ps1 does for a real one.
/// </summary>
public sealed class EmbeddedBackend : IAsyncDisposable
{
    public const string MerchantClientId = "SIMMERCHANT0001";
    public const string CaFileName = "gateway-ca.pem";

    /// <summary>The admin API's bearer token (owner-only file in the data folder): bundles and rollouts, for the
    /// simulator's <c>update</c> command and for curl by hand (docs/simulator.md, "Over-the-air updates").</summary>
    public const string AdminTokenFileName = "gateway-admin-token.txt";

    private readonly BackendSettings _settings;

    private EmbeddedBackend(BackendSettings settings, AntomEmulatorServer emulator, RunningGateway gateway)
    {
        _settings = settings;
        Emulator = emulator;
        Gateway = gateway;
        Clock = new WorldClock(emulator.Clock, () => emulator.Clock.Offset);
    }

    public AntomEmulatorServer Emulator { get; }

    public RunningGateway Gateway { get; }

    /// <summary>The terminal's clocks: the emulator's wall clock, and a monotonic count that jumps with it.</summary>
    public WorldClock Clock { get; }

    public string DataFolder => _settings.DataFolder;

    public static async Task<EmbeddedBackend> StartAsync(BackendSettings settings)
    {
        Directory.CreateDirectory(settings.DataFolder);
        using RSA merchantKey = LoadOrCreateMerchantKey(Path.Combine(settings.DataFolder, "merchant-key.pem"));
        X509Certificate2? gatewayCa = null;
        var emulator = await AntomEmulatorServer.StartAsync(new AntomEmulatorOptions
        {
            Seed = settings.Seed,
            SqlitePath = settings.Persistent ? Path.Combine(settings.DataFolder, "antom-emulator.db") : null,
            OrderCodeLifetime = settings.OrderCodeLifetime,
            NotifyRetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)],
            NotifyTimeout = TimeSpan.FromSeconds(5),
            NotifyServerCertificateValidation = (_, certificate, _, errors) => TrustedBy(gatewayCa, certificate, errors),
            ConsoleLogging = settings.BackendLog,
        });
        try
        {
            emulator.RegisterClient(MerchantClientId, merchantKey.ExportSubjectPublicKeyInfo());
            string database = settings.Persistent
                ? Path.Combine(settings.DataFolder, "gateway.db")
                : Path.Combine(settings.DataFolder, "gateway-" + Guid.NewGuid().ToString("N") + ".db");
            var gateway = await GatewayHost.StartAsync(new GatewayOptions
            {
                Urls = ["https://127.0.0.1:0"],
                KeyEncryptionKey = LoadOrCreateSecret(Path.Combine(settings.DataFolder, "gateway-kek.txt")),
                AdminToken = LoadOrCreateSecret(Path.Combine(settings.DataFolder, AdminTokenFileName)),
                Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + database },
                Clock = emulator.Clock,
                ConfigureLogging = settings.BackendLog ? b => Microsoft.Extensions.Logging.ConsoleLoggerExtensions.AddSimpleConsole(b) : null,
                Https = new HttpsOptions { SelfSigned = true, SelfSignedCaPath = Path.Combine(settings.DataFolder, CaFileName) },
                Antom = new AntomOptions
                {
                    BaseUrl = emulator.BaseUri.ToString(),
                    ClientId = MerchantClientId,
                    MerchantPrivateKey = merchantKey.ExportPkcs8PrivateKeyPem(),
                    AntomPublicKey = emulator.AntomPublicKeyBase64,
                    TrustedCertificate = emulator.CaCertificate,
                    AttemptTimeoutMs = settings.UpstreamAttemptTimeoutMs,
                    TotalTimeoutMs = settings.UpstreamTotalTimeoutMs,
                    RetryDelayMs = settings.UpstreamRetryDelayMs,
                },
                Merchant = new MerchantOptions
                {
                    ReferenceMerchantId = "M001", MerchantName = "Simulator Shop", MerchantMCC = "5812",
                    ReferenceStoreId = "S001", StoreName = "Simulator Store", StoreMCC = "5812",
                },
            });
            gatewayCa = gateway.CaCertificate;
            var backend = new EmbeddedBackend(settings, emulator, gateway);
            backend.ConsolePassword = await backend.EnsureConsoleOperatorAsync();
            return backend;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Registers the device with the gateway (or reuses its registration and key from an existing terminal.json;
    /// a device the gateway knows without a usable file gets a new key) and writes terminal.json. Returns its path.
    /// </summary>
    public async Task<string> ProvisionAsync(string deviceId, string displayName, TerminalTimings timings)
    {
        string path = Path.Combine(DataFolder, DeviceConfigFile.FileName);
        var existing = DeviceConfigFile.ReadIdentity(path);
        Terminal.Gateway.Devices.Device? known = await Gateway.Devices.FindAsync(deviceId);
        int keyVersion;
        string key;
        if (existing is { } e && e.DeviceId == deviceId && known != null && await KeyStillValidAsync(deviceId, e.KeyVersion))
        {
            (keyVersion, key) = (e.KeyVersion, e.Key);
        }
        else
        {
            DeviceCredentials credentials = known == null
                ? await Gateway.RegisterDeviceAsync(deviceId)
                : await Gateway.Devices.RotateKeyAsync(deviceId) ?? throw new InvalidOperationException("device " + deviceId + " vanished from the gateway");
            (keyVersion, key) = (credentials.KeyVersion, credentials.Key);
        }

        File.WriteAllText(Path.Combine(DataFolder, CaFileName), Gateway.CaCertificatePem);
        DeviceConfigFile.Write(path, deviceId, keyVersion, key, Gateway.BaseUri.ToString().TrimEnd('/'), CaFileName, "USD", displayName, timings);
        return path;
    }

    /// <summary>The console account the simulator makes for the person running it (an operator: everything).</summary>
    public const string ConsoleUser = "operator";

    /// <summary>Where the console answers: the gateway's admin listener, loopback only.</summary>
    public Uri ConsoleUri => new(Gateway.AdminBaseUri, "/console");

    /// <summary>The password of <see cref="ConsoleUser"/>, kept (owner-only) in console-password.txt of the data folder;
    /// null when the account exists but its password was changed since (the file no longer says it).</summary>
    public string? ConsolePassword { get; private set; }

    /// <summary>
    /// Creates <see cref="ConsoleUser"/> with a random password on first start (a persistent data folder keeps it for
    /// the next runs). A real gateway makes its first account with <c>Terminal.Gateway users add</c> instead.
    /// </summary>
    private async Task<string?> EnsureConsoleOperatorAsync()
    {
        var users = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Terminal.Gateway.OperationsConsole.Accounts.ConsoleUsers>(Gateway.Services);
        string file = Path.Combine(DataFolder, "console-password.txt");
        string? kept = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        if (await users.FindAsync(ConsoleUser) != null)
        {
            return kept != null && await users.PasswordMatchesAsync(ConsoleUser, kept) ? kept : null;
        }

        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('/', 'x').Replace('+', 'y');
        await users.AddAsync(ConsoleUser, Terminal.Gateway.OperationsConsole.Accounts.ConsoleRoles.Operator, password);
        File.WriteAllText(file, password);
        RestrictToOwner(file);
        return password;
    }

    /// <summary>The admin API's bearer token.</summary>
    public string AdminToken => File.ReadAllText(Path.Combine(DataFolder, AdminTokenFileName)).Trim();

    /// <summary>A client of the admin listener (the admin API with its bearer token), trusting only the gateway's CA.</summary>
    public HttpClient CreateAdminClient()
    {
        X509Certificate2? ca = Gateway.CaCertificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(ca, certificate, errors) },
        };
        var client = new HttpClient(handler) { BaseAddress = Gateway.AdminBaseUri, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>The link from the terminal to this gateway, trusting only the gateway's CA.</summary>
    public HttpClientExchange CreateHttp() => new(Gateway.BaseUri, Gateway.CaCertificate);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Emulator.DisposeAsync();
        if (!_settings.Persistent)
        {
            foreach (string file in Directory.GetFiles(DataFolder, "gateway-*.db*"))
            {
                TryDelete(file);
            }
        }
    }

    private async Task<bool> KeyStillValidAsync(string deviceId, int keyVersion)
    {
        var found = await Gateway.Devices.FindWithKeysAsync(deviceId);
        return found is { } f && f.Keys.Any(k => k.KeyVersion == keyVersion);
    }

    private static RSA LoadOrCreateMerchantKey(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }

        rsa.KeySize = 2048;
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        RestrictToOwner(path);
        return rsa;
    }

    private static string LoadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        RestrictToOwner(path);
        return secret;
    }

    private static void RestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static bool TrustedBy(X509Certificate2? ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (ca == null || certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
    }
}
