using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Terminal.AntomEmulator;

/// <summary>
/// RSA instances over one key, rented per operation: <see cref="RSA"/> objects are not documented as thread-safe,
/// and importing the key per request would cost more than the verification itself.
/// </summary>
internal sealed class RsaPool : IDisposable
{
    private readonly ConcurrentBag<RSA> _idle = new();
    private readonly byte[] _key;
    private readonly bool _isPrivate;

    private RsaPool(byte[] key, bool isPrivate)
    {
        _key = key;
        _isPrivate = isPrivate;
    }

    /// <summary>The key as SubjectPublicKeyInfo DER.</summary>
    public byte[] PublicKeySpki { get; private init; } = Array.Empty<byte>();

    public static RsaPool ForPublicKey(byte[] subjectPublicKeyInfo)
    {
        using var probe = RSA.Create();
        probe.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out int read);
        if (read != subjectPublicKeyInfo.Length)
        {
            throw new ArgumentException("trailing bytes after the SubjectPublicKeyInfo", nameof(subjectPublicKeyInfo));
        }

        var pool = new RsaPool((byte[])subjectPublicKeyInfo.Clone(), isPrivate: false) { PublicKeySpki = probe.ExportSubjectPublicKeyInfo() };
        return pool;
    }

    public static RsaPool ForPrivateKey(RSA key)
    {
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        return new RsaPool(pkcs8, isPrivate: true) { PublicKeySpki = key.ExportSubjectPublicKeyInfo() };
    }

    public byte[] Sign(byte[] content)
    {
        RSA rsa = Rent();
        try
        {
            return rsa.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            _idle.Add(rsa);
        }
    }

    public bool Verify(byte[] content, byte[] signature)
    {
        RSA rsa = Rent();
        try
        {
            return rsa.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        finally
        {
            _idle.Add(rsa);
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out RSA? rsa))
        {
            rsa.Dispose();
        }
    }

    private RSA Rent()
    {
        if (_idle.TryTake(out RSA? rsa))
        {
            return rsa;
        }

        rsa = RSA.Create();
        if (_isPrivate)
        {
            rsa.ImportPkcs8PrivateKey(_key, out _);
        }
        else
        {
            rsa.ImportSubjectPublicKeyInfo(_key, out _);
        }

        return rsa;
    }
}
