using System.Text.Json.Nodes;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>Merchant-owned fields, device limits and payment ownership.</summary>
public sealed class MerchantFieldsTests
{
    [Fact]
    public async Task The_gateway_fills_merchant_store_terminal_and_notify_url()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync("T0007", store: "S002");
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-fill"))).ResultStatus);
        var sent = t.Antom.Requests.Single().Json;
        Assert.Equal("M001", (string?)sent["order"]!["merchant"]!["referenceMerchantId"]);
        Assert.Equal("Test Shop", (string?)sent["order"]!["merchant"]!["merchantName"]);
        Assert.Equal("5812", (string?)sent["order"]!["merchant"]!["merchantMCC"]);
        Assert.Equal("S002", (string?)sent["order"]!["merchant"]!["store"]!["referenceStoreId"]);
        Assert.Equal("Test Store", (string?)sent["order"]!["merchant"]!["store"]!["storeName"]);
        Assert.Equal("T0007", (string?)sent["order"]!["env"]!["storeTerminalId"]);
        Assert.NotNull((string?)sent["order"]!["env"]!["storeTerminalRequestTime"]);
        Assert.Equal(t.Gateway.NotifyUrl, (string?)sent["paymentNotifyUrl"]);
        Assert.EndsWith("/notify/antom", t.Gateway.NotifyUrl);
        // The device's own fields pass unchanged.
        Assert.Equal("288888888888888888", (string?)sent["paymentMethod"]!["paymentMethodId"]);
        Assert.Equal("Coffee", (string?)sent["order"]!["orderDescription"]);
    }

    [Fact]
    public async Task Matching_values_from_the_device_are_accepted()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var body = JsonNode.Parse(Bodies.OrderCode("P-match"))!.AsObject();
        body["order"]!["merchant"] = new JsonObject { ["referenceMerchantId"] = "M001", ["merchantName"] = "My own name", ["store"] = new JsonObject { ["referenceStoreId"] = "S001" } };
        body["paymentNotifyUrl"] = t.Gateway.NotifyUrl;
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, body.ToJsonString())).ResultStatus);
        Assert.Equal("My own name", (string?)t.Antom.Requests.Single().Json["order"]!["merchant"]!["merchantName"]);
    }

    [Theory]
    [InlineData("order.merchant.referenceMerchantId")]
    [InlineData("order.merchant.store.referenceStoreId")]
    [InlineData("order.env.storeTerminalId")]
    [InlineData("paymentNotifyUrl")]
    public async Task A_conflicting_merchant_owned_value_is_PARAM_ILLEGAL_naming_the_field(string field)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var body = JsonNode.Parse(Bodies.Upm("P-conflict"))!.AsObject();
        string[] path = field.Split('.');
        JsonObject node = body;
        foreach (string p in path[..^1])
        {
            node[p] ??= new JsonObject();
            node = node[p]!.AsObject();
        }
        node[path[^1]] = "https://evil.example/notify";
        var reply = await device.PostAsync(Bodies.Pay, body.ToJsonString());
        Assert.Equal(("F", "PARAM_ILLEGAL"), (reply.ResultStatus, reply.ResultCode));
        Assert.StartsWith(field + ":", reply.ResultMessage);
        Assert.Empty(t.Antom.Requests);
    }

    [Fact]
    public async Task An_amount_over_the_device_limit_is_refused()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync(maxAmount: 5000);
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-5000", amount: 5000))).ResultStatus);
        var reply = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-5001", amount: 5001));
        Assert.Equal(("F", "PAYMENT_AMOUNT_EXCEED_LIMIT"), (reply.ResultStatus, reply.ResultCode));
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Fact]
    public async Task A_currency_not_enabled_for_the_device_is_refused()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync(currencies: ["USD", "EUR"]);
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-eur", currency: "EUR"))).ResultStatus);
        Assert.Equal("CURRENCY_NOT_SUPPORT", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-jpy", currency: "JPY"))).ResultCode);
    }

    [Theory]
    [InlineData("{\"paymentRequestId\":\"\"}", "paymentRequestId")]
    [InlineData("[1,2]", "body")]
    [InlineData("not json", "body")]
    [InlineData("{\"paymentRequestId\":\"P\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"-5\"}}", "paymentAmount")]
    [InlineData("{\"paymentRequestId\":\"P\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"10\"}}", "order")]
    public async Task A_malformed_pay_is_PARAM_ILLEGAL(string body, string field)
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        var reply = await device.PostAsync(Bodies.Pay, body);
        Assert.Equal("PARAM_ILLEGAL", reply.ResultCode);
        Assert.StartsWith(field, reply.ResultMessage);
    }

    [Fact]
    public async Task Another_store_cannot_inquire_cancel_or_refund_a_payment()
    {
        await using var t = await TestGateway.StartAsync();
        var owner = await t.AddDeviceAsync("T0001", store: "S001");
        var other = await t.AddDeviceAsync("T0002", store: "S002");
        var sibling = await t.AddDeviceAsync("T0003", store: "S001");
        var paid = await owner.PostAsync(Bodies.Pay, Bodies.Upm("P-own"));
        string paymentId = paid["paymentId"]!;

        Assert.Equal("ACCESS_DENIED", (await other.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-own"))).ResultCode);
        Assert.Equal("ACCESS_DENIED", (await other.PostAsync(Bodies.Cancel, Bodies.CancelBody("P-own"))).ResultCode);
        Assert.Equal("ACCESS_DENIED", (await other.PostAsync(Bodies.Refund, Bodies.RefundBody("R-x", paymentId))).ResultCode);
        // A paymentRequestId is one device's: another device reusing it is refused.
        Assert.Equal("ACCESS_DENIED", (await sibling.PostAsync(Bodies.Pay, Bodies.Upm("P-own"))).ResultCode);
        // A device of the same store may look the payment up and refund it (a refund at another counter).
        Assert.Equal("S", (await sibling.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-own"))).ResultStatus);
        Assert.Equal("S", (await sibling.PostAsync(Bodies.Refund, Bodies.RefundBody("R-ok", paymentId))).ResultStatus);
        Assert.Equal(1, t.Antom.CallCount("pay"));
    }

    [Fact]
    public async Task Reusing_a_paymentRequestId_with_another_amount_is_REPEAT_REQ_INCONSISTENT()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-same", amount: 100))).ResultStatus);
        Assert.Equal("REPEAT_REQ_INCONSISTENT", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-same", amount: 200))).ResultCode);
        // The same amount again is a legitimate retry (Antom is idempotent on paymentRequestId): forwarded.
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-same", amount: 100))).ResultStatus);
        Assert.Equal(2, t.Antom.CallCount("pay"));
    }

    [Fact]
    public async Task Cancel_or_refund_of_a_payment_unknown_to_the_gateway_is_refused_locally()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        Assert.Equal("ORDER_NOT_EXIST", (await device.PostAsync(Bodies.Cancel, Bodies.CancelBody("P-never"))).ResultCode);
        Assert.Equal("ACCESS_DENIED", (await device.PostAsync(Bodies.Refund, Bodies.RefundBody("R-1", "2026000000000999"))).ResultCode);
        // Nothing is forwarded; the unknown paymentId is only looked up at Antom (a read), which does not know it either.
        Assert.Equal((0, 0), (t.Antom.CallCount("cancel"), t.Antom.CallCount("refund")));
        Assert.Equal("2026000000000999", (string?)Assert.Single(t.Antom.Requests).Json["paymentId"]);
        // An inquiry is read-only: it goes to Antom, which knows whether the payment exists.
        Assert.Equal("ORDER_NOT_EXIST", (await device.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-never"))).ResultCode);
        Assert.Equal(2, t.Antom.CallCount("inquiryPayment"));
    }
}
