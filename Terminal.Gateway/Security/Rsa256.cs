using System.Security.Cryptography;

namespace Terminal.Gateway.Security;

/// <summary>SHA256withRSA, PKCS#1 v1.5: the Antom hop (merchant private key signs, Antom public key verifies).</summary>
public static class Rsa256
{
    public static byte[] Sign(RSA privateKey, ReadOnlySpan<byte> content) =>
        privateKey.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Signs into <paramref name="signature"/> (the key's size in bytes at least); returns the length.</summary>
    public static int Sign(RSA privateKey, ReadOnlySpan<byte> content, Span<byte> signature) =>
        privateKey.TrySignData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, out int written)
            ? written
            : throw new ArgumentException("the signature does not fit", nameof(signature));

    public static bool Verify(RSA publicKey, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature) =>
        publicKey.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Loads a PKCS#8 private key given as base64 DER or as PEM (<c>-----BEGIN PRIVATE KEY-----</c>).</summary>
    public static RSA ImportPrivateKey(string text)
    {
        var rsa = RSA.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) rsa.ImportFromPem(text);
            else rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(text.Trim()), out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>Loads an X.509 SubjectPublicKeyInfo public key given as base64 DER or as PEM.</summary>
    public static RSA ImportPublicKey(string text)
    {
        var rsa = RSA.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) rsa.ImportFromPem(text);
            else rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text.Trim()), out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
