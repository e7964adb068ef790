using System.Security.Cryptography;

namespace Terminal.Tests.Gateway.Support;

/// <summary>RSA key pairs: the merchant's (the gateway signs) and Antom's (the fake signs), from <see cref="TestKeyMaterial"/>.</summary>
internal static class TestKeys
{
    private static readonly Lazy<RSA> MerchantKey = new(() => Load(TestKeyMaterial.MerchantPem));
    private static readonly Lazy<RSA> AntomKey = new(() => Load(TestKeyMaterial.AntomPem));
    private static readonly Lazy<RSA> StrangerKey = new(() => Load(TestKeyMaterial.StrangerPem));

    public static RSA Merchant => MerchantKey.Value;
    public static RSA Antom => AntomKey.Value;

    /// <summary>A key nobody trusts (forged Antom answers and notifications).</summary>
    public static RSA Stranger => StrangerKey.Value;

    public static string MerchantPrivatePkcs8 => Convert.ToBase64String(Merchant.ExportPkcs8PrivateKey());
    public static string AntomPublicSpki => Convert.ToBase64String(Antom.ExportSubjectPublicKeyInfo());
    public static string KeyEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static RSA Load(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }
}
