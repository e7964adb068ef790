using System.Text;
using Terminal.Firmware.Payments.Antom;
using Terminal.Firmware.Payments;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>The parser against the Antom mock responses of the legacy in-store SDK.</summary>
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
        AntomResponse f = Parse(Fixture("inquiry_f.json"));
        Assert.Equal((byte)'F', f.ResultStatus);
        Assert.Equal("PROCESS_FAIL", f.ResultCode.ToString());
        Assert.Equal("order not exist", f.ResultMessage.ToString());
        Assert.Equal(RemoteStatus.None, f.PaymentStatus);
        AntomResponse e = Parse(Fixture("entry_code_s.json"));
        Assert.Equal("297553622014869512", e.PaymentRequestId.ToString());
    }

    [Fact]
    public void Payment_code_success()
    {
        AntomResponse r = Parse(Fixture("upcp_s.json"));
        Assert.Equal((byte)'S', r.ResultStatus);
        Assert.Equal("SUCCESS", r.ResultCode.ToString());
        Assert.Equal(ResultTable.Success, r.ResultCodeIndex);
        Assert.Equal("202003151940108001001881I0204295953", r.PaymentId.ToString());
        Assert.Equal("Kai202003163001", r.PaymentRequestId.ToString());
        Assert.True(r.HasAmount);
        Assert.Equal(100, r.AmountValue);
        Assert.Equal("MOP", r.AmountCurrency.ToString());
    }

    [Fact]
    public void Payment_code_unknown_and_failure()
    {
        AntomResponse u = Parse(Fixture("upcp_u.json"));
        Assert.Equal((byte)'U', u.ResultStatus);
        Assert.Equal("UNKNOWN_EXCEPTION", u.ResultCode.ToString());
        AntomResponse f = Parse(Fixture("upcp_f.json"));
        Assert.Equal((byte)'F', f.ResultStatus);
        Assert.Equal(ResultTable.Find("ORDER_NOT_EXIST"), f.ResultCodeIndex);
    }

    [Fact]
    public void Order_code_created()
    {
        AntomResponse r = Parse(Fixture("order_code_s.json"));
        Assert.Equal("https://gqr.alipay.com/281017040012rqWv0ch7G7Q5AZ5AZJOv4Igf", r.CodeValue.ToString());
        Assert.Equal("20200407114010800100181370262670248", r.PaymentId.ToString());
        Assert.False(r.HasExpireTime);
    }

    [Theory]
    [InlineData("inquiry_ss.json", RemoteStatus.Success)]
    [InlineData("inquiry_sp.json", RemoteStatus.Processing)]
    [InlineData("inquiry_sf.json", RemoteStatus.Fail)]
    [InlineData("inquiry_sc.json", RemoteStatus.Cancelled)]
    public void Inquiry_statuses(string file, RemoteStatus expected)
    {
        AntomResponse r = Parse(Fixture(file));
        Assert.Equal((byte)'S', r.ResultStatus);
        Assert.Equal(expected, r.PaymentStatus);
    }

    [Fact]
    public void Refund_success()
    {
        AntomResponse r = Parse(Fixture("refund_ss.json"));
        Assert.Equal("202004221940108013001912I0200788498", r.RefundId.ToString());
        Assert.Equal("202004221940108001001912I0204899842_1587623076541", r.RefundRequestId.ToString());
        Assert.Equal(500, r.AmountValue);
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
