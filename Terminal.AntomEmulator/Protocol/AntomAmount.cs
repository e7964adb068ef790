namespace Terminal.AntomEmulator;

/// <summary>An Antom amount: ISO 4217 currency and a value in that currency's minor units (JPY 1 = 1, USD 1.00 = 100).</summary>
/// <param name="Currency">Three upper-case letters.</param>
/// <param name="Value">Positive integer in minor units; on the wire it is a JSON string.</param>
public sealed record AntomAmount(string Currency, long Value);
