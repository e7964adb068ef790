using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Hosting;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>
/// Sign-in. Every attempt is audited (a failed one under the name tried); the answer never says whether the name
/// exists, only whether the account is locked, and for how long.
/// </summary>
public sealed class LoginModel(ConsoleUsers users, AuditLog audit) : ConsolePageModel
{
    public string? Message { get; private set; }
    public string? Username { get; private set; }
    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? username, string? password, string? returnUrl)
    {
        Username = username;
        ReturnUrl = returnUrl;
        string name = (username ?? "").Trim();
        string? address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var result = await users.LoginAsync(name, password ?? "");
        switch (result.Outcome)
        {
            case LoginOutcome.Success:
                await audit.WriteAsync(result.User!.Username, AuditLog.Login, null, null, address);
                await HttpContext.SignInAsync(ConsoleAuthentication.Scheme, ConsoleAuthentication.Principal(result.User));
                return LocalRedirect(returnUrl != null && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith(ConsolePaths.Root, StringComparison.Ordinal) ? returnUrl : ConsolePaths.Root);
            case LoginOutcome.LockedOut:
                await audit.WriteAsync(name, AuditLog.LoginLocked, null, "locked until " + Rendering.ConsoleFormat.Time(result.LockedUntil), address);
                Message = $"This account is locked after {ConsoleUsers.MaxFailedLogins} wrong passwords. Try again after {Rendering.ConsoleFormat.Time(result.LockedUntil)} UTC, or ask an operator to unlock it.";
                break;
            default:
                await audit.WriteAsync(name, AuditLog.LoginFailed, null, result.Outcome == LoginOutcome.Disabled ? "account disabled" : null, address);
                Message = "Wrong user name or password.";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
