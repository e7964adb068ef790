using System.Security.Cryptography;
using System.Text;

namespace Terminal.Gateway.Security;

/// <summary>
/// Encrypts device HMAC keys at rest with AES-256-GCM under the key-encryption key from configuration.
/// Stored form: <c>v1.&lt;base64(nonce[12] | ciphertext | tag[16])&gt;</c>; the associated data binds a ciphertext to its
/// device id and key version, so a row copied onto another device does not decrypt.
/// </summary>
public sealed class KeyProtector
{
    private const string Prefix = "v1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public KeyProtector(byte[] keyEncryptionKey)
    {
        if (keyEncryptionKey.Length != 32)
            throw new ArgumentException("the key-encryption key must be 32 bytes (AES-256)", nameof(keyEncryptionKey));
        _key = (byte[])keyEncryptionKey.Clone();
    }

    public string Protect(string deviceId, int keyVersion, ReadOnlySpan<byte> deviceKey)
    {
        byte[] blob = new byte[NonceSize + deviceKey.Length + TagSize];
        Span<byte> nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, deviceKey, blob.AsSpan(NonceSize, deviceKey.Length), blob.AsSpan(NonceSize + deviceKey.Length), Aad(deviceId, keyVersion));
        return Prefix + Convert.ToBase64String(blob);
    }

    /// <exception cref="CryptographicException">Wrong key-encryption key, tampered row, or row of another device.</exception>
    public byte[] Unprotect(string deviceId, int keyVersion, string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
            throw new CryptographicException("stored device key has an unknown format");
        byte[] blob = Convert.FromBase64String(stored[Prefix.Length..]);
        if (blob.Length < NonceSize + TagSize)
            throw new CryptographicException("stored device key is truncated");
        byte[] plain = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize, plain.Length), blob.AsSpan(NonceSize + plain.Length), plain, Aad(deviceId, keyVersion));
        return plain;
    }

    private static byte[] Aad(string deviceId, int keyVersion) => Encoding.UTF8.GetBytes("device-key:" + deviceId + ":" + keyVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
