using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.CustomerPage;

/// <summary>
/// Puts the customer's result page into order-code pays: <c>paymentRedirectUrl</c> = the page's public address + the
/// payment's token. Antom's Order Code pay takes the field (URL, at most 2,048 characters); its payment-code pay
/// dropped it in 2022 (docs/antom-protocol.md 3.1), so payment-code pays get none. The field is the merchant's, like
/// paymentNotifyUrl: a device that sends one is refused, so no terminal can send customers elsewhere.
/// </summary>
public sealed class CustomerLinks(GatewaySettings settings, CustomerLinkStore links, GatewayEndpoints endpoints)
{
    public const string Field = "paymentRedirectUrl";

    /// <summary>Null, or the PARAM_ILLEGAL message for a pay body that sets the field itself.</summary>
    public static string? RefuseDeviceValue(ReadOnlySpan<byte> body) =>
        RequestJson.Kind(body, Field) != JsonTokenType.None ? Field + ": the gateway sets it (the customer's result page); leave it out" : null;

    /// <summary>True when <see cref="AttachAsync"/> adds a link to this pay's body (an order code, with the customer page on).</summary>
    public bool WillAttach(byte[] body) =>
        settings.Options.CustomerPage.Enabled && RequestJson.Is(body, "OrderCode", "paymentFactor", "inStorePaymentScenario");

    /// <summary>
    /// For an order-code pay (with the page enabled): creates the payment's link, or finds the one a previous pay with the
    /// same paymentRequestId created, and plans its URL into <paramref name="completion"/>. <paramref name="storeName"/>
    /// is the store's name as the completed body has it (the page shows it).
    /// </summary>
    public async Task AttachAsync(string paymentRequestId, byte[] body, string? storeName, BodyCompletion completion, CancellationToken ct)
    {
        if (!WillAttach(body)) return;
        var options = settings.Options.CustomerPage;
        string seed = LinkTokens.NewSeed();
        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var link = await links.EnsureAsync(new CustomerLinkRecord(LinkTokens.Hash(LinkTokens.FromSeed(settings.DataKeys, seed)), paymentRequestId, seed,
            storeName, now, now + options.LinkLifetimeHours * 3_600_000L, 0, null, null), ct).ConfigureAwait(false);
        completion.Fill(Field, UrlOf(LinkTokens.FromSeed(settings.DataKeys, link.Seed)));
    }

    public string UrlOf(string token) => endpoints.CustomerPageBaseUrl + token;

    /// <summary>The link a stored body's paymentRedirectUrl carries, with its token masked (stored bodies never hold it).</summary>
    public static void MaskForStorage(JsonObject copy)
    {
        if (AntomJson.Str(copy, Field) is not { } url) return;
        int slash = url.LastIndexOf('/');
        copy[Field] = url[..(slash + 1)] + new string('*', Math.Max(0, url.Length - slash - 1));
    }
}
