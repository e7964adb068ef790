namespace Terminal.AntomEmulator;

/// <summary>Payment code formats the wallet can issue (Alipay+ code standard, docs/antom-protocol.md section 5).</summary>
public enum PaymentCodeFormat
{
    /// <summary>24 digits: 6-digit issuer id, business type 02 (UPM payment code), 16-digit UIN.</summary>
    Mainstream24,
    /// <summary>Legacy 17 digits: 28 + 15 digits.</summary>
    Legacy17,
    /// <summary>Legacy 18 digits: 28 + 16 digits (like the SDK sample 288888888888888888).</summary>
    Legacy18,
    /// <summary>Legacy Alipay+ 19 digits: 289, 10 digits, 6, 5 digits.</summary>
    Legacy19,
}
