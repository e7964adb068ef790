using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Terminal.Gateway.Security;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// The result page's tokens: 128 bits, written as 22 characters of unpadded base64url (RFC 4648 section 5). A token is
/// derived from a random 16-byte seed with a key only the gateway holds (<see cref="DataKeys.CustomerLinkToken"/>); the
/// database keeps the seed and the SHA-256 of the token, never the token. It names nothing: not the
/// paymentRequestId, the device or the store.
/// </summary>
public static class LinkTokens
{
    public const int Length = 22;

    /// <summary>A fresh random seed, base64 as stored.</summary>
    public static string NewSeed() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string FromSeed(DataKeys keys, string seed) => Base64Url.EncodeToString(keys.CustomerLinkToken(Convert.FromBase64String(seed)));

    /// <summary>Lower-case hex SHA-256 of the token: the key the link is found by.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>True when <paramref name="text"/> has the shape of a token (the database is not asked about anything else).</summary>
    public static bool IsWellFormed(string? text)
    {
        if (text is not { Length: Length }) return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_') return false;
        }
        return true;
    }
}
