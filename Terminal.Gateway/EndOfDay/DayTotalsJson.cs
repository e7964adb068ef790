using System.Globalization;
using System.Text.Json;
using Terminal.Gateway.Api;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// The admin API's JSON of the day's totals (docs/gateway-admin-api.md, "End of day"), piece by piece, for the whole
/// selection streamed (<see cref="DayTotalsExport"/>) and for a page of it alike: the selection, its lines, the totals per
/// currency. Escaped like every other answer of the API (<see cref="AntomJson.Relaxed"/>); amounts in minor units as
/// strings, like Antom's amount values.
/// </summary>
public static class DayTotalsJson
{
    public static readonly JsonWriterOptions Options = new() { Encoder = AntomJson.Relaxed.Encoder };

    /// <summary>Opens the answer's object with the selection and starts its <c>lines</c> array.</summary>
    public static void StartLines(Utf8JsonWriter json, TotalsFilter filter, string timeZone)
    {
        json.WriteStartObject();
        json.WriteString("from", BusinessCalendar.Format(filter.From));
        json.WriteString("to", BusinessCalendar.Format(filter.To));
        json.WriteString("timeZone", timeZone);
        json.WriteString("referenceStoreId", filter.StoreId);
        json.WriteString("deviceId", filter.DeviceId);
        json.WriteStartArray("lines");
    }

    public static void Line(Utf8JsonWriter json, string day, string store, string device, string currency, DayFigures figures)
    {
        json.WriteStartObject();
        json.WriteString("day", day);
        json.WriteString("referenceStoreId", store);
        json.WriteString("deviceId", device);
        Figures(json, currency, figures);
        json.WriteEndObject();
    }

    /// <summary>Ends the <c>lines</c> array and writes the <c>totals</c> one; the object stays open for more members.</summary>
    public static void EndLines(Utf8JsonWriter json, IEnumerable<CurrencyTotals> totals)
    {
        json.WriteEndArray();
        json.WriteStartArray("totals");
        foreach (var t in totals)
        {
            json.WriteStartObject();
            Figures(json, t.Currency, t.Figures);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void Figures(Utf8JsonWriter json, string currency, DayFigures f)
    {
        json.WriteString("currency", currency);
        json.WriteNumber("salesCount", f.SalesCount);
        Minor(json, "salesMinor", f.SalesMinor);
        json.WriteNumber("voidsCount", f.VoidsCount);
        Minor(json, "voidsMinor", f.VoidsMinor);
        json.WriteNumber("refundsCount", f.RefundsCount);
        Minor(json, "refundsMinor", f.RefundsMinor);
        Minor(json, "netMinor", f.NetMinor);
        json.WriteNumber("failedCount", f.FailedCount);
        json.WriteNumber("openCount", f.OpenCount);
    }

    private static void Minor(Utf8JsonWriter json, string name, long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int length, default, CultureInfo.InvariantCulture);
        json.WriteString(name, digits[..length]);
    }
}
