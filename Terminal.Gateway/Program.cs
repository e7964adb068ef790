using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Terminal.Gateway.Cli;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Hosting;

namespace Terminal.Gateway;

/// <summary>
/// <c>dotnet run --project Terminal.Gateway -- [--Gateway:Key=value ...]</c> runs the server;
/// <c>... -- devices|users|resolutions|day|bundles|rollouts ...</c> manage the database it uses (<see cref="GatewayCommandLine"/>,
/// <c>--help</c> on any command). Configuration: appsettings.json, appsettings.{Environment}.json, environment variables
/// (Gateway__Antom__BaseUrl), then the command line (docs/gateway.md).
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => GatewayCommandLine.RunAsync(args, RunServerAsync);

    /// <summary>The server, with <paramref name="configurationArgs"/> (<c>--Gateway:...</c>) as the last configuration source.</summary>
    private static async Task<int> RunServerAsync(string[] configurationArgs)
    {
        // appsettings*.json are read from the program's folder (where the build puts them), whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs, ContentRootPath = AppContext.BaseDirectory });
        var options = BindOptions(builder.Configuration);
        if (options.Urls.Length == 0) options.Urls = ["http://127.0.0.1:8080"];
        if (options.AdminUrls.Length == 0) options.AdminUrls = ["http://127.0.0.1:8081"];
        GatewaySettings settings;
        try
        {
            settings = GatewaySettings.Resolve(options);
        }
        catch (GatewayConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        using (settings)
        {
            GatewayHost.Configure(builder, settings);
            var app = builder.Build();
            await GatewayHost.PrepareAsync(app);
            await app.RunAsync();
        }
        return 0;
    }

    internal static GatewayOptions BindOptions(IConfiguration configuration)
    {
        var options = new GatewayOptions();
        configuration.GetSection(GatewayOptions.SectionName).Bind(options);
        return options;
    }
}
