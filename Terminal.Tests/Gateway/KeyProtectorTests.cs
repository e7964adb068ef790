using System.Security.Cryptography;
using Terminal.Gateway.Security;
using Xunit;

namespace Terminal.Tests.Gateway;

public sealed class KeyProtectorTests
{
    private static readonly byte[] Kek = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void Round_trips_and_the_stored_form_reveals_nothing_of_the_key()
    {
        var protector = new KeyProtector(Kek);
        byte[] key = RandomNumberGenerator.GetBytes(32);
        string stored = protector.Protect("T0001", 1, key);
        Assert.StartsWith("v1.", stored);
        Assert.DoesNotContain(Convert.ToBase64String(key), stored);
        Assert.DoesNotContain(Convert.ToHexString(key), stored, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(key, protector.Unprotect("T0001", 1, stored));
        Assert.NotEqual(stored, protector.Protect("T0001", 1, key)); // fresh nonce each time
    }

    [Fact]
    public void A_row_does_not_decrypt_under_another_kek_device_or_version()
    {
        var protector = new KeyProtector(Kek);
        string stored = protector.Protect("T0001", 1, RandomNumberGenerator.GetBytes(32));
        Assert.ThrowsAny<CryptographicException>(() => new KeyProtector(RandomNumberGenerator.GetBytes(32)).Unprotect("T0001", 1, stored));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("T0002", 1, stored));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("T0001", 2, stored));
    }

    [Fact]
    public void A_tampered_row_is_rejected()
    {
        var protector = new KeyProtector(Kek);
        string stored = protector.Protect("T0001", 1, RandomNumberGenerator.GetBytes(32));
        byte[] blob = Convert.FromBase64String(stored[3..]);
        blob[20] ^= 0x01;
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("T0001", 1, "v1." + Convert.ToBase64String(blob)));
    }

    [Fact]
    public void Kek_must_be_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => new KeyProtector(new byte[16]));
    }
}
