using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Terminal.Tests.AntomEmulator;

internal sealed record ReceivedNotification(string Path, string? ClientId, string? RequestTime, string? Signature, byte[] Body);

/// <summary>
/// A merchant's notify endpoint on loopback (Kestrel). Answers come from <see cref="Script"/> in order; once it is
/// empty every request gets the documented acknowledgement.
/// </summary>
internal sealed class NotifyReceiver : IAsyncDisposable
{
    public const string Acknowledgement = """{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}""";

    private readonly WebApplication _app;
    private readonly Channel<ReceivedNotification> _received = Channel.CreateUnbounded<ReceivedNotification>();

    private NotifyReceiver(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<(int Status, string Body)> Script { get; } = new();

    public Uri BaseUri { get; private set; } = null!;

    public static async Task<NotifyReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NotifyReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUri = new Uri(app.Urls.First());
        return receiver;
    }

    public string Url(string path) => new Uri(BaseUri, path).ToString();

    /// <summary>The next notification; fails the test after 10 s.</summary>
    public async Task<ReceivedNotification> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public bool TryTake(out ReceivedNotification? notification) => _received.Reader.TryRead(out notification);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        string? Header(string name) => context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
        var (status, body) = Script.TryDequeue(out var scripted) ? scripted : (200, Acknowledgement);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
        _received.Writer.TryWrite(new ReceivedNotification(context.Request.Path.Value!, Header("client-id"), Header("request-time"), Header("signature"), buffer.ToArray()));
    }
}
