using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Terminal.Gateway.Hosting;

/// <summary>
/// The two kinds of listener: device listeners (<c>Gateway:Urls</c>: the device API, notifyPayment) and admin
/// listeners (<c>Gateway:AdminUrls</c>, loopback by default: the admin API, /metrics and the operations console under /console). Each accepted connection is
/// tagged with its listener, and <see cref="Split"/> serves a path only on its own kind, so neither a Host header nor
/// a reverse proxy that forwards everything can reach the admin API through a device port.
/// </summary>
public sealed class GatewayListeners
{
    private const string ItemKey = "terminal-gateway-listener";
    private const string AdminTag = "admin";

    internal List<(ListenOptions Options, string Scheme)> Device { get; } = [];
    internal List<(ListenOptions Options, string Scheme)> Admin { get; } = [];

    /// <summary>Tags the connections of <paramref name="listen"/> (called while Kestrel is configured).</summary>
    internal void Add(ListenOptions listen, string scheme, bool admin)
    {
        (admin ? Admin : Device).Add((listen, scheme));
        if (admin)
        {
            listen.Use(next => connection =>
            {
                connection.Items[ItemKey] = AdminTag;
                return next(connection);
            });
        }
    }

    /// <summary>True when the request came in on an admin listener.</summary>
    public static bool IsAdmin(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out object? tag) == true && AdminTag.Equals(tag);

    /// <summary>The admin API, /metrics and the console only on admin listeners, everything else (but health) only on device listeners: 404 otherwise.</summary>
    public static Task Split(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        bool shared = path == "/healthz" || path == "/readyz";
        bool adminPath = path == "/metrics" || path.StartsWithSegments("/admin") || path.StartsWithSegments(OperationsConsole.Hosting.ConsolePaths.Root);
        if (!shared && adminPath != IsAdmin(context))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return next(context);
    }

    /// <summary>The base URI of the first listener of a kind once bound (port 0 resolved; any-address shown as loopback).</summary>
    internal static Uri? BaseUri(List<(ListenOptions Options, string Scheme)> listeners)
    {
        if (listeners.Count == 0) return null;
        var (options, scheme) = listeners[0];
        var endpoint = options.IPEndPoint;
        if (endpoint == null) return null;
        var address = endpoint.Address;
        if (address.Equals(System.Net.IPAddress.Any)) address = System.Net.IPAddress.Loopback;
        if (address.Equals(System.Net.IPAddress.IPv6Any)) address = System.Net.IPAddress.IPv6Loopback;
        string host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString();
        return new Uri($"{scheme}://{host}:{endpoint.Port}/");
    }
}
