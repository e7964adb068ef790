using Terminal.Core.Json;

namespace Terminal.Tests.Primitives;

/// <summary>The pay request of fixtures/antom-mocks/requests/upcp.json, written field by field with literals.</summary>
internal static class PayRequest
{
    public static void Write(JsonWriter w)
    {
        w.StartObject();
        w.WriteString("productCode", "IN_STORE_PAYMENT");
        w.WriteString("paymentRequestId", "PR20190000000001_");
        w.StartObject("paymentMethod");
        w.WriteString("paymentMethodId", "288888888888888888");
        w.WriteString("paymentMethodType", "CONNECT_WALLET");
        w.EndObject();
        w.StartObject("paymentFactor");
        w.WriteString("inStorePaymentScenario", "PaymentCode");
        w.EndObject();
        w.StartObject("paymentAmount");
        w.WriteString("currency", "JPY");
        w.WriteNumberAsString("value", 1000);
        w.EndObject();
        w.StartObject("order");
        w.WriteString("referenceOrderId", "0000000001");
        w.WriteString("orderDescription", "New White Lace Sleeveless");
        w.StartObject("orderAmount");
        w.WriteString("currency", "JPY");
        w.WriteNumberAsString("value", 1000);
        w.EndObject();
        w.StartObject("merchant");
        w.WriteString("referenceMerchantId", "seller231117459");
        w.WriteString("merchantName", "Some_Mer");
        w.WriteString("merchantMCC", "7011");
        w.StartObject("store");
        w.WriteString("referenceStoreId", "store231117459");
        w.WriteString("storeName", "Some_store");
        w.WriteString("storeMCC", "7011");
        w.EndObject();
        w.EndObject();
        w.StartObject("env");
        w.WriteString("storeTerminalId", "some_setStoreTerminalId");
        w.WriteString("storeTerminalRequestTime", "2020-06-11T13:35:02+08:00");
        w.EndObject();
        w.EndObject();
        w.EndObject();
    }
}
