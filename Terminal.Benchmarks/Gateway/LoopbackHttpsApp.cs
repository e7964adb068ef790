using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Hosting;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// A minimal Kestrel app on a loopback HTTPS port with a certificate from a CA of its own, for the benchmark's upstream
/// and its bare relay. No configuration files are watched (a watcher on a busy working directory costs CPU in the
/// measured process) and nothing is logged.
/// </summary>
internal static class LoopbackHttpsApp
{
    public static WebApplication Create(string caName, out X509Certificate2 ca)
    {
        ca = SelfSignedCertificates.CreateCa(caName);
        var server = SelfSignedCertificates.CreateServer(ca);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(server)));
        return builder.Build();
    }

    /// <summary>The address the started app listens on.</summary>
    public static Uri BaseUri(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
