using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// The reference for what one more HTTPS hop costs: a relay that does nothing but pass a request to the upstream and
/// its answer back (body and the three Antom headers, unchanged), with Kestrel and HttpClient as the gateway uses them.
/// A direct client sent through it measures "direct + one hop"; the gateway's own share of a relayed call is then
/// "via gateway − via bare relay": authentication, records, payment state, signing, JSON.
/// </summary>
internal sealed class BareRelay : IAsyncDisposable
{
    private static readonly string[] PassedHeaders = ["Client-Id", "Request-Time", "Signature"];
    private static readonly string[] AnswerHeaders = ["Client-Id", "Response-Time", "Signature"];

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private BareRelay(WebApplication app, HttpClient upstream, X509Certificate2 ca)
    {
        _app = app;
        _upstream = upstream;
        Ca = ca;
    }

    public X509Certificate2 Ca { get; }
    public Uri BaseUri { get; private set; } = null!;

    public static async Task<BareRelay> StartAsync(Uri upstreamBase, X509Certificate2 upstreamCa)
    {
        var app = LoopbackHttpsApp.Create("Bench relay CA", out var ca);
        var upstream = new HttpClient(TrustedCa.Handler(upstreamCa));
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            var request = context.Request;
            byte[] body = new byte[(int)(request.ContentLength ?? 0)];
            await request.Body.ReadExactlyAsync(body);
            using var forward = new HttpRequestMessage(HttpMethod.Post, new Uri(upstreamBase, request.Path.Value)) { Content = new ByteArrayContent(body) };
            forward.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
            foreach (string name in PassedHeaders) forward.Headers.TryAddWithoutValidation(name, request.Headers[name].ToString());
            using var answer = await upstream.SendAsync(forward);
            byte[] answerBody = await answer.Content.ReadAsByteArrayAsync();
            var response = context.Response;
            response.ContentType = "application/json; charset=UTF-8";
            foreach (string name in AnswerHeaders)
            {
                if (answer.Headers.NonValidated.TryGetValues(name, out var values)) response.Headers[name] = values.ToString();
            }
            response.ContentLength = answerBody.Length;
            await response.Body.WriteAsync(answerBody);
        });
        await app.StartAsync();
        var relay = new BareRelay(app, upstream, ca);
        relay.BaseUri = LoopbackHttpsApp.BaseUri(app);
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
