using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Terminal.Gateway.Hosting;

/// <summary>
/// A private CA and a server certificate signed by it, for the embedded host (simulator, tests) and for a standalone
/// gateway started with Gateway:Https:SelfSigned=true. Devices trust the CA (docs/configuration.md caCertificate).
/// ECDSA P-256 keys: small, fast, and supported by mbedTLS on the ESP32.
/// </summary>
public static class SelfSignedCertificates
{
    public static X509Certificate2 CreateCa(string commonName = "Terminal Gateway CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + commonName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return Reload(ca);
    }

    /// <summary>A server certificate for the given names and addresses (localhost and loopback are always included).</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 ca, IEnumerable<string>? dnsNames = null, IEnumerable<IPAddress>? addresses = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in new[] { "localhost" }.Concat(dnsNames ?? []).Distinct(StringComparer.OrdinalIgnoreCase)) san.AddDnsName(name);
        foreach (var ip in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }.Concat(addresses ?? []).Distinct()) san.AddIpAddress(ip);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(ca, now.AddDays(-1), now.AddYears(2), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>Loads a CA from PEM files (certificate and private key) or creates and writes one.</summary>
    public static X509Certificate2 LoadOrCreateCa(string certificatePath, string keyPath)
    {
        if (File.Exists(certificatePath) && File.Exists(keyPath))
            return Reload(X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
        var ca = CreateCa();
        string? folder = Path.GetDirectoryName(Path.GetFullPath(certificatePath));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        File.WriteAllText(certificatePath, ca.ExportCertificatePem());
        File.WriteAllText(keyPath, ca.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return ca;
    }

    /// <summary>Round trip through PKCS#12 so the private key is usable by SslStream on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
