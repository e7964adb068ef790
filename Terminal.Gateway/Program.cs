using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Terminal.Gateway.Cli;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Hosting;

namespace Terminal.Gateway;

/// <summary>
/// <c>dotnet run --project Terminal.Gateway -- [--Gateway:Key=value ...]</c> runs the server;
/// <c>dotnet run --project Terminal.Gateway -- devices add|list|revoke|rotate-key|settings ...</c> manages devices and their
/// remote settings; <c>... -- resolutions list|show|retry|close ...</c> the resolution queue's exceptions;
/// <c>... -- users add|list|set-password|set-role|unlock|disable|enable ...</c> manages the console's accounts;
/// <c>... -- day totals|reconcile ...</c> gives the day's totals and reconciles a day with Antom's report;
/// <c>... -- bundles upload|list|show|delete ...</c> and <c>... -- rollouts create|list|show|pause|resume|abort ...</c> manage
/// over-the-air updates.
/// Configuration: appsettings.json, appsettings.{Environment}.json, environment variables (Gateway__Antom__BaseUrl),
/// then the command line (docs/gateway.md).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "devices" or "resolutions" or "users" or "day" or "bundles" or "rollouts")
        {
            // Options (--store S001) belong to the command; --Gateway:... arguments are configuration.
            string[] command = args[1..].Where(a => !a.StartsWith("--Gateway:", StringComparison.OrdinalIgnoreCase)).ToArray();
            string[] configArgs = args[1..].Where(a => a.StartsWith("--Gateway:", StringComparison.OrdinalIgnoreCase)).ToArray();
            var configuration = new ConfigurationBuilder()
                .SetBasePath(AppContext.BaseDirectory)
                .AddJsonFile("appsettings.json", optional: true)
                .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
                .AddEnvironmentVariables()
                .AddCommandLine(configArgs)
                .Build();
            return args[0] switch
            {
                "devices" => await DevicesCommand.RunAsync(command, BindOptions(configuration), Console.Out, Console.Error),
                "users" => await UsersCommand.RunAsync(command, BindOptions(configuration), Console.In, Console.Out, Console.Error),
                "day" => await DayCommand.RunAsync(command, BindOptions(configuration), Console.Out, Console.Error),
                "bundles" => await UpdatesCommand.BundlesAsync(command, BindOptions(configuration), Console.Out, Console.Error),
                "rollouts" => await UpdatesCommand.RolloutsAsync(command, BindOptions(configuration), Console.Out, Console.Error),
                _ => await ResolutionsCommand.RunAsync(command, BindOptions(configuration), Console.Out, Console.Error),
            };
        }

        // appsettings*.json are read from the program's folder (where the build puts them), whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
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
