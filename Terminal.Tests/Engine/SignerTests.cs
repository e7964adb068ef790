using System.Security.Cryptography;
using System.Text;
using Terminal.Core.Ports;
using Terminal.Host;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Xunit;

namespace Terminal.Tests.Engine;

public sealed class SignerTests
{
    private const string Path = "/ams/api/v1/payments/pay";

    private static HttpExchange Exchange(string body)
    {
        var ex = new HttpExchange(2048, 4096, Hs256Signer.ReservedBytes);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        bytes.CopyTo(ex.RequestBuffer, ex.RequestBodyOffset);
        ex.RequestBodyLength = bytes.Length;
        return ex;
    }

    private static string Expected(byte[] key, string content) =>
        "algorithm=HS256,keyVersion=3,signature=" + Uri.EscapeDataString(Convert.ToBase64String(HMACSHA256.HashData(RelayKeys.Request(key), Encoding.UTF8.GetBytes(content))));

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"paymentRequestId\":\"T0001000000000001ABCDEFGH\",\"note\":\"caf\u00e9 \u2603\"}")]
    public void Request_signature_equals_dotnet_hmac_with_the_derived_request_key_over_the_antom_content(string body)
    {
        byte[] key = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        foreach (IMac mac in new IMac[] { new PortableMac(key), new HmacSha256Mac(key) })
        {
            var signer = new Hs256Signer(mac, "T0001", 3);
            HttpExchange ex = Exchange(body);
            signer.Sign(ex, Path, 1_700_000_000_123);

            Assert.Equal("1700000000123", Encoding.ASCII.GetString(ex.RequestTime, 0, ex.RequestTimeLength));
            Assert.Equal("T0001", ex.ClientId);
            Assert.Equal(Path, ex.Path);
            Assert.Equal(
                Expected(key, "POST " + Path + "\nT0001.1700000000123." + body),
                Encoding.ASCII.GetString(ex.Signature, 0, ex.SignatureLength));
            // The body bytes are untouched by signing.
            Assert.Equal(body, Encoding.UTF8.GetString(ex.RequestBuffer, ex.RequestBodyOffset, ex.RequestBodyLength));
        }
    }

    private static (Hs256Signer Signer, HttpExchange Ex) Answered(string body, string time, string signature, string? clientId = "T0001")
    {
        var signer = new Hs256Signer(new PortableMac(EngineRig.Key), "T0001", 1);
        HttpExchange ex = Exchange("{}");
        signer.Sign(ex, Path, 1);
        byte[] b = Encoding.UTF8.GetBytes(body);
        b.CopyTo(ex.ResponseBuffer, ex.ResponseBodyOffset);
        ex.ResponseBodyLength = b.Length;
        ex.ResponseTimeLength = Encoding.ASCII.GetBytes(time, ex.ResponseTime);
        ex.ResponseSignatureLength = Encoding.ASCII.GetBytes(signature, ex.ResponseSignature);
        ex.ResponseClientIdLength = clientId == null ? 0 : Encoding.ASCII.GetBytes(clientId, ex.ResponseClientId);
        return (signer, ex);
    }

    private static string ServerSignature(string body, string time, string path = Path, string client = "T0001", byte[]? key = null) =>
        "algorithm=HS256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(
            HMACSHA256.HashData(key ?? RelayKeys.Answer(EngineRig.Key), Encoding.UTF8.GetBytes("POST " + path + "\n" + client + "." + time + "." + body))));

    [Fact]
    public void Response_with_a_correct_signature_verifies()
    {
        const string body = "{\"result\":{\"resultStatus\":\"S\"}}";
        var (signer, ex) = Answered(body, "1700000000999", ServerSignature(body, "1700000000999"));
        Assert.True(signer.Verify(ex));
    }

    [Fact]
    public void Lowercase_percent_escapes_of_the_dotnet_sdk_are_accepted()
    {
        const string body = "{\"a\":1}";
        string sig = ServerSignature(body, "5");
        string lower = System.Text.RegularExpressions.Regex.Replace(sig, "%[0-9A-F]{2}", m => m.Value.ToLowerInvariant());
        var (signer, ex) = Answered(body, "5", lower);
        Assert.True(signer.Verify(ex));
    }

    [Theory]
    [InlineData("body")]
    [InlineData("time")]
    [InlineData("path")]
    [InlineData("client")]
    [InlineData("key")]
    [InlineData("device key")]
    [InlineData("request key")]
    [InlineData("missing")]
    [InlineData("algorithm")]
    [InlineData("garbage")]
    [InlineData("headerClient")]
    [InlineData("noTime")]
    public void Anything_else_is_untrusted(string what)
    {
        const string body = "{\"result\":{\"resultStatus\":\"S\"}}";
        string time = "1700000000999";
        string signature = what switch
        {
            "body" => ServerSignature(body + " ", time),
            "time" => ServerSignature(body, "1700000000998"),
            "path" => ServerSignature(body, time, "/ams/api/v1/payments/inquiryPayment"),
            "client" => ServerSignature(body, time, Path, "T0002"),
            "key" => ServerSignature(body, time, Path, "T0001", new byte[32]),
            "device key" => ServerSignature(body, time, Path, "T0001", EngineRig.Key),
            "request key" => ServerSignature(body, time, Path, "T0001", RelayKeys.Request(EngineRig.Key)),
            "missing" => "",
            "algorithm" => ServerSignature(body, time).Replace("HS256", "RSA256", StringComparison.Ordinal),
            "garbage" => "algorithm=HS256,keyVersion=1,signature=%ZZ%",
            _ => ServerSignature(body, time),
        };
        var (signer, ex) = Answered(body, what == "noTime" ? "" : time, signature, what == "headerClient" ? "T0002" : "T0001");
        Assert.False(signer.Verify(ex));
    }
}
