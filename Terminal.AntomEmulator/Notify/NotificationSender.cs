using System.Net.Http.Headers;
using System.Text.Json;

namespace Terminal.AntomEmulator;

/// <summary>
/// Delivers notifyPayment: POST of the RSA256-signed body to paymentNotifyUrl (content to sign uses the path of
/// that URL), repeated after each of <see cref="AntomEmulatorOptions.NotifyRetryDelays"/> until the receiver answers
/// HTTP 200 with <c>{"result":{"resultCode":"SUCCESS","resultStatus":"S",...}}</c> (docs/antom-protocol.md section 3.7).
/// </summary>
internal sealed class NotificationSender : INotificationQueue, IAsyncDisposable
{
    private readonly EmulatorState _state;
    private readonly AntomSigner _signer;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = new();
    private readonly Lock _gate = new();

    public NotificationSender(EmulatorState state, AntomSigner signer)
    {
        _state = state;
        _signer = signer;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
        if (state.Options.NotifyServerCertificateValidation is { } validation)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validation;
        }

        _http = new HttpClient(handler) { Timeout = state.Options.NotifyTimeout };
    }

    public void Enqueue(NotificationJob job)
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(Task.Run(() => DeliverAsync(job, _stop.Token)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_gate)
        {
            _stop.Cancel();
            running = _running.ToArray();
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task DeliverAsync(NotificationJob job, CancellationToken stop)
    {
        IList<TimeSpan> delays = _state.Options.NotifyRetryDelays;
        var target = new Uri(job.Url);
        for (int attempt = 1; !stop.IsCancellationRequested; attempt++)
        {
            DateTimeOffset now = _state.Clock.GetUtcNow();
            (int? status, string? error) = await SendOnceAsync(job, target, now, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            bool acknowledged = error == null;
            bool last = attempt > delays.Count;
            NotificationState? final = acknowledged ? NotificationState.Delivered : last ? NotificationState.GaveUp : null;
            lock (_state.Gate)
            {
                _state.RecordAttempt(new NotificationAttempt(job.PaymentId, job.Url, attempt, now, status, acknowledged, error), final);
            }

            if (final != null)
            {
                return;
            }

            try
            {
                await Task.Delay(delays[attempt - 1], stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(int? Status, string? Error)> SendOnceAsync(NotificationJob job, Uri target, DateTimeOffset now, CancellationToken stop)
    {
        string time = TimeHeader.Format(now, _state.Options.TimeHeaderFormat, _state.Options.TimeZoneOffset);
        using var request = new HttpRequestMessage(HttpMethod.Post, target);
        request.Content = new ByteArrayContent(job.Body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
        request.Headers.TryAddWithoutValidation("Client-Id", job.ClientId);
        request.Headers.TryAddWithoutValidation("Request-Time", time);
        request.Headers.TryAddWithoutValidation("Signature", _signer.SignatureHeader(target.AbsolutePath, job.ClientId, time, job.Body));
        try
        {
            using var response = await _http.SendAsync(request, stop).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(stop).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status != 200)
            {
                return (status, $"HTTP {status}");
            }

            return IsAcknowledgement(body) ? (status, null) : (status, "the body is not the acknowledgement JSON");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (null, e.GetType().Name + ": " + e.Message);
        }
    }

    private static bool IsAcknowledgement(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("result", out var result) &&
                result.ValueKind == JsonValueKind.Object &&
                result.TryGetProperty("resultCode", out var code) && code.ValueKind == JsonValueKind.String && code.GetString() == "SUCCESS" &&
                result.TryGetProperty("resultStatus", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "S";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
