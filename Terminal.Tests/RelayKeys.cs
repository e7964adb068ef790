using System.Security.Cryptography;
using System.Text;

namespace Terminal.Tests;

/// <summary>
/// The signing keys of the Antom relay derived from a device key with .NET's HKDF (RFC 5869 Expand, independent of
/// the gateway's and the firmware's code); the labels are written out here as the wire contract fixes them.
/// </summary>
internal static class RelayKeys
{
    public const string RequestLabel = "qr-terminal-hs256/antom-relay/device-to-gateway";
    public const string AnswerLabel = "qr-terminal-hs256/antom-relay/gateway-to-device";

    public static byte[] Derive(byte[] deviceKey, string label) =>
        HKDF.Expand(HashAlgorithmName.SHA256, deviceKey, 32, Encoding.ASCII.GetBytes(label));

    public static byte[] Request(byte[] deviceKey) => Derive(deviceKey, RequestLabel);
    public static byte[] Answer(byte[] deviceKey) => Derive(deviceKey, AnswerLabel);
}
