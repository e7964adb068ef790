using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Hosting;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>Sign-out: a POST with the anti-forgery token (a link could sign a user out from another site).</summary>
public sealed class LogoutModel : ConsolePageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Root);

    public async Task<IActionResult> OnPostAsync()
    {
        await AuditAsync(AuditLog.Logout, null, null);
        await HttpContext.SignOutAsync(ConsoleAuthentication.Scheme);
        return Redirect(ConsolePaths.Login);
    }
}
