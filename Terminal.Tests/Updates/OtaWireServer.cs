using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Tests.Http;

namespace Terminal.Tests.Updates;

/// <summary>
/// The gateway's side of the OTA wire (TEAM.md "The OTA wire", docs/ota.md) written for the tests from the wire's text,
/// independent of the firmware: Kestrel on loopback over TLS (the test CA). The heartbeat checks the request's MAC with
/// the heartbeat request key and answers, signed with the answer key and bound to the beat, with the offer the test
/// set; the files are served with one-range support (206 with Content-Range, 200 without Range, 416 past the end),
/// only for the version offered, and only to a request signed with the download key over
/// <c>GET &lt;path&gt;\n&lt;Client-Id&gt;.&lt;Request-Time&gt;.</c>. Keys are derived with .NET's HKDF from the labels
/// written out here.
/// </summary>
internal sealed class OtaWireServer : IAsyncDisposable
{
    public const string DownloadLabel = "qr-terminal-hs256/update-download/device-to-gateway";
    public const string HeartbeatRequestLabel = "qr-terminal-hs256/heartbeat/device-to-gateway";
    public const string HeartbeatAnswerLabel = "qr-terminal-hs256/heartbeat/gateway-to-device";
    public const string ManifestLabel = "qr-terminal-hs256/update-manifest/gateway-to-device";

    private readonly WebApplication _app;
    private readonly byte[] _deviceKey;
    private readonly string _clientId;

