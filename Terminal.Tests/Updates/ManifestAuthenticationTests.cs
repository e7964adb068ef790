using System.Security.Cryptography;
using System.Text;
using Terminal.Host;
using Terminal.Payments.Antom;
using Terminal.Updates.Manifest;
using Xunit;

namespace Terminal.Tests.Updates;

public sealed class ManifestAuthenticationTests
{
    private static readonly byte[] DeviceKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherDeviceKey = Enumerable.Range(2, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] Manifest = Encoding.UTF8.GetBytes("{\"format\":1,\"version\":\"1.4.0\"}");

    // The gateway's side, written with .NET's HKDF (RFC 5869) as the reference for the terminal's derivation.
    private static byte[] Mac(byte[] deviceKey, string label, byte[] manifest) =>
        HMACSHA256.HashData(HKDF.Expand(HashAlgorithmName.SHA256, deviceKey, 32, Encoding.ASCII.GetBytes(label)), manifest);

    private static bool Check(byte[] mac, byte[]? manifest = null) =>
        new ManifestAuthentication(new HmacSha256Mac(DeviceKey)).IsAuthentic(manifest ?? Manifest, 0, (manifest ?? Manifest).Length, mac, 0);

    [Fact]
    public void A_manifest_authenticated_for_this_device_under_the_update_label_is_accepted()
    {
        Assert.True(Check(Mac(DeviceKey, SignatureKeys.UpdateManifest, Manifest)));
    }

    [Fact]
    public void A_manifest_authenticated_for_another_device_is_refused()
    {
        Assert.False(Check(Mac(OtherDeviceKey, SignatureKeys.UpdateManifest, Manifest)));
    }

    [Theory]
    [InlineData(SignatureKeys.HeartbeatAnswer)]
    [InlineData(SignatureKeys.AntomRelayAnswer)]
    [InlineData(SignatureKeys.HeartbeatRequest)]
    public void A_mac_made_with_another_messages_key_is_refused(string label)
    {
        Assert.False(Check(Mac(DeviceKey, label, Manifest)));
    }

    [Fact]
    public void A_manifest_changed_in_any_byte_is_refused()
    {
        byte[] mac = Mac(DeviceKey, SignatureKeys.UpdateManifest, Manifest);
        for (int i = 0; i < Manifest.Length; i++)
        {
            byte[] changed = (byte[])Manifest.Clone();
            changed[i] ^= 0x20;
            Assert.False(Check(mac, changed));
        }
    }

    [Fact]
    public void A_short_or_missing_mac_is_refused()
    {
        byte[] mac = Mac(DeviceKey, SignatureKeys.UpdateManifest, Manifest);
        Assert.False(Check(mac[..31]));
        Assert.False(new ManifestAuthentication(new HmacSha256Mac(DeviceKey)).IsAuthentic(Manifest, 0, Manifest.Length, null!, 0));
    }
}
