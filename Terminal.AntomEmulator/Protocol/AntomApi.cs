namespace Terminal.AntomEmulator;

/// <summary>The Antom in-store endpoints the emulator serves (all POST).</summary>
public enum AntomApi
{
    /// <summary><c>/ams/api/v1/payments/pay</c> (PaymentCode, OrderCode and EntryCode scenarios).</summary>
    Pay,
    /// <summary><c>/ams/api/v1/payments/inquiryPayment</c>.</summary>
    InquiryPayment,
    /// <summary><c>/ams/api/v1/payments/cancel</c>.</summary>
    Cancel,
    /// <summary><c>/ams/api/v1/payments/refund</c>.</summary>
    Refund,
    /// <summary><c>/ams/api/v1/payments/inquiryRefund</c>.</summary>
    InquiryRefund,
}

/// <summary>Maps request paths to <see cref="AntomApi"/>; live and sandbox prefixes are both served.</summary>
internal static class AntomPaths
{
    public const string LivePrefix = "/ams/api/v1/payments/";
    // The official SDKs rewrite /ams/api to /ams/sandbox/api for SANDBOX_ client ids (docs/antom-protocol.md section 1).
    public const string SandboxPrefix = "/ams/sandbox/api/v1/payments/";

    public static bool TryMatch(string path, out AntomApi api)
    {
        string name;
        if (path.StartsWith(LivePrefix, StringComparison.Ordinal))
        {
            name = path.Substring(LivePrefix.Length);
        }
        else if (path.StartsWith(SandboxPrefix, StringComparison.Ordinal))
        {
            name = path.Substring(SandboxPrefix.Length);
        }
        else
        {
            api = default;
            return false;
        }

        switch (name)
        {
            case "pay": api = AntomApi.Pay; return true;
            case "inquiryPayment": api = AntomApi.InquiryPayment; return true;
            case "cancel": api = AntomApi.Cancel; return true;
            case "refund": api = AntomApi.Refund; return true;
            case "inquiryRefund": api = AntomApi.InquiryRefund; return true;
            default: api = default; return false;
        }
    }
}
