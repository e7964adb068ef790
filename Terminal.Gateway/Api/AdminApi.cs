using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Api;

/// <summary>
/// Device provisioning over HTTP, exactly as docs/gateway-admin-api.md fixes it (flash.ps1 is written against it),
/// served on the admin listener only. Every call needs <c>Authorization: Bearer &lt;Gateway:AdminToken&gt;</c>; a
/// missing or wrong token is 401 with no body; an address with too many failures gets 429 (<see cref="AdminAuthLimiter"/>).
/// </summary>
public static class AdminApi
{
    public static void Map(IEndpointRouteBuilder app, string adminToken, TimeProvider clock)
    {
        byte[] expected = SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
        var limiter = new AdminAuthLimiter(clock);
        var group = app.MapGroup("/admin").AddEndpointFilter(async (ctx, next) =>
        {
            var http = ctx.HttpContext;
            var address = http.Connection.RemoteIpAddress;
            if (limiter.IsLocked(address, out var retryAfter))
            {
                http.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }
            if (Authorized(http.Request, expected)) return await next(ctx);
            if (limiter.Fail(address))
            {
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Terminal.Gateway.Admin").LogWarning(
                    "admin authentication failed {Failures} times from {Address}: refused for {Minutes} minutes", AdminAuthLimiter.MaxFailures, address, AdminAuthLimiter.Window.TotalMinutes);
            }
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        });

