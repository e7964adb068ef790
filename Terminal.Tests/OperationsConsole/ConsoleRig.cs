using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>
/// The whole chain of <see cref="EndToEndRig"/> (terminal engine, gateway, Antom emulator) with three console accounts,
/// one per role, and sign-in for a browser page. The console answers on the gateway's admin listener.
/// </summary>
internal sealed class ConsoleRig : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const string OperatorName = "olivia";
    public const string TechnicianName = "theo";
    public const string ViewerName = "vera";

    private ConsoleRig(EndToEndRig rig) => Rig = rig;

    public EndToEndRig Rig { get; }

    public Uri ConsoleUri => new(Rig.Gateway.AdminBaseUri, "/console");

    public string Url(string path) => new Uri(Rig.Gateway.AdminBaseUri, path).ToString();

    public ConsoleUsers Users => Rig.Gateway.Services.GetRequiredService<ConsoleUsers>();

    public static async Task<ConsoleRig> StartAsync(string provider = "sqlite", Action<Terminal.Gateway.Configuration.GatewayOptions>? configure = null)
    {
        var rig = await EndToEndRig.StartAsync(provider, configure);
        var console = new ConsoleRig(rig);
        await console.Users.AddAsync(OperatorName, ConsoleRoles.Operator, Password);
        await console.Users.AddAsync(TechnicianName, ConsoleRoles.Technician, Password);
        await console.Users.AddAsync(ViewerName, ConsoleRoles.Viewer, Password);
        return console;
    }

    /// <summary>Signs in on the login form as a person would and waits for the page that follows.</summary>
    public async Task<IResponse> SignInAsync(IPage page, string user, string password = Password)
    {
        await page.GotoAsync(Url("/console/login"));
        await page.FillAsync("input[name=username]", user);
        await page.FillAsync("input[name=password]", password);
        return await SubmitAsync(page, "button[type=submit]");
    }

    /// <summary>Clicks <paramref name="selector"/> and waits for the page the navigation ends on (after any redirect).</summary>
    public static async Task<IResponse> SubmitAsync(IPage page, string selector)
    {
        var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync(selector),
            r => r.Request.IsNavigationRequest && r.Request.Frame == page.MainFrame && r.Status is < 300 or >= 400);
        try
        {
            await page.WaitForLoadStateAsync(LoadState.Load);
        }
        catch (TimeoutException)
        {
            // Seen once in CI on a loaded machine: Playwright missed a load event that fired while it subscribed ("NetworkIdle"
            // had fired). Fifteen seconds after the answer the new document has long been committed: its own state decides.
            Assert.Equal((response.Url, "complete"), (page.Url, await page.EvaluateAsync<string>("document.readyState")));
        }

        return response;
    }

    public async Task<IResponse?> GoAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(Url(path));
        return response;
    }

    public ValueTask DisposeAsync() => Rig.DisposeAsync();
}
