using System.Text;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The pay body the gateway sends is written from the device's bytes in one pass (<see cref="BodyCompletion"/>,
/// <see cref="MerchantFields"/>): the expected texts below are what the earlier JSON-tree completion produced for the
/// same bodies (compared byte for byte when the pass replaced it), so Antom sees the same bytes as before.
/// </summary>
public sealed class BodyCompletionTests
{
    private static readonly Device Device = new("T0001", DeviceStatus.Active, "M001", "S001", "T0001", null, [], 0, 0);
    private static readonly MerchantOptions Merchant = new() { ReferenceMerchantId = "M001", MerchantName = "Shop", MerchantMCC = "5812", ReferenceStoreId = "S001", StoreName = "Store", StoreMCC = "5812" };
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private const string Notify = "https://gw.example/notify/antom";

    private static string Complete(string body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        var plan = new BodyCompletion();
        string? error = MerchantFields.Apply(bytes, plan, Device, Merchant, Notify, Now);
        return error ?? Encoding.UTF8.GetString(plan.Write(bytes));
    }

    [Fact]
    public void Missing_objects_are_created_at_the_end_of_their_parent_in_the_order_the_fields_are_set()
    {
        Assert.Equal(
            "{\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"},\"order\":{\"orderDescription\":\"Coffee\"," +
            "\"merchant\":{\"referenceMerchantId\":\"M001\",\"merchantName\":\"Shop\",\"merchantMCC\":\"5812\",\"store\":{\"referenceStoreId\":\"S001\",\"storeName\":\"Store\",\"storeMCC\":\"5812\"}}," +
            "\"env\":{\"storeTerminalId\":\"T0001\",\"storeTerminalRequestTime\":\"2026-12-04T10:00:00+00:00\"}},\"paymentNotifyUrl\":\"https://gw.example/notify/antom\"}",
            Complete("{\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"},\"order\":{\"orderDescription\":\"Coffee\"}}"));
    }

    [Fact]
    public void A_null_is_replaced_where_it_stands_and_the_device_own_values_stay()
    {
        Assert.Equal(
            "{\"order\":{\"merchant\":{\"referenceMerchantId\":\"M001\",\"merchantName\":\"Shop\",\"store\":{\"storeName\":\"Own\",\"referenceStoreId\":\"S001\",\"storeMCC\":\"5812\"},\"merchantMCC\":\"5812\"}," +
            "\"env\":{\"storeTerminalId\":\"T0001\",\"storeTerminalRequestTime\":\"2026-12-04T10:00:00+00:00\"}},\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"},\"paymentNotifyUrl\":\"https://gw.example/notify/antom\"}",
            Complete("{\"order\":{\"merchant\":{\"referenceMerchantId\":\"M001\",\"merchantName\":null,\"store\":{\"storeName\":\"Own\",\"referenceStoreId\":null}},\"env\":null}," +
                "\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"},\"paymentNotifyUrl\":null}"));
    }

    [Fact]
    public void Everything_else_is_copied_compact_with_strings_re_escaped_and_numbers_as_written()
    {
        Assert.Equal(
            "{\"a\\\"b\":[1,2.50,-3e5,true,false,null,{\"c\":[]}],\"d\":\"Café \\\"x\\\" / <b>中\\uD83D\\uDE00\\u0000\"," +
            "\"order\":{\"merchant\":{\"referenceMerchantId\":\"M001\",\"merchantName\":\"Shop\",\"merchantMCC\":\"5812\",\"store\":{\"referenceStoreId\":\"S001\",\"storeName\":\"Store\",\"storeMCC\":\"5812\"}}}," +
            "\"paymentNotifyUrl\":\"https://gw.example/notify/antom\"}",
            Complete("{ \"a\\\"b\" : [1, 2.50, -3e5, true, false, null, {\"c\":[]}], \"d\": \"Caf\\u00e9 \\\"x\\\" \\/ <b>\u4e2d\ud83d\ude00\\u0000\", \"\\u006frder\": {} }"));
    }

    [Theory]
    [InlineData("{\"order\":\"x\"}", "order: required object")]
    [InlineData("{\"order\":{\"merchant\":[]}}", "order.merchant: must be an object")]
    [InlineData("{\"order\":{\"merchant\":{\"merchantMCC\":5812}}}", "order.merchant.merchantMCC: must be a string")]
    [InlineData("{\"order\":{\"merchant\":{\"store\":\"s\"}}}", "order.merchant.store: must be an object")]
    [InlineData("{\"order\":{\"merchant\":{\"store\":{\"storeTerminalId\":\"T0002\"}}}}", "order.merchant.store.storeTerminalId: 'T0002' conflicts")]
    [InlineData("{\"order\":{\"env\":{\"storeTerminalId\":7}}}", "order.env.storeTerminalId: must be a string")]
    [InlineData("{\"order\":{},\"paymentNotifyUrl\":\"https://evil.example/\"}", "paymentNotifyUrl: 'https://evil.example/' conflicts")]
    public void A_wrong_merchant_owned_field_is_named(string body, string error) => Assert.StartsWith(error, Complete(body));

    [Fact]
    public void A_field_already_present_is_never_written_twice()
    {
        // A matching device value is checked and kept; nothing is appended after it (a duplicate key Antom would refuse).
        string completed = Complete("{\"order\":{\"env\":{\"storeTerminalId\":\"T0001\",\"storeTerminalRequestTime\":null}},\"paymentNotifyUrl\":\"https://gw.example/notify/antom\"," +
            "\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"}}");
        Assert.Equal(1, CountOf(completed, "\"storeTerminalId\""));
        Assert.Equal(1, CountOf(completed, "\"paymentNotifyUrl\""));
        Assert.Contains("\"storeTerminalRequestTime\":null", completed);
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
