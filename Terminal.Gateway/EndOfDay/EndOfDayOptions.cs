using Terminal.Gateway.CustomerPage;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// <c>Gateway:EndOfDay</c>: how the day's totals and the reconciliation with Antom's transaction details report are
/// cut (docs/reconciliation.md lists every key).
/// </summary>
public sealed class EndOfDayOptions
{
    /// <summary>IANA time zone of the merchant's business day, e.g. <c>Asia/Singapore</c>: a day runs from local
    /// midnight to local midnight (23 or 25 hours on a daylight-saving change).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Largest Antom report accepted, in bytes (a day of 100,000 transactions is about 7 MB).</summary>
    public int MaxReportBytes { get; set; } = 128 * 1024 * 1024;

    internal void Validate(List<string> errors)
    {
        const string key = "Gateway:EndOfDay:";
        if (PageFormat.FindZone(TimeZone) == null) errors.Add($"{key}TimeZone '{TimeZone}' is not an IANA time zone id (e.g. Asia/Singapore)");
        if (MaxReportBytes is < 1024 or > 1024 * 1024 * 1024) errors.Add(key + "MaxReportBytes must be between 1024 and 1073741824 (1 GiB)");
    }
}
