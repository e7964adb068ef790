using System.Security.Cryptography;
using Terminal.Core.Ports;

namespace Terminal.Host;

/// <summary>HMAC-SHA256 with a key (the device key, or a key derived from it) through .NET's <see cref="HMACSHA256"/>; allocation-free per call.</summary>
public sealed class HmacSha256Mac : IMac
{
    private readonly byte[] _key;

    public HmacSha256Mac(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = (byte[])key.Clone();
    }

    public void Compute(byte[] data, int offset, int count, byte[] output, int outputOffset)
    {
        HMACSHA256.HashData(_key, data.AsSpan(offset, count), output.AsSpan(outputOffset, 32));
    }

    public IMac WithKey(byte[] key) => new HmacSha256Mac(key);
}
