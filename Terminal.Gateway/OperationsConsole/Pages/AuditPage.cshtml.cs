using Microsoft.AspNetCore.Authorization;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>The console's audit trail, newest first, 100 a page (operators and technicians).</summary>
[Authorize(Policy = ConsoleRoles.CanManageFleet)]
public sealed class AuditPageModel(AuditLog audit) : ConsolePageModel
{
    public const int PageSize = 100;

    public List<AuditEntry> Entries { get; private set; } = [];
    public string? UserFilter { get; private set; }
    public string? Subject { get; private set; }
    public long? Next { get; private set; }

    public async Task OnGetAsync(string? user, string? subject, long? before)
    {
        UserFilter = string.IsNullOrWhiteSpace(user) ? null : user.Trim().ToLowerInvariant();
        Subject = string.IsNullOrWhiteSpace(subject) ? null : subject.Trim();
        Entries = await audit.ListAsync(before, PageSize + 1, UserFilter, Subject, HttpContext.RequestAborted);
        if (Entries.Count > PageSize)
        {
            Entries.RemoveAt(PageSize);
            Next = Entries[^1].Id;
        }
    }

    public string Link(long? before) => "/console/audit" + QueryString.Create(new Dictionary<string, string?>
    {
        ["user"] = UserFilter, ["subject"] = Subject, ["before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => p.Value != null));
}
