using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Security;

namespace Terminal.Gateway.DeviceApi;

/// <summary>
/// Outcome of authenticating a device request. On failure <see cref="ErrorCode"/> is set. <see cref="AnswerKey"/> is
/// set only when the request's MAC verified with a current key of the device: an answer to anything else is never
/// signed with a device key (an attacker must not obtain MACs of contents of their choosing).
/// </summary>
public sealed record DeviceAuthentication(Device? Device, byte[]? AnswerKey, int KeyVersion, long RequestTime, string? ErrorCode, string? ErrorMessage)
{
    public bool Succeeded => ErrorCode == null;

    /// <summary>The keys of the message type's <see cref="DeviceMessageType.Grants"/>, in that order; only on success.</summary>
    public byte[][] GrantedKeys { get; init; } = [];
}

/// <summary>
/// Checks, in this order: headers present and well-formed (PARAM_ILLEGAL), device and key version known
/// (KEY_NOT_FOUND), HS256 signature over Antom's content-to-sign with the message type's request key
/// (INVALID_SIGNATURE, constant-time compare), key version not retired (KEY_NOT_FOUND), device active
/// (ACCESS_DENIED), Request-Time within the window (PARAM_ILLEGAL). A first good signature with a newer key version
/// retires the older versions (rotation without downtime). Only the last three failures, which come after a verified
/// MAC, get a signed answer.
/// </summary>
public sealed class DeviceAuthenticator(DeviceRegistry registry, GatewaySettings settings, ILogger<DeviceAuthenticator> log)
{
    public async Task<DeviceAuthentication> AuthenticateAsync(DeviceMessageType type, string path, string? clientId, string? requestTimeText, string? signatureText,
        byte[] body, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(clientId)) return Fail(ResultCodes.ParamIllegal, "Client-Id header is missing");
        if (string.IsNullOrEmpty(requestTimeText)) return Fail(ResultCodes.ParamIllegal, "Request-Time header is missing");
        if (requestTimeText.Length > 15 || !long.TryParse(requestTimeText, NumberStyles.None, CultureInfo.InvariantCulture, out long requestTime))
            return Fail(ResultCodes.ParamIllegal, "Request-Time must be epoch milliseconds");
        if (string.IsNullOrEmpty(signatureText)) return Fail(ResultCodes.ParamIllegal, "Signature header is missing");
        var signature = SignatureHeader.TryParse(signatureText, out string parseError);
        if (signature == null) return Fail(ResultCodes.InvalidSignature, parseError);

        if (!DeviceValidation.IsDeviceId(clientId)) return Fail(ResultCodes.KeyNotFound, "unknown Client-Id");
        var found = await registry.FindWithKeysAsync(clientId, ct).ConfigureAwait(false);
        if (found == null) return Fail(ResultCodes.KeyNotFound, "unknown Client-Id");
        var (device, keys) = found.Value;

        var keyRow = KeyOf(keys, signature.KeyVersion);
        if (keyRow == null) return Fail(ResultCodes.KeyNotFound, $"keyVersion {signature.KeyVersion} is not registered for this device");
        if (!signature.Algorithm.Equals(SignatureHeader.Hs256, StringComparison.OrdinalIgnoreCase))
            return Fail(ResultCodes.InvalidSignature, "Signature algorithm must be HS256");

        byte[] requestKey, answerKey;
        try
        {
            requestKey = registry.LabelKey(keyRow, type.RequestLabel);
            // A copy: the gate clears the answer key once the answer is signed.
            answerKey = (byte[])registry.LabelKey(keyRow, settings.Options.SignAnswersWithRequestKey ? type.RequestLabel : type.AnswerLabel).Clone();
        }
        catch (CryptographicException)
        {
            // Stored with another key-encryption key: an operator error, not the device's.
            log.LogError("device {DeviceId} key version {KeyVersion} does not decrypt with the configured key-encryption key", clientId, signature.KeyVersion);
            return Fail(ResultCodes.KeyNotFound, "device key is not available");
        }

        bool verified;
        using (var content = SignContent.Rent(type.Method, path, clientId, requestTimeText, body))
            verified = Hs256.Verify(requestKey, content.Span, signature.Signature);
        // Copies, as the answer key: the gate clears granted keys once the answer is sent.
        byte[][] granted = verified && !keyRow.IsRetired && device.IsActive ? GrantedKeys(type, keyRow) : [];
        if (!verified)
        {
            CryptographicOperations.ZeroMemory(answerKey);
            return Fail(ResultCodes.InvalidSignature, "signature does not match the request");
        }

        // From here on the MAC verified: the sender holds the key, so the answer is signed (a terminal still on a
        // retired key learns for certain that it must be re-provisioned).
        if (keyRow.IsRetired)
            return new DeviceAuthentication(device, answerKey, signature.KeyVersion, requestTime, ResultCodes.KeyNotFound, $"keyVersion {signature.KeyVersion} was replaced by a newer key");
        if (!device.IsActive)
            return new DeviceAuthentication(device, answerKey, signature.KeyVersion, requestTime, ResultCodes.AccessDenied, "device is revoked");

        long now = settings.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        long window = (long)settings.RequestTimeWindow.TotalMilliseconds;
        if (Math.Abs(now - requestTime) > window)
        {
            foreach (byte[] grantedKey in granted) CryptographicOperations.ZeroMemory(grantedKey);
            return new DeviceAuthentication(device, answerKey, signature.KeyVersion, requestTime, ResultCodes.ParamIllegal,
                $"Request-Time is {(requestTime < now ? "older" : "newer")} than the allowed window of {window / 1000} s around gateway time (check the device clock)");
        }

        if (HasOlderActiveKey(keys, signature.KeyVersion))
        {
            try
            {
                await registry.RetireOlderKeysAsync(clientId, signature.KeyVersion, ct).ConfigureAwait(false);
                log.LogInformation("device {DeviceId} signed with key version {KeyVersion}; older versions retired", clientId, signature.KeyVersion);
            }
            catch (Exception e) when (Storage.GatewayDatabase.IsUnavailable(e))
            {
                // The request is authentic either way; the next request with the new key retires them.
                log.LogWarning("device {DeviceId}: older key versions not retired now ({Error})", clientId, e.Message);
            }
        }
        return new DeviceAuthentication(device, answerKey, signature.KeyVersion, requestTime, null, null) { GrantedKeys = granted };
    }

    // Index loops rather than LINQ: this runs on every device request, and the lambdas and enumerators would allocate.
    private static DeviceKey? KeyOf(IReadOnlyList<DeviceKey> keys, int version)
    {
        for (int i = 0; i < keys.Count; i++) if (keys[i].KeyVersion == version) return keys[i];
        return null;
    }

    private static bool HasOlderActiveKey(IReadOnlyList<DeviceKey> keys, int version)
    {
        for (int i = 0; i < keys.Count; i++) if (keys[i].KeyVersion < version && !keys[i].IsRetired) return true;
        return false;
    }

    private byte[][] GrantedKeys(DeviceMessageType type, DeviceKey keyRow)
    {
        if (type.Grants.Count == 0) return [];
        var granted = new byte[type.Grants.Count][];
        for (int i = 0; i < granted.Length; i++) granted[i] = (byte[])registry.LabelKey(keyRow, type.Grants[i]).Clone();
        return granted;
    }

    private static DeviceAuthentication Fail(string code, string message) => new(null, null, 0, 0, code, message);
}
