using System.Security.Cryptography;
using System.Text;

namespace Terminal.Gateway.DeviceApi;

/// <summary>
/// Per-direction signing keys derived from a provisioned device key K (32 random bytes):
/// <c>K_label = HMAC-SHA256(K, ASCII(label) || 0x01)</c>, which is HKDF-Expand (RFC 5869 section 2.3) with K as the
/// pseudorandom key, the label as info and one 32-byte output block (K is uniformly random, so the Extract step
/// is not needed, RFC 5869 section 3.3). Labels are <c>qr-terminal-hs256/&lt;message type&gt;/&lt;direction&gt;</c>.
/// The terminal derives the same keys from the same stored K (Terminal.Payments/Antom/SignatureKeys.cs), so
/// provisioned devices keep their key: nothing is re-provisioned.
/// </summary>
public static class DeviceKeys
{
    public const string LabelPrefix = "qr-terminal-hs256/";
    public const string DeviceToGateway = "device-to-gateway";
    public const string GatewayToDevice = "gateway-to-device";

    public static string Label(string messageType, string direction) => LabelPrefix + messageType + "/" + direction;

    public static byte[] Derive(ReadOnlySpan<byte> deviceKey, string label)
    {
        byte[] info = new byte[Encoding.ASCII.GetByteCount(label) + 1];
        Encoding.ASCII.GetBytes(label, info);
        info[^1] = 0x01; // HKDF-Expand block counter T(1)
        return HMACSHA256.HashData(deviceKey, info);
    }
}
