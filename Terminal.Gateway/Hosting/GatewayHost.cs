using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Devices;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.Operations;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Gateway.Updates;
using Terminal.Gateway.Upstream;

namespace Terminal.Gateway.Hosting;

/// <summary>
/// Starts the gateway. Embedded (simulator, tests): <see cref="StartAsync"/> with options filled in code; it listens
/// on loopback (port 0 = any free port), generates a private CA and server certificate for https URLs unless one is
/// given, applies the database migrations, and returns the running instance. Standalone: Program.cs binds the options
/// from configuration and calls <see cref="Configure"/> on a normal WebApplicationBuilder.
/// </summary>
public static class GatewayHost
{
    public static async Task<RunningGateway> StartAsync(GatewayOptions options, CancellationToken ct = default)
    {
        if (options.Urls.Length == 0) options.Urls = ["http://127.0.0.1:0"];
        if (options.AdminUrls.Length == 0) options.AdminUrls = ["http://127.0.0.1:0"];
        if (options.Https.Certificate == null && string.IsNullOrWhiteSpace(options.Https.CertificatePath)) options.Https.SelfSigned = true;
        var settings = GatewaySettings.Resolve(options);
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(GatewayHost).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
                // Options come in code: no configuration files to watch (the watcher costs CPU for every change in the folder).
                Args = ["--hostBuilder:reloadConfigOnChange=false"],
            });
            builder.Logging.ClearProviders();
            options.ConfigureLogging?.Invoke(builder.Logging);
            var certificates = Configure(builder, settings);
            var app = builder.Build();
            await PrepareAsync(app, ct).ConfigureAwait(false);
            await app.StartAsync(ct).ConfigureAwait(false);
            var endpoints = app.Services.GetRequiredService<GatewayEndpoints>();
            return new RunningGateway(app, settings, endpoints, certificates.Ca, certificates.Server);
        }
        catch
        {
            settings.Dispose();
            throw;
        }
    }

    /// <summary>Registers the gateway's services, Kestrel endpoints and routes on <paramref name="builder"/>.</summary>
    public static (X509Certificate2? Ca, X509Certificate2? Server) Configure(WebApplicationBuilder builder, GatewaySettings settings)
    {
        var options = settings.Options;
        var certificates = ServerCertificates(settings);
        var listeners = new GatewayListeners();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBodyBytes, 256 * 1024);
            foreach (string url in options.Urls) Listen(kestrel, url, certificates.Server, listeners, admin: false);
            foreach (string url in options.AdminUrls) Listen(kestrel, url, certificates.Server, listeners, admin: true);
        });

        var services = builder.Services;
        services.AddSingleton(listeners);
        services.AddSingleton(settings);
        services.AddSingleton<GatewayMetrics>();
        GatewayTelemetry.Add(services, settings);
        services.AddSingleton<GatewayEndpoints>();
        services.AddSingleton(sp =>
        {
            var database = new GatewayDatabase(settings.DatabaseProvider, settings.ConnectionString, options.Database.SqliteSynchronous, PoolOf(settings));
            sp.GetRequiredService<GatewayMetrics>().ObservePool(database.Pool);
            return database;
        });
        services.AddSingleton<GatewayStore>();
        services.AddSingleton(sp => new DeviceRegistry(sp.GetRequiredService<GatewayDatabase>(), settings.KeyProtector, options.Merchant, settings.Clock));
        services.AddSingleton<AntomClient>();
        services.AddSingleton<DeviceAuthenticator>();
        services.AddSingleton<DeviceGate>();
        services.AddSingleton<DeviceOperations>();
        services.AddSingleton<AntomRelayEndpoint>();
        services.AddSingleton<ReplayWaiters>();
        services.AddSingleton<Resolver>();
        services.AddSingleton<ResolutionQueue>();
        services.AddSingleton<ResolutionQueries>();
        services.AddHostedService<ResolverService>();
        services.AddSingleton(sp =>
        {
            var unsaved = ActivatorUtilities.CreateInstance<UnsavedAnswers>(sp);
            sp.GetRequiredService<GatewayMetrics>().ObserveUnsavedAnswers(() => unsaved.Count);
            return unsaved;
        });
        services.AddHostedService(sp => sp.GetRequiredService<UnsavedAnswers>());
        services.AddSingleton<NotifyEndpoint>();
        services.AddSingleton<FleetStore>();
        services.AddSingleton(sp => new FleetHealth(sp.GetRequiredService<FleetStore>(), sp.GetRequiredService<DeviceRegistry>(), settings.Clock));
        services.AddSingleton(sp => new FleetSettings(sp.GetRequiredService<FleetStore>(), sp.GetRequiredService<DeviceRegistry>(), settings.Clock));
        services.AddSingleton<HeartbeatEndpoint>();
        services.AddSingleton<UpdateStore>();
        services.AddSingleton(sp => new BundleLibrary(sp.GetRequiredService<UpdateStore>(), settings.Clock));
        services.AddSingleton(sp => new Rollouts(sp.GetRequiredService<UpdateStore>(), sp.GetRequiredService<DeviceRegistry>(), settings.Clock));
        services.AddSingleton(sp => new DeviceUpdates(sp.GetRequiredService<UpdateStore>(), sp.GetRequiredService<FleetStore>(), settings.Clock));
        services.AddSingleton<UpdateFilesEndpoint>();
        services.AddHostedService<Housekeeping>();
        services.AddSingleton<CustomerLinkStore>();
        services.AddSingleton<CustomerLinks>();
        services.AddSingleton<StatusInquirer>();
        services.AddSingleton(_ => new PageRateLimiter(settings.Clock, options.CustomerPage));
        services.AddSingleton<CustomerPageEndpoint>();
        services.AddHostedService<LinkHousekeeping>();
        OperationsConsole.Hosting.ConsoleHost.AddServices(services);
        services.AddSingleton(sp => EndOfDayQueries.For(sp.GetRequiredService<GatewayDatabase>(), options, settings.Clock));
        return certificates;
    }

    /// <summary>The PostgreSQL pool settings of this instance (its connections are named after it in pg_stat_activity).</summary>
    public static DatabasePool PoolOf(GatewaySettings settings)
    {
        var d = settings.Options.Database;
        return new DatabasePool(d.MaxPoolSize, d.MinPoolSize, d.ConnectTimeoutSeconds, d.CommandTimeoutSeconds, d.IdleLifetimeSeconds, "gateway " + settings.InstanceName);
    }

    private static void Listen(KestrelServerOptions kestrel, string url, X509Certificate2? certificate, GatewayListeners listeners, bool admin)
    {
        var uri = new Uri(url);
        Action<ListenOptions> configure = l =>
        {
            if (uri.Scheme == Uri.UriSchemeHttps) l.UseHttps(certificate!);
            listeners.Add(l, uri.Scheme, admin);
        };
        if (uri.Host is "localhost") kestrel.ListenLocalhost(uri.Port, configure);
        else if (uri.Host is "0.0.0.0" or "*" or "+" or "[::]") kestrel.ListenAnyIP(uri.Port, configure);
        else kestrel.Listen(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port, configure);
    }

    /// <summary>Applies migrations and maps the routes; call after Build, before Start/Run.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var settings = app.Services.GetRequiredService<GatewaySettings>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Terminal.Gateway");
        var database = app.Services.GetRequiredService<GatewayDatabase>();
        var applied = await Migrator.MigrateAsync(database, settings.Clock.GetUtcNow().ToUnixTimeMilliseconds(), ct).ConfigureAwait(false);
        log.LogInformation("database {Provider} at schema version {Version} ({Applied} migration(s) applied now)",
            database.Provider, Migrator.LatestVersion(database.Provider), applied.Count);

        app.Use(GatewayListeners.Split);
        app.MapAntomRelay();
        app.MapTerminalApi().MapDeviceMessage("/heartbeat", HeartbeatEndpoint.MessageType, HeartbeatEndpoint.Operation,
            (request, services) => services.GetRequiredService<HeartbeatEndpoint>().HandleAsync(request));
        app.MapTerminalApi().MapDeviceDownload(UpdateFilesEndpoint.Pattern, UpdateFilesEndpoint.MessageType, UpdateFilesEndpoint.Operation,
            (request, context) => context.RequestServices.GetRequiredService<UpdateFilesEndpoint>().HandleAsync(request, context));
        app.MapPost(settings.NotifyPath, (HttpContext context, NotifyEndpoint endpoint) => endpoint.HandleAsync(context));
        CustomerPageEndpoint.Map(app);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", async (GatewayStore store) =>
        {
            try
            {
                int version = await store.PingAsync().ConfigureAwait(false);
                return version >= Migrator.LatestVersion(store.Database.Provider)
                    ? Results.Text("ready\n")
                    : Results.Text($"database schema at version {version}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                return Results.Text("database unreachable\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        app.MapGet("/metrics", async (GatewayMetrics metrics, FleetHealth fleet, DeviceUpdates updates) =>
            Results.Text(metrics.Render() + await fleet.RenderMetricsAsync().ConfigureAwait(false) + await updates.RenderMetricsAsync().ConfigureAwait(false),
                "text/plain; version=0.0.4; charset=utf-8"));
        OperationsConsole.Hosting.ConsoleHost.Map(app);
        if (settings.AdminToken != null) AdminApi.Map(app, settings.AdminToken, settings.Clock);
        else log.LogInformation("Gateway:AdminToken is not set: the admin API is off");

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            var listeners = app.Services.GetRequiredService<GatewayListeners>();
            var listen = GatewayListeners.BaseUri(listeners.Device) ?? new Uri("http://127.0.0.1/");
            var endpoints = app.Services.GetRequiredService<GatewayEndpoints>();
            endpoints.Set(listen, GatewayListeners.BaseUri(listeners.Admin), settings.PublicBaseUri, settings.NotifyPath);
            if (settings.PublicBaseUri == null)
                log.LogWarning("Gateway:PublicBaseUrl is not set: paymentNotifyUrl is {NotifyUrl}, which Antom can reach only if it is public", endpoints.NotifyUrl);
            log.LogInformation("gateway listening on {Addresses} (admin API, metrics and the console at /console on {AdminUrls} only); Antom at {AntomBaseUrl} as {ClientId}; notify URL {NotifyUrl}",
                string.Join(", ", addresses ?? []), string.Join(", ", settings.Options.AdminUrls), settings.AntomBaseUri, settings.AntomClientId, endpoints.NotifyUrl);
        });
    }

    private static (X509Certificate2? Ca, X509Certificate2? Server) ServerCertificates(GatewaySettings settings)
    {
        var o = settings.Options;
        if (!o.Urls.Concat(o.AdminUrls).Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase))) return (null, null);
        if (o.Https.Certificate != null) return (null, o.Https.Certificate);
        if (!string.IsNullOrWhiteSpace(o.Https.CertificatePath))
            return (null, X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPemFile(o.Https.CertificatePath, o.Https.KeyPath).Export(X509ContentType.Pkcs12), null));
        var ca = string.IsNullOrWhiteSpace(o.Https.SelfSignedCaPath)
            ? SelfSignedCertificates.CreateCa()
            : SelfSignedCertificates.LoadOrCreateCa(o.Https.SelfSignedCaPath, Path.ChangeExtension(o.Https.SelfSignedCaPath, ".key"));
        var names = new List<string> { Environment.MachineName };
        var addresses = new List<IPAddress>();
        foreach (var uri in o.Urls.Concat(o.AdminUrls).Select(u => new Uri(u)).Append(settings.PublicBaseUri).OfType<Uri>())
        {
            if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip)) { if (!ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any)) addresses.Add(ip); }
            else if (uri.Host is not ("*" or "+")) names.Add(uri.Host);
        }
        return (ca, SelfSignedCertificates.CreateServer(ca, names, addresses));
    }
}
