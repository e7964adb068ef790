using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Terminal.Benchmarks.Gateway;

/// <summary>TLS to a server whose certificate a private CA signed (the gateway's or a test upstream's).</summary>
internal static class TrustedCa
{
    /// <summary>True when the certificate is fine by the system, or chains to <paramref name="ca"/>.</summary>
    public static bool Accepts(X509Certificate2? ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (ca == null || certificate == null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    public static SocketsHttpHandler Handler(X509Certificate2 ca)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Accepts(ca, certificate, errors);
        return handler;
    }
}
