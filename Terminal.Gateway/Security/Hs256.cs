using System.Security.Cryptography;

namespace Terminal.Gateway.Security;

/// <summary>HMAC-SHA256 signatures of the terminal hop (the device key never leaves device and gateway).</summary>
public static class Hs256
{
    public static byte[] Sign(ReadOnlySpan<byte> key, ReadOnlySpan<byte> content) => HMACSHA256.HashData(key, content);

    /// <summary>Signs into <paramref name="mac"/> (<see cref="HMACSHA256.HashSizeInBytes"/> bytes).</summary>
    public static void Sign(ReadOnlySpan<byte> key, ReadOnlySpan<byte> content, Span<byte> mac) => HMACSHA256.HashData(key, content, mac);

    /// <summary>Constant-time comparison of the expected MAC with the presented one.</summary>
    public static bool Verify(ReadOnlySpan<byte> key, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, content, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
