using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Terminal.Simulator.Backend;

namespace Terminal.Simulator.Updates;

/// <summary>
/// The operator's side of an update on the embedded gateway, through its admin API (docs/gateway-admin-api.md,
/// "Updates"), as a back office would: upload a bundle folder, create a rollout for devices, pause, resume, abort,
/// and read each device's state.
/// </summary>
public sealed class GatewayRollouts : IDisposable
{
    private const string By = "simulator";
    private readonly HttpClient _admin;

    public GatewayRollouts(EmbeddedBackend backend) => _admin = backend.CreateAdminClient();

    /// <summary>Uploads a bundle folder as Terminal.Bundler made it; returns the gateway's description.</summary>
    public async Task<JsonNode> UploadAsync(string folder)
    {
        var files = new JsonObject();
        foreach (string path in Directory.EnumerateFiles(folder, "*.pe").Order(StringComparer.Ordinal))
        {
            files[Path.GetFileName(path)] = Convert.ToBase64String(File.ReadAllBytes(path));
        }

        var body = new JsonObject
        {
            ["manifest"] = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(folder, "manifest.json"))),
            ["files"] = files,
            ["uploadedBy"] = By,
        };
        return await SendAsync(HttpMethod.Post, "/admin/bundles", body);
    }

    /// <summary>A rollout of <paramref name="version"/> to the named devices; returns its id.</summary>
    public async Task<long> CreateAsync(string version, params string[] devices)
    {
        var body = new JsonObject { ["version"] = version, ["devices"] = new JsonArray(devices.Select(d => (JsonNode)d).ToArray()), ["createdBy"] = By };
        JsonNode created = await SendAsync(HttpMethod.Post, "/admin/rollouts", body);
        return (long)created["rolloutId"]!;
    }

    public Task<JsonNode> PauseAsync(long rollout) => SendAsync(HttpMethod.Post, $"/admin/rollouts/{rollout}/pause", new JsonObject { ["by"] = By });

    public Task<JsonNode> ResumeAsync(long rollout) => SendAsync(HttpMethod.Post, $"/admin/rollouts/{rollout}/resume", new JsonObject { ["by"] = By });

    public Task<JsonNode> AbortAsync(long rollout) => SendAsync(HttpMethod.Post, $"/admin/rollouts/{rollout}/abort", new JsonObject { ["by"] = By });

    /// <summary>The rollout with its counts per state and every device it takes in.</summary>
    public Task<JsonNode> ShowAsync(long rollout) => SendAsync(HttpMethod.Get, $"/admin/rollouts/{rollout}", null);

    /// <summary>Every rollout, newest last as the gateway lists them.</summary>
    public Task<JsonNode> ListAsync() => SendAsync(HttpMethod.Get, "/admin/rollouts", null);

    /// <summary>The device's state in the rollout (pending, offered, downloading, ...), with its reason when it has one.</summary>
    public async Task<DeviceUpdateState?> DeviceStateAsync(long rollout, string deviceId)
    {
        JsonNode shown = await ShowAsync(rollout);
        foreach (JsonNode? device in shown["devices"]!.AsArray())
        {
            if ((string?)device!["deviceId"] == deviceId)
            {
                return new DeviceUpdateState((string)device["state"]!, (string?)device["reason"], (long?)device["bytes"]);
            }
        }

        return null;
    }

    public void Dispose() => _admin.Dispose();

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body != null)
        {
            request.Content = JsonContent.Create(body);
        }

        using HttpResponseMessage response = await _admin.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"gateway admin API {method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!;
    }
}

/// <summary>A device's state in a rollout as the gateway records it.</summary>
public sealed record DeviceUpdateState(string State, string? Reason, long? Bytes);
