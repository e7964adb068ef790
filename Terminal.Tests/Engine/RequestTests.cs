using System.Text.Json.Nodes;
using Terminal.Payments.Engine;
using Xunit;

namespace Terminal.Tests.Engine;

/// <summary>The request bodies: exact Antom field names, amounts as strings, configured merchant fields.</summary>
public sealed class RequestTests
{
    private static JsonObject Only(EngineRig rig, string api) => rig.Server.CallsTo(api).First().Body;

    [Fact]
    public void Payment_code_pay_body()
    {
        var rig = new EngineRig(c =>
        {
            c.Merchant.MerchantId = "M001";
            c.Merchant.MerchantName = "Corner Shop";
            c.Merchant.MerchantMcc = "5411";
            c.Merchant.StoreId = "S001";
            c.Merchant.StoreName = "Main St";
            c.Merchant.StoreMcc = "5411";
            c.Merchant.TerminalId = "POS7";
            c.Merchant.OrderDescription = "Groceries";
        });
        rig.Clock.Wall = DateTimeOffset.Parse("2026-03-04T05:06:07.890Z").ToUnixTimeMilliseconds();
        PaymentResult r = rig.Cpm(1250, "INV-77");
        JsonObject b = Only(rig, "pay");

        string expected = """
            {"productCode":"IN_STORE_PAYMENT","paymentRequestId":"ID","paymentAmount":{"currency":"USD","value":"1250"},
             "paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"281010897274821897274821"},
             "paymentFactor":{"inStorePaymentScenario":"PaymentCode"},
             "order":{"referenceOrderId":"INV-77","orderDescription":"Groceries","orderAmount":{"currency":"USD","value":"1250"},
               "merchant":{"referenceMerchantId":"M001","merchantName":"Corner Shop","merchantMCC":"5411",
                 "store":{"referenceStoreId":"S001","storeName":"Main St","storeMCC":"5411","storeTerminalId":"POS7"}},
               "env":{"storeTerminalId":"POS7","storeTerminalRequestTime":"2026-03-04T05:06:07+00:00"}}}
            """.Replace("\"ID\"", "\"" + r.RequestId + "\"", StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), b), b.ToJsonString());
        // Serialized once, compactly: the bytes sent are the bytes signed (the server checked the signature).
        Assert.True(rig.Server.Calls[0].SignatureValid);
    }

    [Fact]
    public void Order_code_pay_body_without_merchant_configuration()
    {
        var rig = new EngineRig();
        PaymentResult r = rig.Mpm(99);
        JsonObject b = Only(rig, "pay");
        string expected = """
            {"productCode":"IN_STORE_PAYMENT","paymentRequestId":"ID","paymentAmount":{"currency":"USD","value":"99"},
             "paymentMethod":{"paymentMethodType":"CONNECT_WALLET"},
             "paymentFactor":{"inStorePaymentScenario":"OrderCode"},
             "order":{"referenceOrderId":"ID","orderDescription":"In-store payment","orderAmount":{"currency":"USD","value":"99"}}}
            """.Replace("\"ID\"", "\"" + r.RequestId + "\"", StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), b), b.ToJsonString());
    }

    [Fact]
    public void Inquiry_cancel_refund_bodies()
    {
        var rig = new EngineRig();
        rig.Server.Cpm = CpmBehaviour.InProcess;
        rig.Server.PollsUntilPaid = 2;
        PaymentResult sale = rig.Cpm(1000, "X1");
        rig.Engine.Refund("X1", 400);
        rig.Server.RefundInProcess = true;
        rig.Server.PollsUntilPaid = 1;
        PaymentResult refund = rig.Engine.Refund("X1", 100);
        rig.Engine.Void("X1");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"paymentRequestId\":\"" + sale.RequestId + "\"}"), Only(rig, "inquiryPayment")));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"paymentRequestId\":\"" + sale.RequestId + "\"}"), Only(rig, "cancel")));
        JsonObject refundBody = Only(rig, "refund");
        Assert.Equal(sale.PaymentId, (string?)refundBody["paymentId"]);
        Assert.Equal("400", (string?)refundBody["refundAmount"]!["value"]);
        Assert.Equal("USD", (string?)refundBody["refundAmount"]!["currency"]);
        Assert.Equal(3, refundBody.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"refundRequestId\":\"" + refund.RequestId + "\"}"), Only(rig, "inquiryRefund")));
    }

    [Fact]
    public void A_repeated_pay_sends_the_identical_body()
    {
        var rig = new EngineRig();
        int lost = 2;
        rig.Server.Faults = c => c.Api == "pay" && lost-- > 0 ? Fault.Http429 : Fault.None;
        rig.Cpm(1000);
        rig.Clock.Advance(5000);
        var bodies = rig.Server.CallsTo("pay").Select(c => c.Body.ToJsonString()).Distinct();
        Assert.Single(bodies);
    }
}
