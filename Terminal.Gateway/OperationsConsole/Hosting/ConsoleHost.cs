using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.OperationsConsole.Refunds;

namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>
/// The operations console (docs/console.md): Razor Pages rendered on the server, under /console on the admin listener
/// only (<see cref="Hosting.GatewayListeners.Split"/>), behind cookie sessions of console accounts, anti-forgery tokens
/// on every form (Razor Pages validates them on every POST) and <see cref="SecurityHeaders"/>.
/// </summary>
public static class ConsoleHost
{
    /// <summary>The keys ASP.NET Core's WebApplication checks before adding authentication and authorization itself.</summary>
    private const string AuthenticationSetKey = "__AuthenticationMiddlewareSet", AuthorizationSetKey = "__AuthorizationMiddlewareSet";

    public static void AddServices(IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/OperationsConsole/Pages";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/Login");
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "terminal-console-af";
            o.Cookie.Path = ConsolePaths.Root;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
            o.HeaderName = null;
        });
        ConsoleAuthentication.Add(services);
        services.AddSingleton(sp => new ConsoleUsers(sp.GetRequiredService<Storage.GatewayDatabase>(), sp.GetRequiredService<Configuration.GatewaySettings>().Clock));
        services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<Storage.GatewayDatabase>(), sp.GetRequiredService<Configuration.GatewaySettings>().Clock));
        services.AddSingleton<TransactionSearch>();
        services.AddSingleton(sp => new FleetQuery(sp.GetRequiredService<Storage.GatewayDatabase>(), sp.GetRequiredService<Storage.FleetStore>(),
            sp.GetRequiredService<Configuration.GatewaySettings>().Clock));
        services.AddSingleton(sp => new OverviewQuery(sp.GetRequiredService<Storage.GatewayDatabase>(), new Storage.EndOfDayStore(sp.GetRequiredService<Storage.GatewayDatabase>()),
            sp.GetRequiredService<EndOfDay.EndOfDayQueries>().Calendar, sp.GetRequiredService<FleetQuery>(), sp.GetRequiredService<Configuration.GatewaySettings>().Clock));
        services.AddSingleton<TransactionTimeline>();
        services.AddSingleton<OfficeRefunds>();
    }

    /// <summary>
    /// Adds the console's middleware and routes (after the listener split). Its cookie authentication and authorization
    /// run only for requests under /console: device requests never carry a console session, and running them there cost
    /// every relayed call allocations for nothing. The two properties tell the host that authentication and
    /// authorization are placed already, which stops it from adding them to the whole pipeline.
    /// </summary>
    public static void Map(WebApplication app)
    {
        app.Use(SecurityHeaders.Apply);
        ((IApplicationBuilder)app).Properties[AuthenticationSetKey] = true;
        ((IApplicationBuilder)app).Properties[AuthorizationSetKey] = true;
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ConsolePaths.Root), console =>
        {
            console.UseAuthentication();
            console.UseAuthorization();
            console.Use(ReportUpload.Apply);
        });
        app.MapRazorPages();
        string css = Stylesheet.Text;
        app.MapGet(ConsolePaths.Stylesheet, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(css, "text/css; charset=utf-8");
        }).AllowAnonymous();
    }
}
