using System.Text;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>The parser against the project's Antom sample responses (Fixtures/antom).</summary>
public sealed class ResponseParserTests
{
    private static string Fixture(string name) =>
        Encoding.UTF8.GetString(Primitives.Fixtures.Read(System.IO.Path.Combine("responses", name)));

    private static AntomResponse Parse(string json, int codeCapacity = 512)
    {
        var parser = new ResponseParser(4096);
        var response = new AntomResponse(codeCapacity);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        byte[] buffer = new byte[bytes.Length + 10];
        bytes.CopyTo(buffer, 5);
        Assert.True(parser.Parse(buffer, 5, bytes.Length, response));
        return response;
    }

    [Fact]
    public void Inquiry_for_an_unknown_order_and_entry_code_bodies()
    {
        AntomResponse f = Parse(Fixture("inquiry-not-found.json"));
        Assert.Equal((byte)'F', f.ResultStatus);
        Assert.Equal("ORDER_NOT_EXIST", f.ResultCode.ToString());
        Assert.Equal("No payment with this paymentRequestId.", f.ResultMessage.ToString());
        Assert.Equal(RemoteStatus.None, f.PaymentStatus);
        AntomResponse e = Parse(Fixture("pay-entry-code-created.json"));
        Assert.Equal("T004200000000031904C55E81", e.PaymentRequestId.ToString());
    }

    [Fact]
    public void Payment_code_success()
    {
        AntomResponse r = Parse(Fixture("pay-payment-code-success.json"));
        Assert.Equal((byte)'S', r.ResultStatus);
        Assert.Equal("SUCCESS", r.ResultCode.ToString());
        Assert.Equal(ResultTable.Success, r.ResultCodeIndex);
        Assert.Equal("202603141940108001001917S0261403827", r.PaymentId.ToString());
        Assert.Equal("T004200000000031704A9C2F5", r.PaymentRequestId.ToString());
        Assert.True(r.HasAmount);
        Assert.Equal(1280, r.AmountValue);
        Assert.Equal("SGD", r.AmountCurrency.ToString());
    }

    [Fact]
    public void Payment_code_unknown_and_failure()
    {
        AntomResponse u = Parse(Fixture("pay-payment-code-unknown.json"));
        Assert.Equal((byte)'U', u.ResultStatus);
        Assert.Equal("UNKNOWN_EXCEPTION", u.ResultCode.ToString());
        AntomResponse f = Parse(Fixture("pay-payment-code-declined.json"));
        Assert.Equal((byte)'F', f.ResultStatus);
        Assert.Equal(ResultTable.Find("USER_BALANCE_NOT_ENOUGH"), f.ResultCodeIndex);
    }

    [Fact]
    public void Order_code_created()
    {
        AntomResponse r = Parse(Fixture("pay-order-code-created.json"));
        Assert.Equal("https://gqr.alipay.com/281017042613bK3x9QmT7vLw2NcR5hZ8pYdF", r.CodeValue.ToString());
        Assert.Equal("202603141940108001001917S0261404418", r.PaymentId.ToString());
        Assert.True(r.HasExpireTime);
        Assert.Equal(DateTimeOffset.Parse("2026-03-14T01:54:03Z").ToUnixTimeMilliseconds(), r.ExpireEpochMs);
    }

    [Theory]
    [InlineData("inquiry-success.json", RemoteStatus.Success)]
    [InlineData("inquiry-processing.json", RemoteStatus.Processing)]
    [InlineData("inquiry-failed.json", RemoteStatus.Fail)]
    [InlineData("inquiry-cancelled.json", RemoteStatus.Cancelled)]
    public void Inquiry_statuses(string file, RemoteStatus expected)
    {
        AntomResponse r = Parse(Fixture(file));
        Assert.Equal((byte)'S', r.ResultStatus);
        Assert.Equal(expected, r.PaymentStatus);
    }

    [Fact]
    public void Refund_success()
    {
        AntomResponse r = Parse(Fixture("refund-success.json"));
        Assert.Equal("202603141940108013001917R0261406230", r.RefundId.ToString());
        Assert.Equal("T004200000000032005D2B7E9", r.RefundRequestId.ToString());
        Assert.Equal(450, r.AmountValue);
    }

    [Fact]
    public void Expire_time_escapes_and_qr_preference()
    {
        AntomResponse r = Parse("""
            {"orderCodeForm":{"codeDetails":[
               {"codeValueType":"BARCODE","codeValue":"12345"},
               {"displayType":"TEXT","codeValueType":"QRCODE","codeValue":"https:\/\/qr.example\/a\u0041"}],
             "expireTime":"2026-01-01T08:02:00+08:00"},
             "result":{"resultStatus":"S","resultCode":"SUCCESS","resultMessage":null}}
            """);
        Assert.Equal("https://qr.example/aA", r.CodeValue.ToString());
        Assert.True(r.HasExpireTime);
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:02:00Z").ToUnixTimeMilliseconds(), r.ExpireEpochMs);
    }

    [Fact]
    public void Code_value_longer_than_the_buffer_is_flagged_not_failed()
    {
        AntomResponse r = Parse("{\"orderCodeForm\":{\"codeDetails\":[{\"codeValue\":\"" + new string('x', 40) + "\"}]}}", 16);
        Assert.True(r.CodeValueTooLong);
        Assert.True(r.CodeValue.IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"result\":")]
    [InlineData("{\"result\":{}} x")]
    [InlineData("{\"paymentId\":12}")]
    [InlineData("{\"paymentAmount\":{\"value\":\"1.5\"}}")]
    public void Malformed_or_unusable_bodies_are_refused(string json)
    {
        var parser = new ResponseParser(4096);
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        Assert.False(parser.Parse(bytes, 0, bytes.Length, new AntomResponse(64)));
    }

    [Fact]
    public void Overlong_ids_make_the_answer_unusable()
    {
        var parser = new ResponseParser(4096);
        byte[] bytes = Encoding.UTF8.GetBytes("{\"paymentRequestId\":\"" + new string('A', 65) + "\"}");
        Assert.False(parser.Parse(bytes, 0, bytes.Length, new AntomResponse(64)));
    }
}
