using System.Text.Json;
using Terminal.Gateway.Updates;

namespace Terminal.Gateway.Fleet;

/// <summary>A journal entry a heartbeat names: an unfinished transaction, or one the terminal ended for review.</summary>
public sealed record JournalReference(string Kind, string RequestId, string? Reference);

/// <summary>
/// A terminal's heartbeat body, checked member by member (docs/fleet-link.md, "Heartbeat"). Every member the firmware
/// writes is required except those it leaves out when unknown (heap, wifi, lastError, the rejected settings' fields);
/// an unknown member, a value of the wrong type or out of range refuses the whole body with a message naming it.
/// </summary>
public sealed record HeartbeatReport(
    string Beat, string Firmware, long UptimeS, long IntervalMs, long BootCount, string BootReason, long? HeapBytes, long? WifiRssi,
    long? WifiReconnects, string Scanner, string Display, string Storage, string Clock, IReadOnlyList<JournalReference> Open,
    IReadOnlyList<JournalReference> Review, long More, long SettingsApplied, long? SettingsRejected, string? RejectedField,
    string? RejectedReason, string? LastError, UpdateReport? Update = null)
{
    /// <summary>Largest heartbeat body accepted; the firmware's largest is about 1,900 bytes.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>Free heap below this reports the device degraded.</summary>
    public const long LowHeapBytes = 16 * 1024;

    private static readonly string[] BootReasons = ["first", "restart", "power"];
    private static readonly string[] ScannerWords = ["ok", "absent", "not_configured", "not_responding", "configuration_failed"];
    private static readonly string[] DisplayWords = ["ok", "write_failed", "not_initialised"];
    private static readonly string[] StorageWords = ["ok", "error"];
    private static readonly string[] ClockWords = ["ok", "invalid"];
    private static readonly string[] Kinds = ["sale", "refund", "void"];

    /// <summary>Why the device counts as degraded (scanner silent, display, storage, clock, heap low), comma-separated; null when none.</summary>
    public string? DegradedReasons()
    {
        var reasons = new List<string>();
        if (Scanner is "not_responding" or "configuration_failed") reasons.Add("scanner");
        if (Display != "ok") reasons.Add("display");
        if (Storage != "ok") reasons.Add("storage");
        if (Clock != "ok") reasons.Add("clock");
        if (HeapBytes is long heap && heap < LowHeapBytes) reasons.Add("heap");
        return reasons.Count == 0 ? null : string.Join(',', reasons);
    }

    /// <summary>Parses a body the gate has found strict JSON; throws <see cref="FormatException"/> naming the member at fault.</summary>
    public static HeartbeatReport Parse(byte[] body)
    {
        if (body.Length > MaxBodyBytes) throw new FormatException($"body: larger than {MaxBodyBytes} bytes");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("body: must be a JSON object");
        Only(root, "body", "beat", "firmware", "uptimeS", "intervalMs", "boot", "heap", "wifi", "scanner", "display", "storage", "clock", "journal", "settings", "update", "lastError");
        string beat = Text(root, "beat", 16, 16);
        if (!beat.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f')) throw new FormatException("beat: 16 lower-case hexadecimal digits");
        var boot = Object(root, "boot");
        Only(boot, "boot", "count", "reason");
        var journal = Object(root, "journal");
        Only(journal, "journal", "open", "review", "more");
        var settings = Object(root, "settings");
        Only(settings, "settings", "applied", "rejected", "field", "reason");
        long? rejected = OptionalNumber(settings, "rejected", 1, long.MaxValue);
        JsonElement wifi = root.TryGetProperty("wifi", out var w) ? w : default;
        if (wifi.ValueKind != JsonValueKind.Undefined)
        {
            if (wifi.ValueKind != JsonValueKind.Object) throw new FormatException("wifi: must be an object");
            Only(wifi, "wifi", "rssi", "reconnects");
        }

        return new HeartbeatReport(
            beat,
            Text(root, "firmware", 1, 32),
            Number(root, "uptimeS", 0, long.MaxValue),
            Number(root, "intervalMs", 1000, 3_600_000),
            Number(boot, "count", 1, uint.MaxValue),
            Word(boot, "reason", BootReasons),
            OptionalNumber(root, "heap", 0, long.MaxValue),
            wifi.ValueKind == JsonValueKind.Object ? OptionalNumber(wifi, "rssi", -127, -1) : null,
            wifi.ValueKind == JsonValueKind.Object ? OptionalNumber(wifi, "reconnects", 0, long.MaxValue) : null,
            Word(root, "scanner", ScannerWords),
            Word(root, "display", DisplayWords),
            Word(root, "storage", StorageWords),
            Word(root, "clock", ClockWords),
            References(journal, "open"),
            References(journal, "review"),
            Number(journal, "more", 0, 64),
            Number(settings, "applied", 0, long.MaxValue),
            rejected,
            rejected == null ? null : Text(settings, "field", 1, 64),
            rejected == null ? null : FreeText(settings, "reason", 256),
            root.TryGetProperty("lastError", out _) ? FreeText(root, "lastError", 120) : null,
            root.TryGetProperty("update", out var update) ? UpdateReport.Parse(update) : null);
    }

    private static List<JournalReference> References(JsonElement journal, string name)
    {
        if (!journal.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array) throw new FormatException($"journal.{name}: must be an array");
        if (array.GetArrayLength() > 8) throw new FormatException($"journal.{name}: at most 8 references");
        var list = new List<JournalReference>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) throw new FormatException($"journal.{name}: entries must be objects");
            Only(item, $"journal.{name}", "kind", "requestId", "reference");
            list.Add(new JournalReference(Word(item, "kind", Kinds), Text(item, "requestId", 1, 64),
                item.TryGetProperty("reference", out _) ? Text(item, "reference", 1, 64) : null));
        }
        return list;
    }

    private static void Only(JsonElement obj, string where, params string[] names)
    {
        foreach (var p in obj.EnumerateObject())
            if (Array.IndexOf(names, p.Name) < 0) throw new FormatException($"{where}: unknown member {Printable(p.Name)}");
    }

    private static JsonElement Object(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Object) throw new FormatException($"{name}: must be an object");
        return value;
    }

    private static string Text(JsonElement obj, string name, int min, int max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) throw new FormatException($"{name}: must be a string");
        string text = value.GetString()!;
        if (text.Length < min || text.Length > max) throw new FormatException($"{name}: must have {min}..{max} characters");
        if (text.Any(char.IsControl)) throw new FormatException($"{name}: control characters are not allowed");
        return text;
    }

    /// <summary>A message the terminal wrote (a log line, a rule's reason): control characters become spaces.</summary>
    private static string FreeText(JsonElement obj, string name, int max)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) throw new FormatException($"{name}: must be a string");
        string text = value.GetString()!;
        if (text.Length > max) throw new FormatException($"{name}: at most {max} characters");
        return new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }

    private static string Word(JsonElement obj, string name, string[] words)
    {
        string text = Text(obj, name, 1, 32);
        if (Array.IndexOf(words, text) < 0) throw new FormatException($"{name}: one of {string.Join(", ", words)}");
        return text;
    }

    private static long Number(JsonElement obj, string name, long min, long max) =>
        OptionalNumber(obj, name, min, max) ?? throw new FormatException($"{name}: required");

    private static long? OptionalNumber(JsonElement obj, string name, long min, long max)
    {
        if (!obj.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n)) throw new FormatException($"{name}: must be a whole number");
        if (n < min || n > max) throw new FormatException($"{name}: must be {min}..{max}");
        return n;
    }

    private static string Printable(string name) => name.Length > 32 || name.Any(char.IsControl) ? "(unprintable)" : name;
}
