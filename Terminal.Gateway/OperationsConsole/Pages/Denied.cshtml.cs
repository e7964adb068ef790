using Terminal.Gateway.OperationsConsole.Audit;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>Where the cookie handler sends a signed-in user whose role does not allow a page or form: 403, audited.</summary>
public sealed class DeniedModel : ConsolePageModel
{
    public async Task OnGetAsync(string? returnUrl)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await AuditAsync(AuditLog.AccessDenied, returnUrl is { Length: <= 128 } ? returnUrl : returnUrl?[..128], null);
    }
}
