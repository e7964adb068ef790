using System.Globalization;
using Terminal.Gateway.CustomerPage;

namespace Terminal.Gateway.OperationsConsole.Rendering;

/// <summary>How the console writes times (UTC, to the second) and amounts, and reads amounts and times typed into its forms.</summary>
public static class ConsoleFormat
{
    public static string Time(long? epochMs) =>
        epochMs is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>"USD 1,234.50"; a negative amount (a day that refunded more than it sold) as "USD -1,234.50".</summary>
    public static string Money(string currency, long minor) =>
        minor >= 0 ? PageFormat.Money(currency, minor) : PageFormat.Money(currency, -minor).Insert(currency.Length + 1, "-");

    /// <summary>"12.34" in <paramref name="currency"/> as minor units (1234); false for anything with more decimals than the currency has.</summary>
    public static bool TryParseAmount(string? text, string currency, out long minor)
    {
        minor = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        int exponent = PageFormat.Exponent(currency);
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value) || value <= 0 || value > 1_000_000_000_000m) return false;
        decimal scaled = value * (exponent switch { 0 => 1m, 3 => 1000m, _ => 100m });
        if (scaled != decimal.Truncate(scaled)) return false;
        minor = (long)scaled;
        return true;
    }

    /// <summary>The amount in major units as a form shows it ("12.34").</summary>
    public static string Major(string currency, long minor)
    {
        int exponent = PageFormat.Exponent(currency);
        decimal scale = exponent switch { 0 => 1m, 3 => 1000m, _ => 100m };
        return (minor / scale).ToString(exponent == 0 ? "0" : "0." + new string('0', exponent), CultureInfo.InvariantCulture);
    }

    /// <summary>A datetime-local field's value ("2026-03-12T14:05", UTC) as epoch milliseconds.</summary>
    public static long? ParseTime(string? text) =>
        DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? new DateTimeOffset(t, TimeSpan.Zero).ToUnixTimeMilliseconds()
            : null;

    public static string Ago(long? epochMs, long nowMs)
    {
        if (epochMs is not long ms) return "never";
        long s = Math.Max(0, (nowMs - ms) / 1000);
        return s < 120 ? $"{s} s ago" : s < 7200 ? $"{s / 60} min ago" : s < 172_800 ? $"{s / 3600} h ago" : $"{s / 86400} days ago";
    }
}