        group.MapPost("/devices", RegisterAsync);
        group.MapGet("/devices", ListAsync);
        group.MapPost("/devices/{id}/revoke", RevokeAsync);
        group.MapPost("/devices/{id}/rotate-key", RotateAsync);
        group.MapGet("/devices/{id}/health", DeviceHealthAsync);
        group.MapGet("/fleet/health", (FleetHealth fleet) => FleetHealthAsync(fleet));
        group.MapGet("/devices/{id}/settings", DeviceSettingsAsync);
        group.MapGet("/settings/fleet", (FleetStore store) => SettingsDocumentAsync(store, FleetSettings.Fleet, ""));
        group.MapGet("/settings/{scope}/{id}", (string scope, string id, FleetStore store) => SettingsDocumentAsync(store, scope, id));
        group.MapPut("/settings/fleet", (HttpRequest request, FleetSettings settings, ILoggerFactory logs) => SetSettingsAsync(request, settings, logs, FleetSettings.Fleet, ""));
        group.MapPut("/settings/{scope}/{id}", (string scope, string id, HttpRequest request, FleetSettings settings, ILoggerFactory logs) => SetSettingsAsync(request, settings, logs, scope, id));
        group.MapGet("/settings/audit", SettingsAuditAsync);
        ResolutionAdminApi.Map(group);
        EndOfDayApi.Map(group);
        Updates.UpdatesAdminApi.Map(group);
    }

    private static async Task<IResult> DeviceSettingsAsync(string id, FleetSettings settings)
    {
        var json = DeviceValidation.IsDeviceId(id) ? await settings.DeviceStatusAsync(id) : null;
        return json == null ? Error(StatusCodes.Status404NotFound, "device not found") : Json(StatusCodes.Status200OK, json);
    }

    private static async Task<IResult> SettingsDocumentAsync(FleetStore store, string scope, string id)
    {
        if (!ValidScope(scope, id)) return Error(StatusCodes.Status404NotFound, "no such settings scope");
        var document = await store.SettingsAsync(scope, id);
        if (document == null) return Error(StatusCodes.Status404NotFound, "no settings at this scope");
        return Json(StatusCodes.Status200OK, SettingsDocumentJson(document));
    }

    internal static JsonObject SettingsDocumentJson(SettingsDocument document) => new()
    {
        ["scope"] = document.Scope, ["id"] = document.ScopeId, ["version"] = document.Version, ["values"] = JsonNode.Parse(document.Document),
        ["changedAt"] = document.ChangedAt, ["changedBy"] = document.ChangedBy,
    };

    /// <summary>Body <c>{"values":{...},"changedBy":"name"}</c>: replaces the scope's document (an empty object clears it).</summary>
    private static async Task<IResult> SetSettingsAsync(HttpRequest request, FleetSettings settings, ILoggerFactory logs, string scope, string id)
    {
        if (!ValidScope(scope, id)) return Error(StatusCodes.Status404NotFound, "no such settings scope");
        byte[]? body = await RequestBodies.ReadAsync(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body == null) return Error(StatusCodes.Status413PayloadTooLarge, $"body: larger than {MaxBodyBytes} bytes");
        string? strict = StrictJson.Check(body);
        if (strict != null) return Error(StatusCodes.Status400BadRequest, strict);
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root?["values"] is not JsonObject values) return Error(StatusCodes.Status400BadRequest, "body: {\"values\":{...},\"changedBy\":\"...\"}");
        if (root["changedBy"] is not JsonValue by || !by.TryGetValue(out string? changedBy) || changedBy.Length is < 1 or > 64 || changedBy.Any(char.IsControl))
            return Error(StatusCodes.Status400BadRequest, "changedBy: 1..64 characters naming who makes the change");
        try
        {
            var (version, error) = await settings.SetAsync(scope, id, (JsonObject)values.DeepClone(), changedBy);
            if (error != null) return Error(StatusCodes.Status400BadRequest, error);
            logs.CreateLogger("Terminal.Gateway.Admin").LogInformation("settings of {Scope} {Id} set to version {Version} by {ChangedBy}", scope, id, version, changedBy);
            return Json(StatusCodes.Status200OK, new JsonObject { ["scope"] = scope, ["id"] = id, ["version"] = version });
        }
        catch (KeyNotFoundException)
        {
            return Error(StatusCodes.Status404NotFound, "device not found");
        }
    }

    private static async Task<IResult> SettingsAuditAsync(int? limit, FleetStore store) =>
        Json(StatusCodes.Status200OK, SettingsAuditJson(await store.SettingsAuditAsync(Math.Clamp(limit ?? 100, 1, 1000))));

    internal static JsonArray SettingsAuditJson(IEnumerable<SettingsChange> changes)
    {
        var list = new JsonArray();
        foreach (var c in changes)
        {
            list.Add(new JsonObject
            {
                ["version"] = c.Version, ["scope"] = c.Scope, ["id"] = c.ScopeId, ["before"] = c.Before == null ? null : JsonNode.Parse(c.Before),
                ["after"] = JsonNode.Parse(c.After), ["changedAt"] = c.ChangedAt, ["changedBy"] = c.ChangedBy,
            });
        }
        return list;
    }

    internal static bool ValidScope(string scope, string id) => scope switch
    {
        FleetSettings.Fleet => id.Length == 0,
        FleetSettings.Store => DeviceValidation.IsReference(id),
        FleetSettings.Device => DeviceValidation.IsDeviceId(id),
        _ => false,
    };

    /// <summary>Heartbeats drawn per device by default: an hour at the default interval.</summary>
    private const int DefaultHistory = 60;

    private static async Task<IResult> DeviceHealthAsync(string id, int? history, FleetHealth fleet)
    {
        if (history is < 0 or > FleetStore.HeartbeatHistoryLength) return Error(StatusCodes.Status400BadRequest, $"history: 0..{FleetStore.HeartbeatHistoryLength}");
        var json = DeviceValidation.IsDeviceId(id) ? await fleet.DeviceAsync(id, history ?? DefaultHistory) : null;
        return json == null ? Error(StatusCodes.Status404NotFound, "device not found") : Json(StatusCodes.Status200OK, json);
    }

    private static async Task<IResult> FleetHealthAsync(FleetHealth fleet) => Json(StatusCodes.Status200OK, await fleet.FleetAsync());

    /// <summary>Compares SHA-256 digests in constant time, so neither content nor length of the token leaks.</summary>
    private static bool Authorized(HttpRequest request, byte[] expectedDigest)
    {
        string? header = request.Headers.Authorization.FirstOrDefault();
        if (header == null || !header.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        byte[] given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expectedDigest);
    }

    /// <summary>Largest admin request body; a registration is a few hundred bytes.</summary>
    internal const int MaxBodyBytes = 16 * 1024;

    private static async Task<IResult> RegisterAsync(HttpRequest request, DeviceRegistry registry, ILoggerFactory logs)
    {
        byte[]? body = await RequestBodies.ReadAsync(request, MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body == null)
        {
            logs.CreateLogger("Terminal.Gateway.Admin").LogWarning("admin request refused: body larger than {Limit} bytes", MaxBodyBytes);
            return Error(StatusCodes.Status413PayloadTooLarge, $"body: larger than {MaxBodyBytes} bytes");
        }
        string? strict = StrictJson.Check(body);
        if (strict != null) return Error(StatusCodes.Status400BadRequest, strict);
        DeviceRegistration registration;
        try
        {
            using var doc = JsonDocument.Parse(body);
            registration = ParseRegistration(doc.RootElement);
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "body: must be a JSON object");
        }
        catch (ArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
        try
        {
            var credentials = await registry.RegisterAsync(registration);
            logs.CreateLogger("Terminal.Gateway.Admin").LogInformation("device {DeviceId} registered with key version {KeyVersion}", credentials.DeviceId, credentials.KeyVersion);
            return Json(StatusCodes.Status201Created, CredentialsJson(credentials));
        }
        catch (DeviceExistsException)
        {
            return Error(StatusCodes.Status409Conflict, "device exists");
        }
        catch (ArgumentException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }
    }

    private static async Task<IResult> ListAsync(DeviceRegistry registry)
    {
        var list = new JsonArray();
        foreach (var s in await registry.ListAsync()) list.Add(DeviceJson(s.Device, s.KeyVersions));
        return Json(StatusCodes.Status200OK, list);
    }

    private static async Task<IResult> RevokeAsync(string id, DeviceRegistry registry, ILoggerFactory logs)
    {
        var device = DeviceValidation.IsDeviceId(id) ? await registry.RevokeAsync(id) : null;
        if (device == null) return Error(StatusCodes.Status404NotFound, "device not found");
        logs.CreateLogger("Terminal.Gateway.Admin").LogInformation("device {DeviceId} revoked", device.DeviceId);
        return Json(StatusCodes.Status200OK, new JsonObject { ["deviceId"] = device.DeviceId, ["status"] = device.Status });
    }

    private static async Task<IResult> RotateAsync(string id, DeviceRegistry registry, ILoggerFactory logs)
    {
        try
        {
            var credentials = DeviceValidation.IsDeviceId(id) ? await registry.RotateKeyAsync(id) : null;
            if (credentials == null) return Error(StatusCodes.Status404NotFound, "device not found");
            logs.CreateLogger("Terminal.Gateway.Admin").LogInformation("device {DeviceId} got key version {KeyVersion}", credentials.DeviceId, credentials.KeyVersion);
            return Json(StatusCodes.Status200OK, CredentialsJson(credentials));
        }
        catch (DeviceRevokedException)
        {
            return Error(StatusCodes.Status409Conflict, "device revoked");
        }
    }

    /// <summary>Reads the registration body; throws ArgumentException("field: reason") on a bad field.</summary>
    internal static DeviceRegistration ParseRegistration(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new ArgumentException("body: must be a JSON object");
        string deviceId = OptionalString(root, "deviceId") ?? throw new ArgumentException("deviceId: required");
        long? max = null;
        if (root.TryGetProperty("maxAmountMinor", out var maxElement) && maxElement.ValueKind != JsonValueKind.Null)
        {
            // The contract sends a string (Antom style); a JSON integer is accepted too.
            string? text = maxElement.ValueKind switch
            {
                JsonValueKind.String => maxElement.GetString(),
                JsonValueKind.Number => maxElement.GetRawText(),
                _ => null,
            };
            if (text == null || text.Length is 0 or > 18 || !text.All(char.IsAsciiDigit) || (max = long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)) <= 0)
                throw new ArgumentException("maxAmountMinor: a positive integer (minor units) as a string");
        }
        List<string>? currencies = null;
        if (root.TryGetProperty("currencies", out var cur) && cur.ValueKind != JsonValueKind.Null)
        {
            if (cur.ValueKind != JsonValueKind.Array) throw new ArgumentException("currencies: must be an array of ISO 4217 codes");
            currencies = [];
            foreach (var c in cur.EnumerateArray())
            {
                if (c.ValueKind != JsonValueKind.String) throw new ArgumentException("currencies: must be an array of ISO 4217 codes");
                currencies.Add(c.GetString()!);
            }
        }
        var registration = new DeviceRegistration(deviceId, OptionalString(root, "referenceMerchantId"), OptionalString(root, "referenceStoreId"),
            OptionalString(root, "storeTerminalId"), max, currencies);
        string? problem = DeviceValidation.Check(registration);
        if (problem != null) throw new ArgumentException(problem);
        return registration;
    }

    private static string? OptionalString(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.String) throw new ArgumentException(name + ": must be a string");
        return e.GetString();
    }

    internal static JsonObject CredentialsJson(DeviceCredentials c) =>
        new() { ["deviceId"] = c.DeviceId, ["keyVersion"] = c.KeyVersion, ["key"] = c.Key };

    internal static JsonObject DeviceJson(Device d, IReadOnlyList<int> keyVersions) => new()
    {
        ["deviceId"] = d.DeviceId,
        ["status"] = d.Status,
        ["keyVersions"] = new JsonArray(keyVersions.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        ["referenceMerchantId"] = d.ReferenceMerchantId,
        ["referenceStoreId"] = d.ReferenceStoreId,
        ["storeTerminalId"] = d.StoreTerminalId,
        ["maxAmountMinor"] = d.MaxAmountMinor?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["currencies"] = new JsonArray(d.Currencies.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
        ["createdAt"] = DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAt).ToString("o", System.Globalization.CultureInfo.InvariantCulture),
    };

    internal static IResult Error(int status, string message) => Json(status, new JsonObject { ["error"] = message });

    internal static IResult Json(int status, JsonNode node) =>
        Results.Content(AntomJson.Serialize(node), "application/json; charset=utf-8", Encoding.UTF8, status);
}
