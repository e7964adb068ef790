using System.Security.Cryptography;

namespace Terminal.AntomEmulator;

/// <summary>Signs responses and notifications with the emulator's Antom key (RSA256 = SHA-256, PKCS#1 v1.5).</summary>
internal sealed class AntomSigner : IDisposable
{
    private readonly RsaPool _pool;

    public AntomSigner(RSA key, int keyVersion)
    {
        _pool = RsaPool.ForPrivateKey(key);
        KeyVersion = keyVersion;
    }

    public int KeyVersion { get; }

    public byte[] PublicKeySpki => _pool.PublicKeySpki;

    /// <summary>The complete <c>Signature</c> header value over Antom's content to sign.</summary>
    /// <param name="path">Request path (responses: the request's path; notifications: the notify URL's path).</param>
    /// <param name="clientId">The merchant's Client-Id.</param>
    /// <param name="time">The Response-Time / Request-Time header value, byte for byte.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <param name="corrupt">Flip one bit of the signature (the WrongSignature fault).</param>
    public string SignatureHeader(string path, string clientId, string time, ReadOnlySpan<byte> body, bool corrupt = false)
    {
        byte[] signature = _pool.Sign(ContentToSign.Build(path, clientId, time, body));
        if (corrupt)
        {
            signature[signature.Length / 2] ^= 0x01;
        }

        return Terminal.AntomEmulator.SignatureHeader.Format("RSA256", KeyVersion, signature);
    }

    public void Dispose() => _pool.Dispose();
}
