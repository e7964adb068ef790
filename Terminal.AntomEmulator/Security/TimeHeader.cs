using System.Globalization;
using System.Text.RegularExpressions;

namespace Terminal.AntomEmulator;

/// <summary>
/// Request-Time / Response-Time values. Accepted on input, as the official SDKs send them (docs/antom-protocol.md section 2):
/// epoch milliseconds (Java, Go), .NET "o" (<c>2024-05-01T10:00:00.1234567Z</c>), Python (<c>+00:00</c>) and
/// PHP DATE_ISO8601 (<c>+0000</c>). An ISO time must carry a zone.
/// </summary>
internal static partial class TimeHeader
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text.Length <= 16 && text.All(char.IsAsciiDigit))
        {
            long ms = long.Parse(text, CultureInfo.InvariantCulture);
            if (ms > 253402300799999L)
            {
                return false;
            }

            time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        var match = IsoPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        string fraction = match.Groups[2].Value;
        if (fraction.Length > 8)
        {
            fraction = fraction.Substring(0, 8); // .NET keeps 7 digits (100 ns ticks)
        }

        string zone = match.Groups[3].Value;
        if (zone.Length == 5)
        {
            zone = zone.Substring(0, 3) + ":" + zone.Substring(3); // PHP's +0000
        }

        return DateTimeOffset.TryParse(match.Groups[1].Value + fraction + zone, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public static string Format(DateTimeOffset time, TimeHeaderFormat format, TimeSpan offset) => format switch
    {
        TimeHeaderFormat.EpochMilliseconds => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        _ => FormatBodyTime(time, offset),
    };

    /// <summary>Body timestamps as in Antom's samples: <c>2020-03-15T20:06:02-07:00</c>.</summary>
    public static string FormatBodyTime(DateTimeOffset time, TimeSpan offset) =>
        time.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
