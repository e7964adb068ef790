using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Terminal.Gateway.Security;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Configuration;

/// <summary>
/// Validated configuration with its key material loaded. <see cref="Resolve"/> checks every key and reports all
/// problems at once (missing key, unreadable file, bad URL, ...) in a <see cref="GatewayConfigurationException"/>.
/// Error messages name keys and files, never key contents.
/// </summary>
public sealed class GatewaySettings : IDisposable
{
    private GatewaySettings(GatewayOptions options) => Options = options;

    public GatewayOptions Options { get; }
    public Uri AntomBaseUri { get; private set; } = null!;
    public string AntomClientId { get; private set; } = "";
    public RSA MerchantPrivateKey { get; private set; } = null!;
    public RSA AntomPublicKey { get; private set; } = null!;
    public X509Certificate2? UpstreamTrust { get; private set; }
    public KeyProtector KeyProtector { get; private set; } = null!;

    /// <summary>Keys of the gateway's own hashes (payment codes, replay keys), derived from the key-encryption key.</summary>
    public DataKeys DataKeys { get; private set; } = null!;

    /// <summary>The admin API's token (inline or from <c>AdminTokenPath</c>); null: the admin API is off.</summary>
    public string? AdminToken { get; private set; }
    public DatabaseProvider DatabaseProvider { get; private set; }
    public string ConnectionString { get; private set; } = "";
    public TimeSpan RequestTimeWindow { get; private set; }
    public string NotifyPath { get; private set; } = "";
    public Uri? PublicBaseUri { get; private set; }
    public string InstanceName { get; private set; } = "";
    public TimeProvider Clock { get; private set; } = TimeProvider.System;

    /// <summary>/ams/api, or /ams/sandbox/api when the merchant Client-Id starts with SANDBOX_ (all Antom SDKs do this).</summary>
    public string UpstreamPath(string devicePath)
    {
        string path = devicePath;
        if (AntomClientId.StartsWith("SANDBOX_", StringComparison.Ordinal) && path.StartsWith("/ams/api/", StringComparison.Ordinal))
            path = "/ams/sandbox/api/" + path["/ams/api/".Length..];
        return AntomBaseUri.AbsolutePath.TrimEnd('/') + path;
    }

    public static GatewaySettings Resolve(GatewayOptions options) => Resolve(options, requireUpstream: true);

    /// <summary>For the devices CLI: only what the registry needs (database, key-encryption key, merchant defaults).</summary>
    public static GatewaySettings ResolveStorageOnly(GatewayOptions options) => Resolve(options, requireUpstream: false);

    private static GatewaySettings Resolve(GatewayOptions options, bool requireUpstream)
    {
        var errors = new List<string>();
        var s = new GatewaySettings(options);
        try
        {
            s.ResolveCore(errors, requireUpstream);
        }
        catch
        {
            s.Dispose();
            throw;
        }
        if (errors.Count > 0)
        {
            s.Dispose();
            throw new GatewayConfigurationException(errors);
        }
        return s;
    }

    private void ResolveCore(List<string> errors, bool requireUpstream)
    {
        var o = Options;
        Clock = o.Clock ?? TimeProvider.System;
        InstanceName = string.IsNullOrWhiteSpace(o.InstanceName) ? Environment.MachineName + ":" + Environment.ProcessId : o.InstanceName;

        if (requireUpstream) ResolveUpstream(errors);
        ResolveRest(errors);
    }

