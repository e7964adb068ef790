namespace Terminal.Gateway.Devices;

/// <summary>Field rules shared by the admin API, the CLI and configuration checks.</summary>
public static class DeviceValidation
{
    public const int MaxDeviceIdLength = 32;
    public const int MaxReferenceLength = 64;

    /// <summary>Letters and digits, 1..32 (docs/gateway-admin-api.md, docs/configuration.md).</summary>
    public static bool IsDeviceId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxDeviceIdLength && id.All(char.IsAsciiLetterOrDigit);

    public static bool IsCurrency(string? c) => c is { Length: 3 } && c.All(char.IsAsciiLetterUpper);

    /// <summary>Antom reference ids: 1..64 printable ASCII characters without spaces.</summary>
    public static bool IsReference(string? v) =>
        !string.IsNullOrEmpty(v) && v.Length <= MaxReferenceLength && v.All(ch => ch > ' ' && ch < 0x7f);

    /// <summary>Returns null if the registration is valid, else "field: reason".</summary>
    public static string? Check(DeviceRegistration r)
    {
        if (!IsDeviceId(r.DeviceId)) return "deviceId: letters and digits only, 1 to 32 characters";
        if (r.ReferenceMerchantId != null && !IsReference(r.ReferenceMerchantId)) return "referenceMerchantId: 1 to 64 printable characters without spaces";
        if (r.ReferenceStoreId != null && !IsReference(r.ReferenceStoreId)) return "referenceStoreId: 1 to 64 printable characters without spaces";
        if (r.StoreTerminalId != null && !IsReference(r.StoreTerminalId)) return "storeTerminalId: 1 to 64 printable characters without spaces";
        if (r.MaxAmountMinor is <= 0) return "maxAmountMinor: a positive integer (minor units)";
        if (r.Currencies != null)
            foreach (string c in r.Currencies)
                if (!IsCurrency(c)) return $"currencies: '{c}' is not an ISO 4217 code (3 capital letters)";
        return null;
    }
}
