using System.Text;
using Terminal.Core.Ports;
using Terminal.Io.Http;
using Xunit;

namespace Terminal.Tests.Http;

public sealed class RequestHeadTests
{
    private static HttpExchange Exchange(string path = "/ams/api/v1/payments/pay", string clientId = "T0001", string signature = "algorithm=HS256,keyVersion=2,signature=a%2Bb")
    {
        var ex = new HttpExchange(64, 64, 0) { Path = path, ClientId = clientId, RequestBodyLength = 1234 };
        ex.RequestTimeLength = Encoding.ASCII.GetBytes("1700000000000", ex.RequestTime);
        ex.SignatureLength = Encoding.ASCII.GetBytes(signature, ex.Signature);
        return ex;
    }

    private static string Write(GatewayAddress address, HttpExchange ex)
    {
        var head = new RequestHead();
        int n = head.Write(address, ex);
        return n < 0 ? "<refused>" : Encoding.ASCII.GetString(head.Bytes, 0, n);
    }

    [Fact]
    public void Writes_the_request_line_and_fields()
    {
        Assert.Equal(
            "POST /ams/api/v1/payments/pay HTTP/1.1\r\nHost: gw.example.com\r\nContent-Type: application/json; charset=UTF-8\r\n"
            + "Content-Length: 1234\r\nConnection: keep-alive\r\nClient-Id: T0001\r\nRequest-Time: 1700000000000\r\n"
            + "Signature: algorithm=HS256,keyVersion=2,signature=a%2Bb\r\n\r\n",
            Write(GatewayAddress.Parse("https://gw.example.com"), Exchange()));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(7, "7")]
    [InlineData(10, "10")]
    [InlineData(65536, "65536")]
    public void Content_length_is_the_body_length(int length, string text)
    {
        HttpExchange ex = Exchange();
        ex.RequestBodyLength = length;
        Assert.Contains("\r\nContent-Length: " + text + "\r\n", Write(GatewayAddress.Parse("http://h:81/p"), ex));
    }

    [Theory]
    [InlineData("/pay\r\nX-Evil: 1", "T0001", "s")]
    [InlineData("/pay now", "T0001", "s")]
    [InlineData("pay", "T0001", "s")]
    [InlineData("/pay", "T0001\nX: 1", "s")]
    [InlineData("/pay", "T0001", "s\r\n\r\nPOST /refund HTTP/1.1")]
    [InlineData("/pay", "T\u00e90001", "s")]
    public void A_value_that_would_change_the_message_is_refused(string path, string clientId, string signature)
    {
        Assert.Equal("<refused>", Write(GatewayAddress.Parse("https://gw.example.com"), Exchange(path, clientId, signature)));
    }

    [Fact]
    public void A_head_that_does_not_fit_is_refused()
    {
        Assert.Equal("<refused>", Write(GatewayAddress.Parse("https://gw.example.com/" + new string('p', 1400)), Exchange()));
    }
}
