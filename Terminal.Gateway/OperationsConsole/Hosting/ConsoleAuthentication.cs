using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.OperationsConsole.Accounts;

namespace Terminal.Gateway.OperationsConsole.Hosting;

/// <summary>
/// The console's session: an encrypted, HttpOnly, SameSite=Strict cookie naming the account, its role and its stamp.
/// Every request checks the stamp against the account (one primary-key read), so a password change, a role change or
/// a disabled account ends the account's open sessions at once. Sessions last 8 hours, renewed while used.
/// </summary>
public static class ConsoleAuthentication
{
    public const string Scheme = "console";
    public const string StampClaim = "console-stamp";
    public const string CookieName = "terminal-console";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.Path = ConsolePaths.Root;
            o.LoginPath = ConsolePaths.Login;
            o.LogoutPath = ConsolePaths.Logout;
            o.AccessDeniedPath = ConsolePaths.Denied;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        services.AddAuthorization(o =>
        {
            o.AddPolicy(ConsoleRoles.CanRefund, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ConsoleRoles.Operator));
            o.AddPolicy(ConsoleRoles.CanManageFleet, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ConsoleRoles.Operator, ConsoleRoles.Technician));
        });
    }

    public static ClaimsPrincipal Principal(ConsoleUser user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.Name, user.Username),
        new Claim(ClaimTypes.Role, user.Role),
        new Claim(StampClaim, user.Stamp),
    ], Scheme));

    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        string? name = context.Principal?.Identity?.Name;
        string? stamp = context.Principal?.FindFirst(StampClaim)?.Value;
        var user = name == null ? null : await context.HttpContext.RequestServices.GetRequiredService<ConsoleUsers>().FindAsync(name).ConfigureAwait(false);
        if (user == null || user.Disabled || user.Stamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
        }
    }
}
