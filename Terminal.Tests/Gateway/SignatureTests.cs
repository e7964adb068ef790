using System.Security.Cryptography;
using System.Text;
using Terminal.Gateway.Security;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

public sealed class SignatureTests
{
    [Fact]
    public void Content_to_sign_is_method_path_LF_clientid_time_body()
    {
        byte[] content = SignContent.Build("/ams/api/v1/payments/pay", "T0001", "1685599933871", "{\"a\":\"é\"}"u8);
        Assert.Equal("POST /ams/api/v1/payments/pay\nT0001.1685599933871.{\"a\":\"é\"}", Encoding.UTF8.GetString(content));
    }

    [Fact]
    public void Header_url_encodes_base64_like_java_URLEncoder()
    {
        // 0xFB 0xFF 0xFE encodes to "+//+" in base64: every special character appears.
        string header = SignatureHeader.Format("HS256", 3, [0xFB, 0xFF, 0xFE]);
        Assert.Equal("algorithm=HS256,keyVersion=3,signature=%2B%2F%2F%2B", header);
        var parsed = SignatureHeader.TryParse(header, out _);
        Assert.NotNull(parsed);
        Assert.Equal(("HS256", 3), (parsed.Algorithm, parsed.KeyVersion));
        Assert.Equal(new byte[] { 0xFB, 0xFF, 0xFE }, parsed.Signature);
    }

    [Theory]
    [InlineData("algorithm=RSA256,keyVersion=1,signature=%2b%2f%2f%2b")] // lower-case hex (the .NET SDK's HttpUtility)
    [InlineData("algorithm=RSA256,keyVersion=1,signature=+//+")] // not URL-encoded at all
    [InlineData("algorithm=RSA256, keyVersion=1, signature=%2B%2F%2F%2B")] // spaces after commas
    public void Parse_accepts_the_encodings_SDKs_send(string header)
    {
        var parsed = SignatureHeader.TryParse(header, out string error);
        Assert.True(parsed != null, error);
        Assert.Equal(new byte[] { 0xFB, 0xFF, 0xFE }, parsed.Signature);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("algorithm=HS256,keyVersion=1", "no signature=")]
    [InlineData("keyVersion=1,signature=AAAA", "no algorithm")]
    [InlineData("algorithm=HS256,keyVersion=x,signature=AAAA", "keyVersion")]
    [InlineData("algorithm=HS256,keyVersion=0,signature=AAAA", "keyVersion")]
    [InlineData("algorithm=HS256,keyVersion=1,signature=***", "base64")]
    public void Parse_rejects_malformed_headers_with_a_reason(string? header, string reason)
    {
        Assert.Null(SignatureHeader.TryParse(header, out string error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Parse_defaults_key_version_to_1_like_the_SDKs()
    {
        Assert.Equal(1, SignatureHeader.TryParse("algorithm=RSA256,signature=AAAA", out _)!.KeyVersion);
    }

    [Fact]
    public void Hs256_matches_HMACSHA256_and_rejects_any_changed_byte()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] content = SignContent.Build("/p", "T1", "1", "{}"u8);
        byte[] mac = Hs256.Sign(key, content);
        Assert.Equal(HMACSHA256.HashData(key, content), mac);
        Assert.True(Hs256.Verify(key, content, mac));
        for (int i = 0; i < content.Length; i++)
        {
            byte[] changed = (byte[])content.Clone();
            changed[i] ^= 1;
            Assert.False(Hs256.Verify(key, changed, mac));
        }
        Assert.False(Hs256.Verify(key, content, mac.AsSpan(0, 31)));
    }

    [Fact]
    public void Rsa256_is_pkcs1_sha256_and_verifies_only_with_the_pair()
    {
        byte[] content = SignContent.Build("/ams/api/v1/payments/pay", "SANDBOX_X", "1", "{}"u8);
        using var key = Rsa256.ImportPrivateKey(TestKeys.MerchantPrivatePkcs8);
        byte[] signature = Rsa256.Sign(key, content);
        Assert.Equal(TestKeys.Merchant.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), signature); // deterministic
        using var pub = Rsa256.ImportPublicKey(Convert.ToBase64String(TestKeys.Merchant.ExportSubjectPublicKeyInfo()));
        Assert.True(Rsa256.Verify(pub, content, signature));
        Assert.False(Rsa256.Verify(TestKeys.Stranger, content, signature));
    }

    [Fact]
    public void Rsa_keys_load_from_pem_too()
    {
        using var priv = Rsa256.ImportPrivateKey(TestKeys.Merchant.ExportPkcs8PrivateKeyPem());
        using var pub = Rsa256.ImportPublicKey(TestKeys.Merchant.ExportSubjectPublicKeyInfoPem());
        Assert.True(Rsa256.Verify(pub, "x"u8, Rsa256.Sign(priv, "x"u8)));
    }
}
