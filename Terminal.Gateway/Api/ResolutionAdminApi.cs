using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Terminal.Gateway.Resolution;

namespace Terminal.Gateway.Api;

/// <summary>
/// The resolution queue on the admin listener (docs/resolution-queue.md, "Admin API"), behind the admin token as the rest:
/// <c>GET /admin/resolutions</c> (the exception list or any state, a page at a time), <c>GET /admin/resolutions/{id}</c>
/// (one item's full history), <c>POST /admin/resolutions/{id}/retry</c> and <c>POST /admin/resolutions/{id}/close</c>
/// (operators' actions, recorded with who, when and why).
/// </summary>
public static class ResolutionAdminApi
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/resolutions", ListAsync);
        group.MapGet("/resolutions/{id}", HistoryAsync);
        group.MapPost("/resolutions/{id}/retry", RetryAsync);
        group.MapPost("/resolutions/{id}/close", CloseAsync);
    }

    private static async Task<IResult> ListAsync(string? state, string? deviceId, string? kind, int? limit, int? offset, ResolutionQueries queries)
    {
        var filter = new ResolutionFilter(state, deviceId, kind, limit ?? 50, offset ?? 0);
        if (filter.Problem() is { } problem) return AdminApi.Error(StatusCodes.Status400BadRequest, problem);
        return AdminApi.Json(StatusCodes.Status200OK, ResolutionQueries.PageJson(await queries.ListAsync(filter)));
    }

    private static async Task<IResult> HistoryAsync(string id, ResolutionQueries queries)
    {
        var history = IsItemId(id) ? await queries.HistoryAsync(id) : null;
        return history == null ? NotFound() : AdminApi.Json(StatusCodes.Status200OK, ResolutionQueries.HistoryJson(history));
    }

    /// <summary>Body <c>{"by":"alice","note":"Antom was down on the 3rd"}</c>.</summary>
    private static async Task<IResult> RetryAsync(string id, HttpRequest request, ResolutionQueue queue)
    {
        var (body, error) = await ReadActionAsync(request, needStatus: false);
        if (error != null) return error;
        if (!IsItemId(id)) return NotFound();
        var result = await queue.RetryAsync(id, body!.By, body.Note);
        return Answer(result, "only an exception can be retried");
    }

    /// <summary>Body <c>{"by":"alice","note":"paid, per the merchant portal","status":"SUCCESS"}</c>.</summary>
    private static async Task<IResult> CloseAsync(string id, HttpRequest request, ResolutionQueue queue)
    {
        var (body, error) = await ReadActionAsync(request, needStatus: true);
        if (error != null) return error;
        if (!IsItemId(id)) return NotFound();
        var result = await queue.CloseAsync(id, body!.By, body.Note, body.Status!);
        return Answer(result, "only an open item or an exception can be closed");
    }

    private static IResult Answer(OperatorResult result, string conflict) =>
        result.Item == null ? NotFound()
        : !result.Applied ? AdminApi.Json(StatusCodes.Status409Conflict, new JsonObject { ["error"] = $"{conflict}; this one is {result.Item.State}", ["item"] = ResolutionQueries.ItemJson(result.Item) })
        : AdminApi.Json(StatusCodes.Status200OK, ResolutionQueries.ItemJson(result.Item));

    private static IResult NotFound() => AdminApi.Error(StatusCodes.Status404NotFound, "no such resolution item");

    internal static bool IsItemId(string id) => id.Length is >= 1 and <= 64 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    internal sealed record ActionBody(string By, string Note, string? Status);

    private static async Task<(ActionBody? Body, IResult? Error)> ReadActionAsync(HttpRequest request, bool needStatus)
    {
        byte[]? body = await RequestBodies.ReadAsync(request, AdminApi.MaxBodyBytes, request.HttpContext.RequestAborted);
        if (body == null) return (null, AdminApi.Error(StatusCodes.Status413PayloadTooLarge, $"body: larger than {AdminApi.MaxBodyBytes} bytes"));
        if (StrictJson.Check(body) is { } strict) return (null, AdminApi.Error(StatusCodes.Status400BadRequest, strict));
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            root = null;
        }
        if (root == null) return (null, AdminApi.Error(StatusCodes.Status400BadRequest, "body: must be a JSON object"));
        try
        {
            return (ParseAction(root, needStatus), null);
        }
        catch (ArgumentException e)
        {
            return (null, AdminApi.Error(StatusCodes.Status400BadRequest, e.Message));
        }
    }

    /// <summary>Reads an operator's action; throws ArgumentException("field: reason"). Shared with the CLI.</summary>
    internal static ActionBody ParseAction(JsonObject root, bool needStatus)
    {
        foreach (var member in root)
            if (member.Key is not ("by" or "note" or "status")) throw new ArgumentException($"{member.Key}: unknown member (by, note, status)");
        string by = Text(root, "by", 64) ?? throw new ArgumentException("by: required, 1..64 characters naming who acts");
        string note = Text(root, "note", 500) ?? throw new ArgumentException("note: required, 1..500 characters saying why");
        string? status = Text(root, "status", 16);
        if (needStatus && (status == null || !ResolutionQueue.FinalStatuses.Contains(status)))
            throw new ArgumentException("status: required, SUCCESS, FAILED or CANCELLED (the outcome the operator established)");
        if (!needStatus && status != null) throw new ArgumentException("status: only for close");
        return new ActionBody(by, note, status);
    }

    private static string? Text(JsonObject root, string name, int max)
    {
        if (!root.TryGetPropertyValue(name, out var node) || node == null) return null;
        if (node is not JsonValue value || !value.TryGetValue(out string? text)) throw new ArgumentException($"{name}: must be a string");
        if (text.Length < 1 || text.Length > max || text.Any(char.IsControl)) throw new ArgumentException($"{name}: 1..{max} characters, no control characters");
        return text;
    }
}
