using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Terminal.AntomEmulator;

/// <summary>
/// The TLS material made at start: a CA (ECDSA P-256, exportable so clients can trust it) and a loopback server
/// certificate it issues (SAN localhost, 127.0.0.1, ::1 and any extra names).
/// </summary>
internal sealed class EmulatorCertificates : IDisposable
{
    private EmulatorCertificates(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>The CA with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    public static X509Certificate2 CreateAuthority(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Antom Emulator Test CA, O=Terminal test only", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
        return Reload(created);
    }

    public static EmulatorCertificates Create(X509Certificate2 authority, IEnumerable<string> extraHostNames, DateTimeOffset now)
    {
        if (!authority.HasPrivateKey)
        {
            throw new ArgumentException("the certificate authority needs its private key", nameof(authority));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=Antom Emulator", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (string name in extraHostNames)
        {
            if (IPAddress.TryParse(name, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));

        byte[] serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var notAfter = now.AddYears(2) < authority.NotAfter ? now.AddYears(2) : new DateTimeOffset(authority.NotAfter);
        using var issued = request.Create(authority, now.AddDays(-1), notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return new EmulatorCertificates(Reload(authority), Reload(withKey));
    }

    public static X509Certificate2 LoadAuthority(byte[] pkcs12) => X509CertificateLoader.LoadPkcs12(pkcs12, null, X509KeyStorageFlags.Exportable);

    public static byte[] ExportAuthority(X509Certificate2 authority) => authority.Export(X509ContentType.Pkcs12);

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }

    // A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
}
