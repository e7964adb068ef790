using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.AntomRelay;

namespace Terminal.Gateway.DeviceApi;

/// <summary>
/// The device-facing API as route groups that share one <see cref="DeviceGate"/> (authentication and answer signing)
/// and nothing else:
/// <list type="bullet">
/// <item><see cref="MapAntomRelay"/>: the five Antom payment paths, each relayed with replay records keyed on the
/// signed request (<see cref="AntomRelayEndpoint"/>), message type <see cref="DeviceMessageType.AntomRelay"/>;</item>
/// <item><see cref="MapTerminalApi"/>: the terminal's own messages under <c>/terminal/v1</c> (heartbeat, settings,
/// update manifests as they come), each mapped with <see cref="MapDeviceMessage"/> and its own message type, so its
/// MACs never verify as Antom relay MACs and it does not go through the relay's replay and payment records; downloads
/// (update files) with <see cref="MapDeviceDownload"/>, a GET whose message type has its own request key.</item>
/// </list>
/// </summary>
public static class DeviceRouteGroups
{
    public const string AntomRelayPrefix = "/ams/api/v1/payments";
    public const string TerminalApiPrefix = "/terminal/v1";

    public static RouteGroupBuilder MapAntomRelay(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(AntomRelayPrefix);
        foreach (var (operation, path) in DeviceOperations.Paths)
        {
            string pattern = path[AntomRelayPrefix.Length..];
            group.MapDeviceMessage(pattern, DeviceMessageType.AntomRelay, operation,
                (request, services) => services.GetRequiredService<AntomRelayEndpoint>().HandleAsync(request));
        }
        return group;
    }

    /// <summary>The group the terminal's own messages join; each with <see cref="MapDeviceMessage"/>.</summary>
    public static RouteGroupBuilder MapTerminalApi(this IEndpointRouteBuilder app) => app.MapGroup(TerminalApiPrefix);

    /// <summary>Maps POST <paramref name="pattern"/> in <paramref name="group"/> as a signed device message of <paramref name="type"/>.</summary>
    public static RouteHandlerBuilder MapDeviceMessage(this RouteGroupBuilder group, string pattern, DeviceMessageType type, string operation,
        Func<DeviceRequest, IServiceProvider, Task<DeviceAnswer>> handler) =>
        group.MapPost(pattern, (HttpContext context, DeviceGate gate) =>
            gate.HandleAsync(context, type, operation, request => handler(request, context.RequestServices)));

    /// <summary>Maps GET <paramref name="pattern"/> in <paramref name="group"/> as a signed download of <paramref name="type"/>
    /// (whose <see cref="DeviceMessageType.Method"/> is GET): the handler writes the answer and returns its result code.</summary>
    public static RouteHandlerBuilder MapDeviceDownload(this RouteGroupBuilder group, string pattern, DeviceMessageType type, string operation,
        Func<DeviceRequest, HttpContext, Task<string>> handler) =>
        group.MapGet(pattern, (HttpContext context, DeviceGate gate) => gate.HandleDownloadAsync(context, type, operation, handler));
}
