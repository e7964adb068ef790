namespace Terminal.Gateway.Devices;

public static class DeviceStatus
{
    public const string Active = "active";
    public const string Revoked = "revoked";
}

/// <summary>A registered terminal: its binding to merchant/store/terminal ids and its limits. Keys live in <see cref="DeviceKey"/>.</summary>
public sealed record Device(
    string DeviceId,
    string Status,
    string ReferenceMerchantId,
    string ReferenceStoreId,
    string StoreTerminalId,
    long? MaxAmountMinor,
    IReadOnlyList<string> Currencies,
    long CreatedAt,
    long UpdatedAt)
{
    public bool IsActive => Status == DeviceStatus.Active;

    /// <summary>An empty list allows every currency.</summary>
    public bool AllowsCurrency(string currency)
    {
        if (Currencies.Count == 0) return true;
        for (int i = 0; i < Currencies.Count; i++)
        {
            if (string.Equals(Currencies[i], currency, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

/// <summary>One version of a device's HMAC key, still encrypted as stored.</summary>
public sealed record DeviceKey(string DeviceId, int KeyVersion, string Ciphertext, long CreatedAt, long? RetiredAt)
{
    public bool IsRetired => RetiredAt != null;
}

/// <summary>What a registration asks for; unset fields take the gateway's Merchant defaults.</summary>
public sealed record DeviceRegistration(
    string DeviceId,
    string? ReferenceMerchantId = null,
    string? ReferenceStoreId = null,
    string? StoreTerminalId = null,
    long? MaxAmountMinor = null,
    IReadOnlyList<string>? Currencies = null);

/// <summary>The device key handed out once, at registration or rotation.</summary>
public sealed record DeviceCredentials(string DeviceId, int KeyVersion, string Key)
{
    /// <summary>The raw 32 key bytes (Key is their standard base64).</summary>
    public byte[] KeyBytes => Convert.FromBase64String(Key);

    public override string ToString() => $"DeviceCredentials {{ DeviceId = {DeviceId}, KeyVersion = {KeyVersion}, Key = *** }}";
}
