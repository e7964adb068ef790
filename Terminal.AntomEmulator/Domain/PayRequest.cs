using System.Text.Json;

namespace Terminal.AntomEmulator;

/// <summary>
/// The fields of a pay request the emulator checks (docs/antom-protocol.md section 3.1). Required: productCode
/// (IN_STORE_PAYMENT), paymentRequestId, paymentAmount, paymentMethod.paymentMethodType (CONNECT_WALLET),
/// paymentMethod.paymentMethodId for PaymentCode, paymentFactor.inStorePaymentScenario, order.orderDescription,
/// order.orderAmount, order.merchant (referenceMerchantId, merchantName, merchantMCC) and order.merchant.store
/// (referenceStoreId, storeName, storeMCC), as the official SDKs validate. Optional fields are type-checked.
/// </summary>
internal sealed record PayRequest(
    string PaymentRequestId,
    PaymentScenario Scenario,
    AntomAmount Amount,
    string? PaymentMethodId,
    string? NotifyUrl,
    string? RedirectUrl,
    DateTimeOffset? ExpiryTime,
    string? SettlementCurrency)
{
    public static PayRequest Parse(JsonElement root, bool enforceIdrRounding)
    {
        string productCode = JsonFields.RequiredString(root, "productCode", 64);
        if (productCode != "IN_STORE_PAYMENT")
        {
            throw AntomFailure.ParamIllegal("productCode must be IN_STORE_PAYMENT");
        }

        string paymentRequestId = JsonFields.RequiredId(root, "paymentRequestId");
        AntomAmount amount = JsonFields.RequiredAmount(root, "paymentAmount", enforceIdrRounding);

        JsonElement method = JsonFields.RequiredObject(root, "paymentMethod");
        if (JsonFields.RequiredString(method, "paymentMethod.paymentMethodType", 64) != "CONNECT_WALLET")
        {
            throw AntomFailure.ParamIllegal("paymentMethod.paymentMethodType must be CONNECT_WALLET for in-store payments");
        }

        JsonElement factor = JsonFields.RequiredObject(root, "paymentFactor");
        string scenarioText = JsonFields.RequiredString(factor, "paymentFactor.inStorePaymentScenario", 32);
        PaymentScenario scenario = scenarioText switch
        {
            "PaymentCode" => PaymentScenario.PaymentCode,
            "OrderCode" => PaymentScenario.OrderCode,
            "EntryCode" => PaymentScenario.EntryCode,
            _ => throw AntomFailure.ParamIllegal("paymentFactor.inStorePaymentScenario must be PaymentCode, OrderCode or EntryCode"),
        };

        string? methodId = scenario == PaymentScenario.PaymentCode
            ? JsonFields.RequiredString(method, "paymentMethod.paymentMethodId", 128)
            : JsonFields.OptionalString(method, "paymentMethod.paymentMethodId", 128);

        CheckOrder(root, enforceIdrRounding);

        string? notifyUrl = OptionalWebUrl(root, "paymentNotifyUrl");

        // Order Code and Entry Code pay accept paymentRedirectUrl (URL, at most 2048); payment-code pay dropped the field
        // in 2022 (docs/antom-protocol.md 3.1): it is checked the same way there and not kept [choice].
        string? redirectUrl = OptionalWebUrl(root, "paymentRedirectUrl");
        if (scenario == PaymentScenario.PaymentCode)
        {
            redirectUrl = null;
        }

        DateTimeOffset? expiry = JsonFields.OptionalTime(root, "paymentExpiryTime");
        string? region = JsonFields.OptionalString(root, "merchantRegion", 2);
        if (region != null && (region.Length != 2 || !region.All(char.IsAsciiLetterUpper)))
        {
            throw AntomFailure.ParamIllegal("merchantRegion must be two capital letters (ISO 3166)");
        }

        string? settlementCurrency = null;
        if (JsonFields.OptionalObject(root, "settlementStrategy") is JsonElement strategy)
        {
            settlementCurrency = JsonFields.OptionalString(strategy, "settlementStrategy.settlementCurrency", 3);
            if (settlementCurrency != null && !Currencies.IsSupported(settlementCurrency))
            {
                throw new AntomFailure(ResultCodes.CurrencyNotSupport, $"settlementStrategy.settlementCurrency {settlementCurrency} is not supported");
            }
        }

        return new PayRequest(paymentRequestId, scenario, amount, methodId, notifyUrl, redirectUrl, expiry, settlementCurrency);
    }

    private static string? OptionalWebUrl(JsonElement root, string field)
    {
        string? url = JsonFields.OptionalString(root, field, 2048);
        if (url != null &&
            (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw AntomFailure.ParamIllegal(field + " must be an absolute http or https URL");
        }

        return url;
    }

    private static void CheckOrder(JsonElement root, bool enforceIdrRounding)
    {
        JsonElement order = JsonFields.RequiredObject(root, "order");
        JsonFields.RequiredString(order, "order.orderDescription", 256);
        JsonFields.RequiredAmount(order, "order.orderAmount", enforceIdrRounding);
        JsonFields.OptionalString(order, "order.referenceOrderId", 64);

        JsonElement merchant = JsonFields.RequiredObject(order, "order.merchant");
        JsonFields.RequiredString(merchant, "order.merchant.referenceMerchantId", 64);
        JsonFields.RequiredString(merchant, "order.merchant.merchantName", 256);
        JsonFields.RequiredString(merchant, "order.merchant.merchantMCC", 32);
        JsonFields.OptionalString(merchant, "order.merchant.merchantDisplayName", 64);

        JsonElement store = JsonFields.RequiredObject(merchant, "order.merchant.store");
        JsonFields.RequiredString(store, "order.merchant.store.referenceStoreId", 64);
        JsonFields.RequiredString(store, "order.merchant.store.storeName", 256);
        JsonFields.RequiredString(store, "order.merchant.store.storeMCC", 32);
        JsonFields.OptionalString(store, "order.merchant.store.storeTerminalId", 64);

        if (JsonFields.OptionalObject(order, "order.env") is JsonElement env)
        {
            JsonFields.OptionalString(env, "order.env.storeTerminalId", 64);
            JsonFields.OptionalTime(env, "order.env.storeTerminalRequestTime");
        }
    }
}
