using System.Text.Json;
using Terminal.Firmware.Config;

namespace Terminal.Simulator.Backend;

/// <summary>Timings written into terminal.json: how fast the simulated terminal polls and gives up.</summary>
public sealed record TerminalTimings(int PollIntervalMs, int MaxBackoffMs, int CpmBudgetMs, int MpmBudgetMs, int[] CancelScheduleMs, int HttpTimeoutMs)
{
    /// <summary>Interactive use: quick enough to watch, slow enough to follow.</summary>
    public static TerminalTimings Interactive { get; } = new(1000, 4000, 30000, 180000, [1000, 2000, 3000, 5000], 10000);

    /// <summary>The demo tour: short polls; expiry comes from moving the clock, not from waiting.</summary>
    public static TerminalTimings Demo { get; } = new(200, 800, 5000, 180000, [200, 400, 800, 1600], 5000);

    /// <summary>
    /// Chaos runs: schedules as short as terminal.json allows (docs/configuration.md), so that a thousand sales take
    /// minutes. Within the file's limits, because remote settings (docs/fleet-link.md) are checked on top of the file's
    /// values with the file's own rules: a terminal running on values its file could not hold would refuse every version.
    /// </summary>
    public static TerminalTimings Chaos { get; } = new(200, 200, 4000, 60000, [25, 50, 100, 200, 400, 800], 2000);

    /// <summary>Sets these timings on a parsed configuration.</summary>
    public void Apply(TerminalConfig config)
    {
        config.Engine.PollIntervalMs = PollIntervalMs;
        config.Engine.MaxBackoffMs = MaxBackoffMs;
        config.Engine.CpmBudgetMs = CpmBudgetMs;
        config.Engine.MpmBudgetMs = MpmBudgetMs;
        config.Engine.CancelScheduleMs = (int[])CancelScheduleMs.Clone();
        config.Network.HttpTimeoutMs = HttpTimeoutMs;
    }
}

/// <summary>
/// The device configuration file (docs/configuration.md) in the data folder: written by the simulator when it
/// provisions its device, read back through the firmware's own <see cref="TerminalConfigParser"/>, as on the device.
/// </summary>
public static class DeviceConfigFile
{
    public const string FileName = "terminal.json";

    /// <summary>Writes terminal.json; <paramref name="caCertificate"/> is a path relative to the data folder (or null).</summary>
    public static void Write(string path, string deviceId, int keyVersion, string keyBase64, string gatewayUrl, string? caCertificate,
        string currency, string displayName, TerminalTimings timings)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("deviceId", deviceId);
            json.WriteNumber("keyVersion", keyVersion);
            json.WriteString("key", keyBase64);
            json.WriteString("gatewayUrl", gatewayUrl);
            if (caCertificate != null)
            {
                json.WriteString("caCertificate", caCertificate);
            }

            json.WriteString("currency", currency);
            json.WriteString("displayName", displayName);
            json.WriteString("display", "ssd1306");
            json.WriteNumber("pollIntervalMs", timings.PollIntervalMs);
            json.WriteNumber("maxBackoffMs", timings.MaxBackoffMs);
            json.WriteNumber("cpmBudgetMs", timings.CpmBudgetMs);
            json.WriteNumber("mpmBudgetMs", timings.MpmBudgetMs);
            json.WriteStartArray("cancelScheduleMs");
            foreach (int ms in timings.CancelScheduleMs)
            {
                json.WriteNumberValue(ms);
            }

            json.WriteEndArray();
            json.WriteNumber("httpTimeoutMs", timings.HttpTimeoutMs);
            json.WriteEndObject();
        }

        string? folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, stream.ToArray());
    }

    /// <summary>Reads terminal.json with the firmware's parser (a bad file fails with the property's name).</summary>
    public static TerminalConfig Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return TerminalConfigParser.Parse(bytes, 0, bytes.Length);
    }

    /// <summary>The device id and key of an existing file, or null when there is none (or it is unreadable).</summary>
    public static (string DeviceId, int KeyVersion, string Key)? ReadIdentity(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            return (root.GetProperty("deviceId").GetString()!, root.GetProperty("keyVersion").GetInt32(), root.GetProperty("key").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