    private void ResolveUpstream(List<string> errors)
    {
        var a = Options.Antom;
        if (string.IsNullOrWhiteSpace(a.BaseUrl)) errors.Add("Gateway:Antom:BaseUrl is missing (Antom region URL or the emulator's URL)");
        else if (!Uri.TryCreate(a.BaseUrl, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
            errors.Add($"Gateway:Antom:BaseUrl '{a.BaseUrl}' is not an absolute https URL");
        else if (baseUri.Scheme == Uri.UriSchemeHttp && !a.AllowHttp)
            errors.Add($"Gateway:Antom:BaseUrl '{a.BaseUrl}' is http; Antom requires https (set Gateway:Antom:AllowHttp=true only for local experiments)");
        else AntomBaseUri = baseUri;

        if (string.IsNullOrWhiteSpace(a.ClientId)) errors.Add("Gateway:Antom:ClientId is missing (the merchant's Antom Client-Id)");
        else AntomClientId = a.ClientId.Trim();

        string? privateText = ReadSecret(errors, "Gateway:Antom:MerchantPrivateKey", a.MerchantPrivateKey, a.MerchantPrivateKeyPath);
        if (privateText != null)
        {
            try { MerchantPrivateKey = Rsa256.ImportPrivateKey(privateText); }
            catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
            { errors.Add("Gateway:Antom:MerchantPrivateKey is not an RSA PKCS#8 private key (base64 DER or PEM)"); }
        }
        string? publicText = ReadSecret(errors, "Gateway:Antom:AntomPublicKey", a.AntomPublicKey, a.AntomPublicKeyPath);
        if (publicText != null)
        {
            try { AntomPublicKey = Rsa256.ImportPublicKey(publicText); }
            catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
            { errors.Add("Gateway:Antom:AntomPublicKey is not an RSA X.509 SubjectPublicKeyInfo public key (base64 DER or PEM)"); }
        }
        if (a.KeyVersion <= 0) errors.Add("Gateway:Antom:KeyVersion must be a positive integer");
        if (a.ConnectTimeoutMs <= 0) errors.Add("Gateway:Antom:ConnectTimeoutMs must be positive");
        if (a.AttemptTimeoutMs <= 0) errors.Add("Gateway:Antom:AttemptTimeoutMs must be positive");
        if (a.TotalTimeoutMs < a.AttemptTimeoutMs) errors.Add("Gateway:Antom:TotalTimeoutMs must be at least Gateway:Antom:AttemptTimeoutMs");
        if (a.MaxAttempts < 1) errors.Add("Gateway:Antom:MaxAttempts must be at least 1");
        if (a.MaxAttemptsPayRefund < 1) errors.Add("Gateway:Antom:MaxAttemptsPayRefund must be at least 1");
        if (a.RetryDelayMs < 0) errors.Add("Gateway:Antom:RetryDelayMs must not be negative");
        if (a.TrustedCertificate != null) UpstreamTrust = a.TrustedCertificate;
        else if (!string.IsNullOrWhiteSpace(a.TrustedCertificatePath))
        {
            try { UpstreamTrust = X509Certificate2.CreateFromPem(File.ReadAllText(a.TrustedCertificatePath)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            { errors.Add($"Gateway:Antom:TrustedCertificatePath '{a.TrustedCertificatePath}' is unreadable or not a PEM certificate: {e.GetType().Name}"); }
        }

    }

    private void ResolveRest(List<string> errors)
    {
        var o = Options;

        // Device keys at rest
        string? kekText = ReadSecret(errors, "Gateway:KeyEncryptionKey", o.KeyEncryptionKey, o.KeyEncryptionKeyPath);
        if (kekText != null)
        {
            byte[]? kek = null;
            try { kek = Convert.FromBase64String(kekText.Trim()); }
            catch (FormatException) { errors.Add("Gateway:KeyEncryptionKey is not base64"); }
            if (kek != null && kek.Length != 32) errors.Add($"Gateway:KeyEncryptionKey must be base64 of 32 bytes (it has {kek.Length})");
            else if (kek != null)
            {
                KeyProtector = new KeyProtector(kek);
                DataKeys = new DataKeys(kek);
            }
        }

        // Database
        string provider = (o.Database.Provider ?? "").Trim().ToLowerInvariant();
        if (provider is "sqlite") DatabaseProvider = DatabaseProvider.Sqlite;
        else if (provider is "postgres" or "postgresql" or "npgsql") DatabaseProvider = DatabaseProvider.Postgres;
        else errors.Add($"Gateway:Database:Provider '{o.Database.Provider}' is not sqlite or postgres");
        ConnectionString = o.Database.ConnectionString ?? "";
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (DatabaseProvider == DatabaseProvider.Sqlite) ConnectionString = "Data Source=gateway.db";
            else errors.Add("Gateway:Database:ConnectionString is missing (Npgsql connection string)");
        }
        else
        {
            string? problem = GatewayDatabase.CheckConnectionString(DatabaseProvider, ConnectionString);
            if (problem != null) errors.Add("Gateway:Database:ConnectionString is not valid: " + problem);
        }
        if (o.Database.SqliteSynchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            errors.Add("Gateway:Database:SqliteSynchronous must be FULL, EXTRA or NORMAL");
        if (o.Database.MaxPoolSize is < 1 or > 1000) errors.Add("Gateway:Database:MaxPoolSize must be between 1 and 1000");
        if (o.Database.MinPoolSize < 0 || o.Database.MinPoolSize > o.Database.MaxPoolSize) errors.Add("Gateway:Database:MinPoolSize must be between 0 and MaxPoolSize");
        if (o.Database.ConnectTimeoutSeconds is < 1 or > 300) errors.Add("Gateway:Database:ConnectTimeoutSeconds must be between 1 and 300");
        if (o.Database.CommandTimeoutSeconds is < 1 or > 3600) errors.Add("Gateway:Database:CommandTimeoutSeconds must be between 1 and 3600");
        if (o.Database.IdleLifetimeSeconds is < 1 or > 86400) errors.Add("Gateway:Database:IdleLifetimeSeconds must be between 1 and 86400");

        // Device-facing checks
        if (o.RequestTimeWindowSeconds is < 1 or > 3600) errors.Add("Gateway:RequestTimeWindowSeconds must be between 1 and 3600");
        RequestTimeWindow = TimeSpan.FromSeconds(o.RequestTimeWindowSeconds);
        if (o.MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024) errors.Add("Gateway:MaxRequestBodyBytes must be between 1024 and 16777216");
        if (string.IsNullOrWhiteSpace(o.NotifyPath) || !o.NotifyPath.StartsWith('/') || o.NotifyPath.StartsWith("/ams/", StringComparison.Ordinal) || o.NotifyPath.StartsWith("/admin", StringComparison.Ordinal))
            errors.Add($"Gateway:NotifyPath '{o.NotifyPath}' must start with '/' and not collide with /ams/ or /admin");
        else NotifyPath = o.NotifyPath.TrimEnd('/');
        if (!string.IsNullOrWhiteSpace(o.PublicBaseUrl))
        {
            if (!Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var pub) || (pub.Scheme != Uri.UriSchemeHttps && pub.Scheme != Uri.UriSchemeHttp))
                errors.Add($"Gateway:PublicBaseUrl '{o.PublicBaseUrl}' is not an absolute http(s) URL");
            else PublicBaseUri = pub;
        }
        if (!string.IsNullOrWhiteSpace(o.AdminToken) || !string.IsNullOrWhiteSpace(o.AdminTokenPath))
        {
            AdminToken = ReadSecret(errors, "Gateway:AdminToken", o.AdminToken, o.AdminTokenPath)?.Trim();
            if (AdminToken != null && AdminToken.Length < 16)
                errors.Add("Gateway:AdminToken must be at least 16 characters (or unset to switch the admin API off)");
        }
        if (o.Retention.Days < 1) errors.Add("Gateway:Retention:Days must be at least 1");
        if (o.Recovery.IntervalSeconds < 1) errors.Add("Gateway:Recovery:IntervalSeconds must be at least 1");
        if (o.Recovery.GiveUpAfterHours is < 1 or > 24 * 90) errors.Add("Gateway:Recovery:GiveUpAfterHours must be 1..2160");
        ResolveTelemetry(errors, o.Telemetry);
        if (o.Recovery.StaleAfterSeconds * 1000L < o.Antom.TotalTimeoutMs + 5_000L)
            errors.Add($"Gateway:Recovery:StaleAfterSeconds must be at least Gateway:Antom:TotalTimeoutMs + 5 s ({(o.Antom.TotalTimeoutMs + 5_000 + 999) / 1000} s): a live request must never look stale");
        if (o.Retention.PurgeIntervalMinutes < 1) errors.Add("Gateway:Retention:PurgeIntervalMinutes must be at least 1");
        o.CustomerPage.Validate(errors);
        o.EndOfDay.Validate(errors);

        foreach (string url in o.AdminUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp))
                errors.Add($"Gateway:AdminUrls entry '{url}' is not an absolute http(s) URL");
            else if (o.Urls.Any(d => Uri.TryCreate(d, UriKind.Absolute, out var du) && du.Port == u.Port && u.Port != 0))
                errors.Add($"Gateway:AdminUrls entry '{url}' uses the port of a device listener (Gateway:Urls); the admin API needs its own");
            else if (u.Scheme == Uri.UriSchemeHttps && o.Https.Certificate == null && string.IsNullOrWhiteSpace(o.Https.CertificatePath) && !o.Https.SelfSigned)
                errors.Add($"Gateway:AdminUrls entry '{url}' is https but there is no certificate (set Gateway:Https:CertificatePath and KeyPath, or Gateway:Https:SelfSigned=true)");
        }

        foreach (string url in o.Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp))
                errors.Add($"Gateway:Urls entry '{url}' is not an absolute http(s) URL");
            else if (u.Scheme == Uri.UriSchemeHttps && o.Https.Certificate == null && string.IsNullOrWhiteSpace(o.Https.CertificatePath) && !o.Https.SelfSigned)
                errors.Add($"Gateway:Urls entry '{url}' is https but there is no certificate (set Gateway:Https:CertificatePath and KeyPath, or Gateway:Https:SelfSigned=true)");
        }
        if (!string.IsNullOrWhiteSpace(o.Https.CertificatePath))
        {
            if (!File.Exists(o.Https.CertificatePath)) errors.Add($"Gateway:Https:CertificatePath '{o.Https.CertificatePath}' does not exist");
            if (string.IsNullOrWhiteSpace(o.Https.KeyPath)) errors.Add("Gateway:Https:KeyPath is missing (PEM private key of the certificate)");
            else if (!File.Exists(o.Https.KeyPath)) errors.Add($"Gateway:Https:KeyPath '{o.Https.KeyPath}' does not exist");
        }