    private OtaWireServer(byte[] deviceKey, string clientId)
    {
        _deviceKey = deviceKey;
        _clientId = clientId;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(TestCertificates.Server)));
        _app = builder.Build();
        _app.MapPost("/terminal/v1/heartbeat", Heartbeat);
        _app.MapGet("/terminal/v1/updates/{version}/{name}", File);
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Bundles by version: file name to bytes (manifest.json included).</summary>
    public ConcurrentDictionary<string, Dictionary<string, byte[]>> Bundles { get; } = new();

    /// <summary>The version offered in heartbeat answers (and the only one downloadable), or null.</summary>
    public string? Offered { get; set; }

    /// <summary>The offer's MAC; null: computed for this device over the offered bundle's manifest.</summary>
    public string? OfferMac { get; set; }

    public bool Downgrade { get; set; }

    /// <summary>Written as the answer's "update" member instead of the offer (malformed offers).</summary>
    public string? RawUpdate { get; set; }

    /// <summary>Bytes each file is cut to when served (a truncated file), by name.</summary>
    public ConcurrentDictionary<string, int> Cut { get; } = new();

    /// <summary>Answers 503 to this many downloads before serving again (a dropping gateway).</summary>
    public int FailNext;

    /// <summary>When set, a download waits on it before answering (the test holds a range in flight).</summary>
    public SemaphoreSlim? Gate { get; set; }

    /// <summary>Every heartbeat body, as JSON.</summary>
    public ConcurrentQueue<JsonObject> Heartbeats { get; } = new();

    /// <summary>Every download: "name from-to" (or "name all"), in arrival order; and the answers' status codes.</summary>
    public ConcurrentQueue<string> Downloads { get; } = new();

    public ConcurrentQueue<int> Statuses { get; } = new();

    public int BadSignatures;

    /// <summary>Events in arrival order, shared with the test (downloads are added as "range ...").</summary>
    public ConcurrentQueue<string> Timeline { get; set; } = new();

    public static async Task<OtaWireServer> StartAsync(byte[] deviceKey, string clientId)
    {
        var server = new OtaWireServer(deviceKey, clientId);
        await server._app.StartAsync();
        string address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address);
        return server;
    }

    public static byte[] Key(byte[] deviceKey, string label) =>
        HKDF.Expand(HashAlgorithmName.SHA256, deviceKey, 32, Encoding.ASCII.GetBytes(label));

    /// <summary>The manifest's MAC for the device with <paramref name="deviceKey"/>, lower-case hex.</summary>
    public static string ManifestMac(byte[] deviceKey, byte[] manifest) => Convert.ToHexStringLower(HMACSHA256.HashData(Key(deviceKey, ManifestLabel), manifest));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private bool SignedWith(HttpContext context, string label, byte[] body)
    {
        string time = context.Request.Headers["Request-Time"].ToString();
        string header = context.Request.Headers["Signature"].ToString();
        int at = header.IndexOf("signature=", StringComparison.Ordinal);
        if (context.Request.Headers["Client-Id"].ToString() != _clientId || at < 0 || !header.StartsWith("algorithm=HS256,", StringComparison.Ordinal))
        {
            return false;
        }

        byte[] mac;
        try
        {
            mac = Convert.FromBase64String(Uri.UnescapeDataString(header[(at + 10)..]));
        }
        catch (FormatException)
        {
            return false;
        }

        byte[] content = Encoding.ASCII.GetBytes($"{context.Request.Method} {context.Request.Path}\n{_clientId}.{time}.").Concat(body).ToArray();
        return CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(Key(_deviceKey, label), content));
    }

    private async Task Heartbeat(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();
        if (!SignedWith(context, HeartbeatRequestLabel, body))
        {
            Interlocked.Increment(ref BadSignatures);
            context.Response.StatusCode = 401;
            return;
        }

        JsonObject report = JsonNode.Parse(body)!.AsObject();
        Heartbeats.Enqueue(report);
        var answer = new JsonObject
        {
            ["result"] = new JsonObject { ["resultCode"] = "SUCCESS", ["resultStatus"] = "S", ["resultMessage"] = "success" },
            ["beat"] = report["beat"]!.GetValue<string>(),
        };
        string text = answer.ToJsonString();
        string? update = RawUpdate;
        if (update == null && Offered != null)
        {
            string mac = OfferMac ?? ManifestMac(_deviceKey, Bundles[Offered]["manifest.json"]);
            update = new JsonObject { ["version"] = Offered, ["mac"] = mac, ["downgrade"] = Downgrade }.ToJsonString();
        }

        if (update != null)
        {
            text = text[..^1] + ",\"update\":" + update + "}";
        }

        byte[] response = Encoding.UTF8.GetBytes(text);
        string responseTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        byte[] signed = Encoding.ASCII.GetBytes($"POST {context.Request.Path}\n{_clientId}.{responseTime}.").Concat(response).ToArray();
        context.Response.Headers["Response-Time"] = responseTime;
        context.Response.Headers["Signature"] = "algorithm=HS256,keyVersion=1,signature="
            + Uri.EscapeDataString(Convert.ToBase64String(HMACSHA256.HashData(Key(_deviceKey, HeartbeatAnswerLabel), signed)));
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(response);
    }

    private async Task File(HttpContext context, string version, string name)
    {
        string range = context.Request.Headers.Range.ToString();
        Timeline.Enqueue("range " + name + " " + range);
        Downloads.Enqueue(name + " " + (range.Length == 0 ? "all" : range));
        if (Gate != null)
        {
            await Gate.WaitAsync();
        }

        int status = await Serve(context, version, name, range);
        Statuses.Enqueue(status);
    }

    private async Task<int> Serve(HttpContext context, string version, string name, string range)
    {
        if (!SignedWith(context, DownloadLabel, []))
        {
            Interlocked.Increment(ref BadSignatures);
            return context.Response.StatusCode = 401;
        }

        if (version != Offered || !Bundles.TryGetValue(version, out var bundle) || !bundle.TryGetValue(name, out byte[]? file))
        {
            return context.Response.StatusCode = 404;
        }

        if (FailNext > 0)
        {
            Interlocked.Decrement(ref FailNext);
            return context.Response.StatusCode = 503;
        }

        if (Cut.TryGetValue(name, out int cut))
        {
            file = file[..cut];
        }

        context.Response.ContentType = "application/octet-stream";
        if (range.Length == 0)
        {
            context.Response.ContentLength = file.Length;
            await context.Response.Body.WriteAsync(file);
            return 200;
        }

        // One range, "bytes=a-b" (RFC 9110 14.1.2); b past the end is cut to the end.
        string[] parts = range["bytes=".Length..].Split('-');
        long first = long.Parse(parts[0], CultureInfo.InvariantCulture);
        long last = Math.Min(long.Parse(parts[1], CultureInfo.InvariantCulture), file.Length - 1);
        if (first >= file.Length)
        {
            context.Response.Headers.ContentRange = $"bytes */{file.Length}";
            return context.Response.StatusCode = 416;
        }

        context.Response.StatusCode = 206;
        context.Response.Headers.ContentRange = $"bytes {first}-{last}/{file.Length}";
        context.Response.ContentLength = last - first + 1;
        await context.Response.Body.WriteAsync(file.AsMemory((int)first, (int)(last - first + 1)));
        return 206;
    }
}
