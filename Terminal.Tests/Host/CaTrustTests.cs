using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Terminal.Host;
using Xunit;

namespace Terminal.Tests.Host;

/// <summary>The optional custom CA: the gateway's certificate must chain to that CA alone.</summary>
public sealed class CaTrustTests
{
    private static X509Certificate2 Root(string name)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Leaf(X509Certificate2 issuer, string host)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        request.CertificateExtensions.Add(san.Build());
        byte[] serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        return request.Create(issuer, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    [Fact]
    public void Only_certificates_issued_by_the_configured_ca_are_trusted()
    {
        X509Certificate2 ca = Root("Gateway CA");
        X509Certificate2 other = Root("Other CA");
        X509Certificate2 good = Leaf(ca, "gw.test");
        X509Certificate2 foreign = Leaf(other, "gw.test");

        Assert.True(HttpClientExchange.ChainsTo(ca, good, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(HttpClientExchange.ChainsTo(ca, foreign, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(HttpClientExchange.ChainsTo(ca, good, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(HttpClientExchange.ChainsTo(ca, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void The_ca_file_may_be_pem()
    {
        X509Certificate2 ca = Root("Gateway CA");
        string path = Path.Combine(Path.GetTempPath(), "ca-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, ca.ExportCertificatePem());
        try
        {
            Assert.Equal(ca.Thumbprint, HttpClientExchange.LoadCertificate(path).Thumbprint);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
