using System.Text.Json.Nodes;
using Terminal.AntomEmulator;
using Xunit;

namespace Terminal.Tests.AntomEmulator;

/// <summary>Malformed, missing and badly typed fields give PARAM_ILLEGAL naming the field, and change nothing.</summary>
public sealed class ValidationTests : IClassFixture<SharedEmulator>
{
    private readonly EmulatorSession _session;

    public ValidationTests(SharedEmulator shared)
    {
        _session = shared.Session;
    }

    public static TheoryData<string, string?, string> PayMutations => new()
    {
        // path to change, new JSON value (null = remove), field the message must name
        { "paymentRequestId", null, "paymentRequestId" },
        { "paymentRequestId", "\"has space!\"", "paymentRequestId" },
        { "paymentRequestId", "\"" + new string('a', 65) + "\"", "paymentRequestId" },
        { "productCode", "\"ONLINE_PAYMENT\"", "productCode" },
        { "paymentAmount", null, "paymentAmount" },
        { "paymentAmount", "\"1250\"", "paymentAmount" },
        { "paymentAmount.value", "1250", "paymentAmount.value" },
        { "paymentAmount.value", "\"12.50\"", "paymentAmount.value" },
        { "paymentAmount.value", "\"0\"", "paymentAmount.value" },
        { "paymentAmount.value", "\"-5\"", "paymentAmount.value" },
        { "paymentAmount.value", "\"0125\"", "paymentAmount.value" },
        { "paymentAmount.currency", "\"usd\"", "paymentAmount.currency" },
        { "paymentAmount.currency", null, "paymentAmount.currency" },
        { "paymentMethod.paymentMethodType", "\"ALIPAY_CN\"", "paymentMethod.paymentMethodType" },
        { "paymentMethod.paymentMethodId", null, "paymentMethod.paymentMethodId" },
        { "paymentMethod.paymentMethodId", "288888888888888888", "paymentMethod.paymentMethodId" },
        { "paymentFactor.inStorePaymentScenario", "\"Cash\"", "paymentFactor.inStorePaymentScenario" },
        { "paymentFactor", null, "paymentFactor" },
        { "order", null, "order" },
        { "order.orderDescription", null, "order.orderDescription" },
        { "order.orderAmount.value", "\"x\"", "order.orderAmount.value" },
        { "order.merchant.referenceMerchantId", null, "order.merchant.referenceMerchantId" },
        { "order.merchant.store", "\"S001\"", "order.merchant.store" },
        { "order.merchant.store.storeMCC", null, "order.merchant.store.storeMCC" },
        { "order.env.storeTerminalRequestTime", "\"noon\"", "order.env.storeTerminalRequestTime" },
        { "paymentNotifyUrl", "\"not a url\"", "paymentNotifyUrl" },
        { "paymentNotifyUrl", "\"ftp://example.com/x\"", "paymentNotifyUrl" },
        { "paymentExpiryTime", "\"tomorrow\"", "paymentExpiryTime" },
        { "paymentExpiryTime", "\"2020-01-01T00:00:00+00:00\"", "paymentExpiryTime" },
        { "merchantRegion", "\"usa\"", "merchantRegion" },
    };

    [Theory]
    [MemberData(nameof(PayMutations))]
    public async Task Bad_pay_field_is_param_illegal_naming_it(string path, string? value, string field)
    {
        string id = Bodies.NewId("PR");
        var body = Bodies.UpmPay(id, "288888888888888888");
        Mutate(body, path, value);

        var reply = await _session.PostAsync("pay", body);

        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Equal("F", reply.ResultStatus);
        Assert.Contains(field, reply.ResultMessage);
        Assert.Null(_session.Server.Records.FindPayment(EmulatorSession.ClientId, id));
    }

    [Theory]
    [InlineData("{\"productCode\":")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("")]
    public async Task Malformed_json_is_param_illegal(string body)
    {
        var reply = await _session.Client.PostRawAsync("/ams/api/v1/payments/pay", body);

        Assert.True(reply.SignatureValid);
        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains("JSON", reply.ResultMessage);
    }

    [Fact]
    public async Task Unknown_currency_is_currency_not_support()
    {
        var reply = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", currency: "XYZ");

        Assert.Equal("CURRENCY_NOT_SUPPORT", reply.ResultCode);
    }

    [Theory]
    [InlineData("12345", "PARAM_ILLEGAL")]
    [InlineData("12300", "SUCCESS")]
    public async Task Idr_values_must_be_whole_hundreds(string value, string expected)
    {
        var reply = await _session.PayWithCodeAsync(Bodies.NewId("PR"), "288888888888888888", currency: "IDR", value: value);

        Assert.Equal(expected, reply.ResultCode);
    }

    [Theory]
    [InlineData("inquiryPayment", "{}", "paymentRequestId")]
    [InlineData("cancel", "{}", "paymentRequestId")]
    [InlineData("inquiryRefund", "{}", "refundRequestId")]
    [InlineData("refund", "{\"refundRequestId\":\"R1\",\"paymentId\":\"P1\"}", "refundAmount")]
    [InlineData("refund", "{\"refundRequestId\":\"R1\",\"refundAmount\":{\"currency\":\"USD\",\"value\":\"1\"}}", "paymentId")]
    [InlineData("refund", "{\"paymentId\":\"P1\",\"refundAmount\":{\"currency\":\"USD\",\"value\":\"1\"}}", "refundRequestId")]
    [InlineData("inquiryPayment", "{\"paymentId\":12}", "paymentId")]
    public async Task Other_apis_name_their_missing_or_mistyped_fields(string api, string body, string field)
    {
        var reply = await _session.PostAsync(api, JsonNode.Parse(body)!.AsObject());

        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.Contains(field, reply.ResultMessage);
    }

    private static void Mutate(JsonObject body, string path, string? value)
    {
        string[] parts = path.Split('.');
        JsonObject parent = body;
        foreach (string part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        if (value == null)
        {
            parent.Remove(parts[^1]);
        }
        else
        {
            parent[parts[^1]] = JsonNode.Parse(value);
        }
    }
}
