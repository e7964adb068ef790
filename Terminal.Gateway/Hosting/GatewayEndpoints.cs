namespace Terminal.Gateway.Hosting;

/// <summary>
/// Addresses known only once the server listens (port 0 picks one): the base URI, and the notify URL that the
/// gateway writes into every pay request as paymentNotifyUrl. Antom signs notifications over the path of that URL,
/// so <see cref="NotifySignaturePath"/> includes any prefix of <c>Gateway:PublicBaseUrl</c> (reverse proxy).
/// </summary>
public sealed class GatewayEndpoints
{
    public Uri BaseUri { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Where the admin API and /metrics answer (the first admin listener).</summary>
    public Uri AdminBaseUri { get; private set; } = new("http://127.0.0.1/");
    public string NotifyUrl { get; private set; } = "";
    public string NotifySignaturePath { get; private set; } = "";

    /// <summary>The public address of the customer's result pages; a link is this + its token (docs/customer-page.md).</summary>
    public string CustomerPageBaseUrl { get; private set; } = "";

    internal void Set(Uri listenBase, Uri? adminBase, Uri? publicBase, string notifyPath)
    {
        BaseUri = listenBase;
        AdminBaseUri = adminBase ?? listenBase;
        var basis = publicBase ?? listenBase;
        NotifyUrl = basis.GetLeftPart(UriPartial.Path).TrimEnd('/') + notifyPath;
        NotifySignaturePath = new Uri(NotifyUrl).AbsolutePath;
        CustomerPageBaseUrl = basis.GetLeftPart(UriPartial.Path).TrimEnd('/') + CustomerPage.CustomerPageEndpoint.PathPrefix;
    }
}
