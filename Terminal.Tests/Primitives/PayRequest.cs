using Terminal.Core.Json;

namespace Terminal.Tests.Primitives;

/// <summary>The pay request of Fixtures/antom/requests/pay-payment-code.json, written field by field with literals.</summary>
internal static class PayRequest
{
    public static void Write(JsonWriter w)
    {
        w.StartObject();
        w.WriteString("productCode", "IN_STORE_PAYMENT");
        w.WriteString("paymentRequestId", "T004200000000031704A9C2F5");
        w.StartObject("paymentAmount");
        w.WriteString("currency", "SGD");
        w.WriteNumberAsString("value", 1280);
        w.EndObject();
        w.StartObject("paymentMethod");
        w.WriteString("paymentMethodType", "CONNECT_WALLET");
        w.WriteString("paymentMethodId", "253917024605118273390264");
        w.EndObject();
        w.StartObject("paymentFactor");
        w.WriteString("inStorePaymentScenario", "PaymentCode");
        w.EndObject();
        w.StartObject("order");
        w.WriteString("referenceOrderId", "POS7-20260314-0117");
        w.WriteString("orderDescription", "2 flat whites, 1 kaya toast set");
        w.StartObject("orderAmount");
        w.WriteString("currency", "SGD");
        w.WriteNumberAsString("value", 1280);
        w.EndObject();
        w.StartObject("merchant");
        w.WriteString("referenceMerchantId", "M-SG-0048213");
        w.WriteString("merchantName", "Harbour Lane Bakery");
        w.WriteString("merchantMCC", "5462");
        w.StartObject("store");
        w.WriteString("referenceStoreId", "S-0048213-02");
        w.WriteString("storeName", "Harbour Lane Bakery Tanjong Pagar");
        w.WriteString("storeMCC", "5462");
        w.WriteString("storeTerminalId", "T0042");
        w.EndObject();
        w.EndObject();
        w.StartObject("env");
        w.WriteString("storeTerminalId", "T0042");
        w.WriteString("storeTerminalRequestTime", "2026-03-14T09:41:27+08:00");
        w.EndObject();
        w.EndObject();
        w.EndObject();
    }
}
