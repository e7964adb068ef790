using System.Globalization;

namespace Terminal.Gateway.CustomerPage;

/// <summary>Amounts and times as the page writes them, without culture data (the gateway runs with invariant globalization).</summary>
public static class PageFormat
{
    /// <summary>ISO 4217 currencies whose minor unit is not the hundredth (zero or three decimals); all others have two.</summary>
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    /// <summary>Decimals of the currency's minor unit: 0, 2 or 3.</summary>
    public static int Exponent(string currency) => Exponents.TryGetValue(currency, out int e) ? e : 2;

    /// <summary>"USD 1,234.50", "JPY 1,500", "KWD 0.308".</summary>
    public static string Money(string currency, long minor)
    {
        int exponent = Exponent(currency);
        long scale = exponent switch { 0 => 1, 3 => 1000, _ => 100 };
        string whole = (minor / scale).ToString("#,0", CultureInfo.InvariantCulture);
        return exponent == 0 ? $"{currency} {whole}" : $"{currency} {whole}.{(minor % scale).ToString(new string('0', exponent), CultureInfo.InvariantCulture)}";
    }

    /// <summary>The time in the store's zone with its UTC offset, e.g. "12 Mar 2026, 14:05 (UTC+08:00)".</summary>
    public static string Time(DateTimeOffset utc, TimeZoneInfo zone, PageText text)
    {
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        string offset = (local.Offset < TimeSpan.Zero ? "-" : "+") + local.Offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        string date = string.Format(CultureInfo.InvariantCulture, text.DateFormat, local.Year, text.Months[local.Month - 1], local.Day,
            local.ToString("HH:mm", CultureInfo.InvariantCulture));
        return $"{date} (UTC{offset})";
    }

    /// <summary>The zone for an IANA id, or null.</summary>
    public static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
