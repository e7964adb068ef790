using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Hosting;

/// <summary>An embedded gateway started by <see cref="GatewayHost.StartAsync"/>. Dispose to stop it.</summary>
public sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GatewaySettings _settings;
    private readonly GatewayEndpoints _endpoints;

    internal RunningGateway(WebApplication app, GatewaySettings settings, GatewayEndpoints endpoints, X509Certificate2? ca, X509Certificate2? server)
    {
        _app = app;
        _settings = settings;
        _endpoints = endpoints;
        CaCertificate = ca;
        ServerCertificate = server;
    }

    /// <summary>Where devices send requests, e.g. https://127.0.0.1:53117/.</summary>
    public Uri BaseUri => _endpoints.BaseUri;

    /// <summary>Where the admin API and /metrics are served.</summary>
    public Uri AdminBaseUri => _endpoints.AdminBaseUri;

    /// <summary>The paymentNotifyUrl the gateway puts into pay requests (the emulator posts notifyPayment there).</summary>
    public string NotifyUrl => _endpoints.NotifyUrl;

    /// <summary>The generated CA that signed <see cref="ServerCertificate"/> (null for http or a supplied certificate).
    /// A device or HttpClient that trusts it can verify the gateway.</summary>
    public X509Certificate2? CaCertificate { get; }

    /// <summary>PEM of <see cref="CaCertificate"/> (the device's caCertificate file), or null.</summary>
    public string? CaCertificatePem => CaCertificate?.ExportCertificatePem();

    public X509Certificate2? ServerCertificate { get; }

    public DeviceRegistry Devices => _app.Services.GetRequiredService<DeviceRegistry>();
    public GatewayStore Store => _app.Services.GetRequiredService<GatewayStore>();
    public GatewayMetrics Metrics => _app.Services.GetRequiredService<GatewayMetrics>();
    public IServiceProvider Services => _app.Services;

    /// <summary>The day's totals and reconciliation (docs/reconciliation.md).</summary>
    public EndOfDay.EndOfDayQueries EndOfDay => _app.Services.GetRequiredService<EndOfDay.EndOfDayQueries>();

    /// <summary>Registers a device in-process and returns its key (what the admin API's POST /admin/devices does).</summary>
    public Task<DeviceCredentials> RegisterDeviceAsync(DeviceRegistration registration, CancellationToken ct = default) =>
        Devices.RegisterAsync(registration, ct);

    public Task<DeviceCredentials> RegisterDeviceAsync(string deviceId, CancellationToken ct = default) =>
        Devices.RegisterAsync(new DeviceRegistration(deviceId), ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _settings.Dispose();
    }
}
