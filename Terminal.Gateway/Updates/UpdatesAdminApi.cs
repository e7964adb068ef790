using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;

namespace Terminal.Gateway.Updates;

/// <summary>
/// Bundles and rollouts on the admin API (docs/gateway-admin-api.md, "Updates"): mapped into the admin group, so the
/// same bearer token and failure limits apply. Answers are the JSON of <see cref="BundleLibrary"/> and
/// <see cref="Rollouts"/>; refusals <c>{"error":"..."}</c> with 400, 404 or 409.
/// </summary>
public static class UpdatesAdminApi
{
    /// <summary>Largest upload body: the largest bundle and manifest in base64, with room for the JSON around them.</summary>
    public const int MaxUploadBytes = 1536 * 1024;

    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/bundles", UploadAsync);
        admin.MapGet("/bundles", async (BundleLibrary bundles, CancellationToken ct) => AdminApi.Json(StatusCodes.Status200OK, await bundles.ListAsync(ct)));
        admin.MapGet("/bundles/{version}", async (string version, BundleLibrary bundles, CancellationToken ct) =>
            await bundles.DescribeAsync(version, ct) is { } json ? AdminApi.Json(StatusCodes.Status200OK, json) : AdminApi.Error(StatusCodes.Status404NotFound, "no such bundle"));
        admin.MapDelete("/bundles/{version}", (string version, BundleLibrary bundles, ILoggerFactory logs, CancellationToken ct) => Run(async () =>
        {
            var json = await bundles.DeleteAsync(version, ct);
            Log(logs).LogInformation("bundle {Version} deleted", version);
            return AdminApi.Json(StatusCodes.Status200OK, json);
        }));
        admin.MapPost("/rollouts", CreateRolloutAsync);
        admin.MapGet("/rollouts", async (Rollouts rollouts, CancellationToken ct) => AdminApi.Json(StatusCodes.Status200OK, await rollouts.ListAsync(ct)));
        admin.MapGet("/rollouts/{id}", async (string id, Rollouts rollouts, CancellationToken ct) =>
            RolloutId(id) is long n && await rollouts.ShowAsync(n, ct) is { } json
                ? AdminApi.Json(StatusCodes.Status200OK, json)
                : AdminApi.Error(StatusCodes.Status404NotFound, "no such rollout"));
        admin.MapPost("/rollouts/{id}/{action}", ChangeRolloutAsync);
    }

    /// <summary>Body <c>{"manifest":"&lt;base64 of manifest.json&gt;","files":{"A.pe":"&lt;base64&gt;",...},"uploadedBy":"alice"}</c>.</summary>
    private static async Task<IResult> UploadAsync(HttpRequest request, BundleLibrary bundles, ILoggerFactory logs, CancellationToken ct)
    {
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = MaxUploadBytes + 1L;
        var root = await ReadObjectAsync(request, MaxUploadBytes, ct);
        if (root.Error != null) return root.Error;
        return await Run(async () =>
        {
            byte[] manifest = Base64(root.Json!["manifest"], "manifest");
            if (root.Json["files"] is not JsonObject fileList) throw new UpdateRefusedException(400, "files: an object of file name to base64 content");
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (name, content) in fileList) files[name] = Base64(content, "files." + (name.Length <= 64 ? name : "(long name)"));
            var json = await bundles.UploadAsync(manifest, files, Text(root.Json["uploadedBy"], "uploadedBy")!, ct);
            Log(logs).LogInformation("bundle {Version} uploaded by {By}", (string?)json["version"], (string?)json["uploadedBy"]);
            return AdminApi.Json(StatusCodes.Status201Created, json);
        });
    }

    /// <summary>Body <c>{"version":"1.4.0","devices":[...]|"stores":[...],"percent":10,"startsAt":"...Z","allowDowngrade":false,"createdBy":"alice"}</c>.</summary>
    private static async Task<IResult> CreateRolloutAsync(HttpRequest request, Rollouts rollouts, ILoggerFactory logs, CancellationToken ct)
    {
        var root = await ReadObjectAsync(request, AdminApi.MaxBodyBytes, ct);
        if (root.Error != null) return root.Error;
        return await Run(async () =>
        {
            var json = await rollouts.CreateAsync(ParseRollout(root.Json!), ct);
            Log(logs).LogInformation("rollout {RolloutId} of {Version} created by {By}", (long?)json["rolloutId"], (string?)json["version"], (string?)json["createdBy"]);
            return AdminApi.Json(StatusCodes.Status201Created, json);
        });
    }

    /// <summary><c>POST /admin/rollouts/{id}/pause|resume|abort</c>, body <c>{"by":"alice"}</c>.</summary>
    private static async Task<IResult> ChangeRolloutAsync(string id, string action, HttpRequest request, Rollouts rollouts, ILoggerFactory logs, CancellationToken ct)
    {
        if (RolloutId(id) is not long n || action is not ("pause" or "resume" or "abort")) return AdminApi.Error(StatusCodes.Status404NotFound, "no such rollout");
        var root = await ReadObjectAsync(request, AdminApi.MaxBodyBytes, ct);
        if (root.Error != null) return root.Error;
        return await Run(async () =>
        {
            string? by = Text(root.Json!["by"], "by");
            var json = action switch
            {
                "pause" => await rollouts.PauseAsync(n, by, ct),
                "resume" => await rollouts.ResumeAsync(n, by, ct),
                _ => await rollouts.AbortAsync(n, by, ct),
            };
            Log(logs).LogInformation("rollout {RolloutId}: {Action} by {By}", n, action, by);
            return AdminApi.Json(StatusCodes.Status200OK, json);
        });
    }

    internal static RolloutRequest ParseRollout(JsonObject root)
    {
        foreach (var (name, _) in root)
            if (name is not ("version" or "devices" or "stores" or "percent" or "startsAt" or "allowDowngrade" or "createdBy"))
                throw new UpdateRefusedException(400, $"{(name.Length <= 32 ? name : "(long name)")}: unknown member");
        int? percent = root["percent"] switch
        {
            null => null,
            JsonValue v when v.TryGetValue(out int p) => p,
            _ => throw new UpdateRefusedException(400, "percent: 1..100"),
        };
        bool downgrade = root["allowDowngrade"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue(out bool b) => b,
            _ => throw new UpdateRefusedException(400, "allowDowngrade: true or false"),
        };
        string? start = Text(root["startsAt"], "startsAt");
        return new RolloutRequest(Text(root["version"], "version"), List(root["devices"], "devices"), List(root["stores"], "stores"), percent,
            start == null ? null : Rollouts.ParseStart(start), downgrade, Text(root["createdBy"], "createdBy"));
    }

    private static List<string>? List(JsonNode? node, string field)
    {
        if (node == null) return null;
        if (node is not JsonArray array) throw new UpdateRefusedException(400, $"{field}: an array of ids");
        return array.Select(item => item is JsonValue v && v.TryGetValue(out string? s) ? s : throw new UpdateRefusedException(400, $"{field}: an array of ids")).ToList();
    }

    private static string? Text(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new UpdateRefusedException(400, $"{field}: must be a string"),
    };

    private static byte[] Base64(JsonNode? node, string field)
    {
        string? text = Text(node, field) ?? throw new UpdateRefusedException(400, $"{field}: required (base64)");
        byte[] bytes = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, bytes, out int n) ? bytes[..n] : throw new UpdateRefusedException(400, $"{field}: not base64");
    }

    private static long? RolloutId(string id) => id.Length is > 0 and <= 18 && id.All(char.IsAsciiDigit) ? long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static async Task<(JsonObject? Json, IResult? Error)> ReadObjectAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        byte[]? body = await RequestBodies.ReadAsync(request, limit, ct);
        if (body == null) return (null, AdminApi.Error(StatusCodes.Status413PayloadTooLarge, $"body: larger than {limit} bytes"));
        if (body.Length == 0) return (new JsonObject(), null);
        string? strict = StrictJson.Check(body);
        if (strict != null) return (null, AdminApi.Error(StatusCodes.Status400BadRequest, strict));
        try
        {
            return JsonNode.Parse(body) is JsonObject json ? (json, null) : (null, AdminApi.Error(StatusCodes.Status400BadRequest, "body: must be a JSON object"));
        }
        catch (JsonException)
        {
            return (null, AdminApi.Error(StatusCodes.Status400BadRequest, "body: must be a JSON object"));
        }
    }

    private static async Task<IResult> Run(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (UpdateRefusedException e)
        {
            return AdminApi.Error(e.Status, e.Message);
        }
    }

    private static ILogger Log(ILoggerFactory logs) => logs.CreateLogger("Terminal.Gateway.Admin");
}
