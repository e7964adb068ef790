using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Terminal.Tests.Http;

/// <summary>A CA and a loopback server certificate it issued (SAN: IP 127.0.0.1), made once per test run.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Server, X509Certificate2 OtherCa)> Made = new(Make);

    public static X509Certificate2 Ca => Made.Value.Ca;

    /// <summary>The loopback server's certificate with its private key.</summary>
    public static X509Certificate2 Server => Made.Value.Server;

    /// <summary>A CA that did not issue <see cref="Server"/>.</summary>
    public static X509Certificate2 OtherCa => Made.Value.OtherCa;

    private static (X509Certificate2, X509Certificate2, X509Certificate2) Make()
    {
        X509Certificate2 ca = Root("Test Gateway CA");
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        byte[] serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        using X509Certificate2 leaf = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
        using X509Certificate2 withKey = leaf.CopyWithPrivateKey(key);
        X509Certificate2 server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return (ca, server, Root("Some Other CA"));
    }

    private static X509Certificate2 Root(string name)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
