using System.Security.Cryptography;
using System.Text;

namespace Terminal.Gateway.Security;

/// <summary>
/// Keys of the gateway's own keyed hashes, derived from the key-encryption key with HKDF-Expand (RFC 5869, one
/// block per label): the customer's payment code (kept only as this hash, for idempotency checks) and replay keys
/// (which hash a device's signed content, payment code included), and the tokens of the customer's result page, each
/// derived from a random seed kept in the database (docs/customer-page.md). Keyed, because an 18-digit payment code with a
/// known prefix is within reach of a brute-force search of an unkeyed SHA-256.
/// </summary>
public sealed class DataKeys
{
    private readonly byte[] _paymentCode;
    private readonly byte[] _replay;
    private readonly byte[] _customerLink;

    public DataKeys(byte[] keyEncryptionKey)
    {
        _paymentCode = HKDF.Expand(HashAlgorithmName.SHA256, keyEncryptionKey, 32, Encoding.ASCII.GetBytes("terminal-gateway/payment-code-hash"));
        _replay = HKDF.Expand(HashAlgorithmName.SHA256, keyEncryptionKey, 32, Encoding.ASCII.GetBytes("terminal-gateway/replay-key"));
        _customerLink = HKDF.Expand(HashAlgorithmName.SHA256, keyEncryptionKey, 32, Encoding.ASCII.GetBytes("terminal-gateway/customer-link-token"));
    }

    /// <summary>Lower-case hex HMAC-SHA256 of a payment code.</summary>
    public string PaymentCodeHash(string paymentCode) => Convert.ToHexStringLower(HMACSHA256.HashData(_paymentCode, Encoding.UTF8.GetBytes(paymentCode)));

    /// <summary>Lower-case hex HMAC-SHA256 of a device request's content-to-sign.</summary>
    public string ReplayKey(ReadOnlySpan<byte> contentToSign) => Convert.ToHexStringLower(HMACSHA256.HashData(_replay, contentToSign));

    /// <summary>The result page's token for a link's random seed: the first 16 bytes (128 bits) of HMAC-SHA256(seed) under
    /// the link key. Neither the seed (in the database) nor the key-encryption key alone gives the token.</summary>
    public byte[] CustomerLinkToken(ReadOnlySpan<byte> seed) => HMACSHA256.HashData(_customerLink, seed)[..16];
}