        var m = o.Merchant;
        if (m.MaxAmountMinor is <= 0) errors.Add("Gateway:Merchant:MaxAmountMinor must be positive when set");
        foreach (string c in m.Currencies)
            if (!Devices.DeviceValidation.IsCurrency(c)) errors.Add($"Gateway:Merchant:Currencies entry '{c}' is not an ISO 4217 code (3 capital letters)");
    }

    private static void ResolveTelemetry(List<string> errors, TelemetryOptions t)
    {
        if (t.Exporter is not (TelemetryOptions.None or TelemetryOptions.Console or TelemetryOptions.Otlp))
            errors.Add($"Gateway:Telemetry:Exporter '{t.Exporter}' must be none, otlp or console");
        if (t.OtlpProtocol is not ("grpc" or "http")) errors.Add($"Gateway:Telemetry:OtlpProtocol '{t.OtlpProtocol}' must be grpc or http");
        if (t.OtlpEndpoint != null && (!Uri.TryCreate(t.OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
            errors.Add($"Gateway:Telemetry:OtlpEndpoint '{t.OtlpEndpoint}' is not an absolute http(s) URL");
        if (t.TraceSampleRatio is < 0 or > 1 || double.IsNaN(t.TraceSampleRatio)) errors.Add("Gateway:Telemetry:TraceSampleRatio must be between 0 and 1");
        if (t.MetricIntervalSeconds < 1) errors.Add("Gateway:Telemetry:MetricIntervalSeconds must be at least 1");
    }

    /// <summary>Reads a secret given inline or as a file; adds a clear error if neither or the file is unreadable.</summary>
    private static string? ReadSecret(List<string> errors, string key, string? inline, string? path)
    {
        if (!string.IsNullOrWhiteSpace(inline)) return inline;
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{key} is missing (set {key} or {key}Path)");
            return null;
        }
        try
        {
            string text = File.ReadAllText(path);
            if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add($"{key}Path '{path}' is empty");
                return null;
            }
            return text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"{key}Path '{path}' cannot be read: {e.Message}");
            return null;
        }
    }

    public void Dispose()
    {
        MerchantPrivateKey?.Dispose();
        AntomPublicKey?.Dispose();
    }
}
