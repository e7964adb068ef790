using System.Security.Cryptography;

namespace Terminal.Tests.AntomEmulator;

/// <summary>RSA-2048 keys made once per test run (key generation is the slow part of starting an emulator).</summary>
internal static class TestKeys
{
    private static readonly Lazy<byte[]> MerchantPkcs8 = new(Generate);
    private static readonly Lazy<byte[]> SecondMerchantPkcs8 = new(Generate);
    private static readonly Lazy<byte[]> AntomPkcs8 = new(Generate);

    /// <summary>The merchant's private key (PKCS#8), registered as key version 1 of the test client.</summary>
    public static byte[] Merchant => MerchantPkcs8.Value;

    /// <summary>Another merchant key (rotation, wrong-key tests).</summary>
    public static byte[] SecondMerchant => SecondMerchantPkcs8.Value;

    public static byte[] PublicOf(byte[] pkcs8)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return rsa.ExportSubjectPublicKeyInfo();
    }

    /// <summary>A fresh RSA object over the fixed Antom test key (the emulator exports it at start).</summary>
    public static RSA NewAntomKey()
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(AntomPkcs8.Value, out _);
        return rsa;
    }

    private static byte[] Generate()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKey();
    }
}
