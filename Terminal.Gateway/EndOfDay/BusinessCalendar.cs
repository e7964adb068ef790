using System.Globalization;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// The merchant's calendar: which epoch-millisecond range a local date covers in the configured time zone, and which
/// local date an instant falls on. Records are stored in UTC milliseconds; only this class knows about zones.
/// </summary>
public sealed class BusinessCalendar(TimeZoneInfo zone)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>[start, end) of <paramref name="day"/> in epoch milliseconds: local midnight to the next local midnight.</summary>
    public (long StartMs, long EndMs) Bounds(DateOnly day) => (LocalMidnight(day), LocalMidnight(day.AddDays(1)));

    public DateOnly DayOf(long epochMs) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), zone).DateTime);

    /// <summary>ISO 8601 local time with its offset, e.g. <c>2026-12-03T23:59:58+01:00</c>.</summary>
    public string LocalTime(long epochMs) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(epochMs), zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>yyyy-MM-dd</c>; null for anything else.</summary>
    public static DateOnly? ParseDay(string? text) =>
        text != null && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static string Format(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private long LocalMidnight(DateOnly day)
    {
        // Midnight may not exist on a spring-forward day in some zones (it jumps 00:00 -> 01:00): the day then starts at
        // the first local instant that exists, which is the UTC instant of the skipped midnight's end.
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUnixTimeMilliseconds();
    }
}
