using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Api;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Storage;
using Terminal.Payments.Antom;
using Terminal.Updates.Manifest;

namespace Terminal.Gateway.Updates;

/// <summary>
/// <c>GET /terminal/v1/updates/&lt;version&gt;/&lt;name&gt;</c> on the device listener (docs/ota.md, "Files"): the gate has
/// authenticated the terminal with the download key (<see cref="SignatureKeys.UpdateDownload"/>, over
/// <c>GET &lt;path&gt;\n&lt;Client-Id&gt;.&lt;Request-Time&gt;.</c>); <c>manifest.json</c> or one of the manifest's files is
/// served only to a terminal offered that version or running it (else 404, as for a version or name that does not
/// exist, so nothing tells a stranger which bundles there are). One <c>Range: bytes=a-b</c> (also <c>a-</c>, <c>-n</c>)
/// is answered 206 with Content-Range, none 200 with the whole file, an unsatisfiable or malformed one 416; a range
/// unit other than bytes is ignored (RFC 9110 section 14.2). The bytes go out unsigned: the terminal checks each file's
/// size and SHA-256 against the manifest, whose MAC it checked. They are read from the database in pieces of
/// <see cref="PieceBytes"/>, so a request holds at most one piece.
/// </summary>
public sealed class UpdateFilesEndpoint(UpdateStore store, DeviceUpdates updates, ILogger<UpdateFilesEndpoint> log)
{
    public static readonly DeviceMessageType MessageType = new("update-download") { Method = "GET" };

    public const string Operation = "update-download";
    public const string Pattern = "/updates/{version}/{name}";
    public const string NotFound = "NOT_FOUND";
    public const string RangeNotSatisfiable = "RANGE_NOT_SATISFIABLE";
    public const int PieceBytes = 64 * 1024;

    public async Task<string> HandleAsync(DeviceRequest request, HttpContext context)
    {
        string version = (string)context.GetRouteValue("version")!;
        string name = (string)context.GetRouteValue("name")!;
        var device = request.Device;
        var bundle = AppVersion.IsValid(version) ? await store.BundleAsync(version).ConfigureAwait(false) : null;
        int? size = bundle == null || bundle.DeletedAt != null ? null
            : name == BundleLibrary.ManifestFileName ? bundle.Manifest.Length
            : await store.FileSizeAsync(version, name).ConfigureAwait(false);
        if (size == null || !await updates.MayDownloadAsync(device, version).ConfigureAwait(false))
        {
            log.LogWarning("update download refused: device={DeviceId} version={Version} name={Name}: not offered to this device or no such file", device.DeviceId,
                Printable(version), Printable(name));
            await Error(context, StatusCodes.Status404NotFound, NotFound, "no such update file for this terminal").ConfigureAwait(false);
            return NotFound;
        }

        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        var range = Range(context.Request.Headers.Range.ToString(), size.Value);
        if (range == null)
        {
            response.Headers.ContentRange = $"bytes */{size}";
            await Error(context, StatusCodes.Status416RangeNotSatisfiable, RangeNotSatisfiable, $"range not satisfiable for {size} bytes").ConfigureAwait(false);
            return RangeNotSatisfiable;
        }

        var (from, length, partial) = range.Value;
        response.StatusCode = partial ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.ContentLength = length;
        response.Headers.Connection = "keep-alive";
        if (partial) response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {from}-{from + length - 1}/{size}");
        if (name == BundleLibrary.ManifestFileName)
        {
            await response.Body.WriteAsync(bundle!.Manifest.AsMemory(from, length)).ConfigureAwait(false);
            return ResultCodes.Success;
        }
        for (int at = from; at < from + length; at += PieceBytes)
        {
            byte[]? piece = await store.FileRangeAsync(version, name, at, Math.Min(PieceBytes, from + length - at)).ConfigureAwait(false);
            if (piece == null) throw new InvalidOperationException($"bundle {version} lost {name} while it was served"); // deleted meanwhile: the connection is cut
            await response.Body.WriteAsync(piece).ConfigureAwait(false);
        }
        return ResultCodes.Success;
    }

    /// <summary>The bytes to send (from, length, partial?) for a Range header over <paramref name="size"/> bytes; null when
    /// unsatisfiable or malformed. No header, or another unit: the whole file, not partial.</summary>
    internal static (int From, int Length, bool Partial)? Range(string header, int size)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return (0, size, false);
        string spec = header["bytes=".Length..].Trim();
        int dash = spec.IndexOf('-');
        if (dash < 0 || spec.Contains(',')) return null;
        long? first = Number(spec[..dash]);
        long? last = Number(spec[(dash + 1)..]);
        if (first == null)
        {
            // bytes=-n: the last n bytes.
            if (dash != 0 || last is null or 0) return null;
            long n = Math.Min(last.Value, size);
            return ((int)(size - n), (int)n, true);
        }
        if (first.Value >= size) return null;
        if (dash + 1 < spec.Length && last == null) return null;
        long end = last == null ? size - 1 : Math.Min(last.Value, size - 1);
        if (end < first.Value) return null;
        return ((int)first.Value, (int)(end - first.Value + 1), true);
    }

    private static long? Number(string text) =>
        text.Length is > 0 and <= 12 && text.All(char.IsAsciiDigit) ? long.Parse(text, CultureInfo.InvariantCulture) : null;

    private static async Task Error(HttpContext context, int status, string code, string message)
    {
        byte[] body = Encoding.UTF8.GetBytes(AntomJson.Result("F", code, message));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }

    private static string Printable(string text) => text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? text : "(unprintable)";
}
