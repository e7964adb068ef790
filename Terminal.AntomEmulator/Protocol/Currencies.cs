namespace Terminal.AntomEmulator;

/// <summary>
/// ISO 4217 facts the emulator needs: numeric code (Antom writes quote pairs as "446/156"), minor-unit exponent,
/// and a fixed, made-up rate in US dollars per major unit so that quotes are deterministic.
/// </summary>
internal static class Currencies
{
    internal sealed record Info(string Code, string Numeric, int Exponent, decimal UsdPerUnit);

    private static readonly Dictionary<string, Info> Table = Build(
        new Info("USD", "840", 2, 1m),
        new Info("CNY", "156", 2, 0.138m),
        new Info("HKD", "344", 2, 0.128m),
        new Info("MOP", "446", 2, 0.124m),
        new Info("TWD", "901", 2, 0.031m),
        new Info("JPY", "392", 0, 0.0067m),
        new Info("KRW", "410", 0, 0.00073m),
        new Info("SGD", "702", 2, 0.74m),
        new Info("MYR", "458", 2, 0.21m),
        new Info("THB", "764", 2, 0.028m),
        new Info("PHP", "608", 2, 0.0175m),
        new Info("IDR", "360", 2, 0.000063m),
        new Info("VND", "704", 0, 0.00004m),
        new Info("INR", "356", 2, 0.012m),
        new Info("BDT", "050", 2, 0.0084m),
        new Info("PKR", "586", 2, 0.0036m),
        new Info("EUR", "978", 2, 1.08m),
        new Info("GBP", "826", 2, 1.26m),
        new Info("CHF", "756", 2, 1.13m),
        new Info("TRY", "949", 2, 0.031m),
        new Info("ISK", "352", 0, 0.0072m),
        new Info("AUD", "036", 2, 0.66m),
        new Info("NZD", "554", 2, 0.61m),
        new Info("CAD", "124", 2, 0.73m),
        new Info("CLP", "152", 0, 0.00106m),
        new Info("KWD", "414", 3, 3.25m),
        new Info("BHD", "048", 3, 2.65m),
        new Info("JOD", "400", 3, 1.41m),
        new Info("OMR", "512", 3, 2.6m));

    public static Info Get(string code) =>
        Table.TryGetValue(code, out var info) ? info : throw new ArgumentException($"unsupported currency {code}", nameof(code));

    public static bool IsSupported(string code) => Table.ContainsKey(code);

    /// <summary>Price of one major unit of <paramref name="from"/> in <paramref name="to"/>, 8 decimals.</summary>
    public static decimal QuotePrice(string from, string to) =>
        decimal.Round(Get(from).UsdPerUnit / Get(to).UsdPerUnit, 8, MidpointRounding.AwayFromZero);

    /// <summary>"446/156": numeric codes, the way Antom writes <c>quoteCurrencyPair</c>.</summary>
    public static string QuotePair(string from, string to) => Get(from).Numeric + "/" + Get(to).Numeric;

    /// <summary>Converts minor units across currencies, respecting both exponents; never below 1 minor unit.</summary>
    public static long Convert(AntomAmount amount, string to)
    {
        var source = Get(amount.Currency);
        var target = Get(to);
        if (source.Code == target.Code)
        {
            return amount.Value;
        }

        decimal major = amount.Value / Pow10(source.Exponent);
        decimal converted = major * QuotePrice(source.Code, target.Code) * Pow10(target.Exponent);
        long minor = (long)decimal.Round(converted, 0, MidpointRounding.AwayFromZero);
        return Math.Max(1, minor);
    }

    private static decimal Pow10(int exponent)
    {
        decimal result = 1m;
        for (int i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }

    private static Dictionary<string, Info> Build(params Info[] infos)
    {
        var table = new Dictionary<string, Info>(StringComparer.Ordinal);
        foreach (var info in infos)
        {
            table.Add(info.Code, info);
        }

        return table;
    }
}
