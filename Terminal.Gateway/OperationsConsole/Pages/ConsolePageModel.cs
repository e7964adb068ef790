using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>What every console page knows: who is signed in, with which role, and how to write the audit.</summary>
public abstract class ConsolePageModel : PageModel
{
    public string UserName => User.Identity?.Name ?? "";

    public string? Role => User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;

    public bool MayRefund => ConsoleRoles.MayRefund(Role);

    public bool MayManageFleet => ConsoleRoles.MayManageFleet(Role);

    /// <summary>Writes one audit entry in the signed-in user's name, with the client's address.</summary>
    protected Task AuditAsync(string action, string? subject, string? detail) =>
        HttpContext.RequestServices.GetRequiredService<AuditLog>().WriteAsync(UserName, action, subject, detail, HttpContext.Connection.RemoteIpAddress?.ToString());

    protected long NowMs => HttpContext.RequestServices.GetRequiredService<Configuration.GatewaySettings>().Clock.GetUtcNow().ToUnixTimeMilliseconds();
}
