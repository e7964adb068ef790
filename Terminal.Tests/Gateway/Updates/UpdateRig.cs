using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Terminal.Bundler;
using Terminal.Gateway.Devices;
using Terminal.Tests.Gateway.Support;

namespace Terminal.Tests.Gateway.Updates;

/// <summary>
/// A gateway on loopback with bundles made by Terminal.Bundler (random .pe bytes beside real compiled assemblies), and
/// terminals written for the tests with .NET's HKDF and HMACSHA256: heartbeats with an <c>update</c> member, and signed
/// GETs of update files (<c>GET path\nClient-Id.Request-Time.</c> with the download key).
/// </summary>
internal sealed class UpdateRig : IAsyncDisposable
{
    public const string HeartbeatRequestLabel = "qr-terminal-hs256/heartbeat/device-to-gateway";
    public const string DownloadLabel = "qr-terminal-hs256/update-download/device-to-gateway";

    private readonly string _dir = Directory.CreateTempSubdirectory("gateway-bundles").FullName;
    private readonly Dictionary<string, DeviceCredentials> _devices = new(StringComparer.Ordinal);
    private int _beat;

    private UpdateRig(TestGateway gateway) => Gateway = gateway;

    public TestGateway Gateway { get; }

    public static async Task<UpdateRig> StartAsync(string provider) => new(await TestGateway.StartAsync(provider));

    public async Task<byte[]> AddDeviceAsync(string deviceId, string? store = null)
    {
        var credentials = await Gateway.Gateway.RegisterDeviceAsync(new DeviceRegistration(deviceId, null, store));
        _devices[deviceId] = credentials;
        return credentials.KeyBytes;
    }

    public byte[] Key(string deviceId) => _devices[deviceId].KeyBytes;

    /// <summary>A bundle folder as the bundler makes it: two .pe files of random bytes (the second 70,000 bytes, so that
    /// a whole-file answer spans more than one of the gateway's 64 KB pieces).</summary>
    public string MakeBundle(string version, string copy = "")
    {
        string pe = Path.Combine(_dir, "pe-" + version + copy);
        string output = Path.Combine(_dir, "bundle-" + version + copy);
        Directory.CreateDirectory(pe);
        int size = 30_000;
        foreach (string name in new[] { "Terminal.Core", "Terminal.Payments" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, name + ".dll"), Path.Combine(pe, name + ".dll"));
            File.WriteAllBytes(Path.Combine(pe, name + ".pe"), RandomNumberGenerator.GetBytes(size));
            size = 70_000;
        }
        BundleBuilder.Build(pe, ["Terminal.Core", "Terminal.Payments"], version, "Terminal.Esp32.Program.Main", output);
        return output;
    }

    public static JsonObject UploadBody(string folder, string by = "alice", Func<string, byte[], byte[]>? tweak = null)
    {
        var files = new JsonObject();
        foreach (string path in Directory.EnumerateFiles(folder, "*.pe").Order(StringComparer.Ordinal))
            files[Path.GetFileName(path)] = Convert.ToBase64String(tweak?.Invoke(Path.GetFileName(path), File.ReadAllBytes(path)) ?? File.ReadAllBytes(path));
        byte[] manifest = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));
        return new JsonObject { ["manifest"] = Convert.ToBase64String(tweak?.Invoke("manifest.json", manifest) ?? manifest), ["files"] = files, ["uploadedBy"] = by };
    }

    public async Task<string> UploadAsync(string version)
    {
        string folder = MakeBundle(version);
        var (status, json) = await AdminAsync(HttpMethod.Post, "/admin/bundles", UploadBody(folder));
        if (status != 201) throw new InvalidOperationException($"upload: {status} {json}");
        return folder;
    }

    public async Task<long> RolloutAsync(JsonObject body)
    {
        body["createdBy"] ??= "alice";
        var (status, json) = await AdminAsync(HttpMethod.Post, "/admin/rollouts", body);
        if (status != 201) throw new InvalidOperationException($"rollout: {status} {json}");
        return (long)json["rolloutId"]!;
    }

    public async Task<(int Status, JsonNode Json)> AdminAsync(HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(Gateway.Gateway.AdminBaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        if (body != null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Gateway.Http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Sends a heartbeat reporting <paramref name="firmware"/> and <paramref name="update"/>; returns the answer's
    /// <c>update</c> offer (null when none) after checking the beat was accepted.</summary>
    public async Task<JsonObject?> BeatAsync(string deviceId, string firmware = "1.0.0", JsonObject? update = null)
    {
        string beat = (++_beat).ToString("x16", CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["beat"] = beat, ["firmware"] = firmware, ["uptimeS"] = 10, ["intervalMs"] = 60000,
            ["boot"] = new JsonObject { ["count"] = 1, ["reason"] = "first" },
            ["scanner"] = "ok", ["display"] = "ok", ["storage"] = "ok", ["clock"] = "ok",
            ["journal"] = new JsonObject { ["open"] = new JsonArray(), ["review"] = new JsonArray(), ["more"] = 0 },
            ["settings"] = new JsonObject { ["applied"] = 0 },
        };
        if (update != null) body["update"] = update;
        var reply = await SendBeatAsync(deviceId, body.ToJsonString());
        if (reply.ResultCode != "SUCCESS" || reply["beat"] != beat) throw new InvalidOperationException("heartbeat refused: " + reply.Body);
        return reply.Json!["update"] as JsonObject;
    }

    public Task<DeviceReply> SendBeatAsync(string deviceId, string body)
    {
        var device = new TestDevice(Gateway.Http, Gateway.Gateway.BaseUri, deviceId, Key(deviceId));
        return device.SendAsync(device.Sign("/terminal/v1/heartbeat", body, macKey: RelayKeys.Derive(Key(deviceId), HeartbeatRequestLabel)));
    }

    /// <summary>A signed GET of an update file as <paramref name="deviceId"/>, with the download key derived from
    /// <paramref name="signingKey"/> (default: the device's own) under <paramref name="label"/>.</summary>
    public async Task<HttpResponseMessage> DownloadAsync(string deviceId, string version, string name, string? range = null, byte[]? signingKey = null,
        string label = DownloadLabel, string? signedPath = null)
    {
        string path = $"/terminal/v1/updates/{version}/{name}";
        string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        byte[] mac = HMACSHA256.HashData(RelayKeys.Derive(signingKey ?? Key(deviceId), label), Encoding.UTF8.GetBytes($"GET {signedPath ?? path}\n{deviceId}.{time}."));
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.Gateway.BaseUri, path));
        request.Headers.TryAddWithoutValidation("Client-Id", deviceId);
        request.Headers.TryAddWithoutValidation("Request-Time", time);
        request.Headers.TryAddWithoutValidation("Signature", $"algorithm=HS256,keyVersion=1,signature={Uri.EscapeDataString(Convert.ToBase64String(mac))}");
        if (range != null) request.Headers.TryAddWithoutValidation("Range", range);
        return await Gateway.Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Directory.Delete(_dir, true);
    }
}
