using System.Text.Json;
using Terminal.Updates.Manifest;

namespace Terminal.Gateway.Updates;

/// <summary>
/// The heartbeat's <c>update</c> member (docs/ota.md, "The wire"): what the terminal says about one bundle version,
/// <c>{"version":"1.4.0","state":"downloading","bytes":123456}</c> or <c>{"version":"1.4.0","state":"refused","reason":"mac"}</c>.
/// Strict as the rest of the heartbeat: unknown members or states, <c>bytes</c> other than with downloading/staged,
/// <c>reason</c> other than with rolled_back/refused are refused with the member named. Either may be left out where it
/// belongs (a terminal that cannot tell): a heartbeat refused for that would hide the terminal's health as well.
/// </summary>
public sealed record UpdateReport(string Version, string State, long? Bytes, string? Reason)
{
    public const string Downloading = "downloading";
    public const string Staged = "staged";
    public const string Trial = "trial";
    public const string Healthy = "healthy";
    public const string RolledBack = "rolled_back";
    public const string Refused = "refused";

    /// <summary>The states a terminal reports, in the order an update goes through them.</summary>
    public static readonly string[] States = [Downloading, Staged, Trial, Healthy, RolledBack, Refused];

    public const int MaxReasonLength = 120;

    /// <summary>Most bytes a terminal can have staged: the largest bundle and its manifest.</summary>
    public const long MaxBytes = UpdateManifest.MaxBundleBytes + UpdateManifest.MaxManifestBytes;

    /// <summary>Reads the member; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static UpdateReport Parse(JsonElement update)
    {
        if (update.ValueKind != JsonValueKind.Object) throw new FormatException("update: must be an object");
        foreach (var p in update.EnumerateObject())
        {
            if (p.Name is not ("version" or "state" or "bytes" or "reason"))
                throw new FormatException($"update: unknown member {(p.Name.Length > 32 || p.Name.Any(char.IsControl) ? "(unprintable)" : p.Name)}");
        }
        string version = String(update, "version") ?? throw new FormatException("update.version: required");
        if (!AppVersion.IsValid(version)) throw new FormatException("update.version: 1 to 4 numbers 0..65535 separated by dots");
        string state = String(update, "state") ?? throw new FormatException("update.state: required");
        if (Array.IndexOf(States, state) < 0) throw new FormatException($"update.state: one of {string.Join(", ", States)}");

        long? bytes = null;
        bool withBytes = state is Downloading or Staged;
        if (update.TryGetProperty("bytes", out var b))
        {
            if (!withBytes) throw new FormatException("update.bytes: only with downloading or staged");
            if (b.ValueKind != JsonValueKind.Number || !b.TryGetInt64(out long n) || n < 0 || n > MaxBytes)
                throw new FormatException($"update.bytes: a whole number 0..{MaxBytes}");
            bytes = n;
        }

        string? reason = String(update, "reason");
        bool withReason = state is RolledBack or Refused;
        if (reason != null && !withReason) throw new FormatException("update.reason: only with rolled_back or refused");
        if (reason is { Length: > MaxReasonLength }) throw new FormatException($"update.reason: at most {MaxReasonLength} characters");
        return new UpdateReport(version, state, bytes, reason == null ? null : new string(reason.Select(c => char.IsControl(c) ? ' ' : c).ToArray()));
    }

    private static string? String(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value)) return null;
        if (value.ValueKind != JsonValueKind.String) throw new FormatException($"update.{name}: must be a string");
        return value.GetString();
    }
}
