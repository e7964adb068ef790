namespace Terminal.Gateway.DeviceApi;

/// <summary>
/// A family of signed device messages (the Antom relay today; heartbeat, settings and update manifests later). Each
/// family signs with its own pair of keys derived from the provisioned device key (<see cref="DeviceKeys"/>): one for
/// device-to-gateway requests, one for gateway-to-device answers. A MAC made for one direction or one family never
/// verifies in another, so a signed answer posted back as a request is refused (docs/architecture.md section 3).
/// </summary>
/// <param name="Name">Lower-case ASCII name that goes into the labels; fixed forever once devices use it.</param>
public sealed record DeviceMessageType(string Name)
{
    /// <summary>Read-only (no <c>with</c>): the labels below are made from it once.</summary>
    public string Name { get; } = Name;

    /// <summary>The five Antom payment paths the gateway relays (docs/architecture.md section 3).</summary>
    public static readonly DeviceMessageType AntomRelay = new("antom-relay");

    /// <summary>The request's method, the first word of the content-to-sign: POST for messages, GET for update downloads.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Labels of further keys derived from the device key that the handler gets once the request is authenticated
    /// (<see cref="DeviceRequest.GrantedKey"/>): the heartbeat authenticates update manifests for the device with one.</summary>
    public IReadOnlyList<string> Grants { get; init; } = [];

    /// <summary>Label of the key that signs requests (device to gateway). Made once: every request looks it up.</summary>
    public string RequestLabel { get; } = DeviceKeys.Label(Name, DeviceKeys.DeviceToGateway);

    /// <summary>Label of the key that signs answers (gateway to device).</summary>
    public string AnswerLabel { get; } = DeviceKeys.Label(Name, DeviceKeys.GatewayToDevice);
}
