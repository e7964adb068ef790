using Terminal.Gateway.Devices;

namespace Terminal.Gateway.DeviceApi;

/// <summary>An authenticated device request as a route group's handler gets it: who, when, what path, which bytes.</summary>
public sealed class DeviceRequest
{
    private readonly byte[][] _grantedKeys;

    internal DeviceRequest(DeviceMessageType type, string operation, string path, Device device, int keyVersion, long requestTime, byte[] body, byte[][]? grantedKeys = null)
    {
        _grantedKeys = grantedKeys ?? [];
        Type = type;
        Operation = operation;
        Path = path;
        Device = device;
        KeyVersion = keyVersion;
        RequestTime = requestTime;
        Body = body;
    }

    public DeviceMessageType Type { get; }

    /// <summary>Name of the operation for logs and metrics (pay, inquiryPayment, ...).</summary>
    public string Operation { get; }

    /// <summary>The path as signed (with a reverse proxy's path base, if any).</summary>
    public string Path { get; }

    public Device Device { get; }
    public int KeyVersion { get; }
    public long RequestTime { get; }

    /// <summary>The exact body bytes the device signed; valid UTF-8 JSON without duplicate keys (<see cref="StrictJson"/>).</summary>
    public byte[] Body { get; }

    /// <summary>The device's key of <paramref name="label"/>, one of the message type's <see cref="DeviceMessageType.Grants"/>;
    /// valid while the handler runs (cleared after it).</summary>
    public byte[] GrantedKey(string label)
    {
        for (int i = 0; i < Type.Grants.Count && i < _grantedKeys.Length; i++)
            if (Type.Grants[i] == label) return _grantedKeys[i];
        throw new InvalidOperationException($"message type {Type.Name} is not granted the key {label}");
    }
}

/// <summary>What a handler answers: the body (signed by <see cref="DeviceGate"/>), and what to log about it.</summary>
/// <param name="Body">Antom-shaped JSON body.</param>
/// <param name="Replayed">Served from the record of an earlier identical request (header <c>Gateway-Replayed: true</c>).</param>
/// <param name="RequestId">The business id for the log line (paymentRequestId, refundRequestId), if any.</param>
/// <param name="Outcome">How the answer was obtained, for the log line (upstream outcome, "replayed", ...).</param>
public sealed record DeviceAnswer(string Body, bool Replayed = false, string? RequestId = null, string Outcome = "local");

/// <summary>Handles one authenticated device request of a route group.</summary>
public delegate Task<DeviceAnswer> DeviceMessageHandler(DeviceRequest request);
