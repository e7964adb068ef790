using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.Devices;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>Revoke a terminal or rotate its key, after the user types the terminal's id (operators and technicians; audited).</summary>
[Authorize(Policy = ConsoleRoles.CanManageFleet)]
public sealed class DeviceKeyModel(DeviceRegistry registry) : ConsolePageModel
{
    public string Id { get; private set; } = "";
    public string Action { get; private set; } = "rotate";
    public string? Problem { get; private set; }
    public string? Done { get; private set; }
    public string? NewKey { get; private set; }
    public int NewKeyVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, string? action) => await SelectAsync(id, action) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string id, string? action, string? confirm)
    {
        if (!await SelectAsync(id, action)) return NotFound();
        if (confirm?.Trim() != id)
        {
            Problem = "The id typed does not match: nothing was changed.";
            return Page();
        }
        if (Action == "revoke")
        {
            var device = await registry.RevokeAsync(id);
            if (device == null) return NotFound();
            await AuditAsync(AuditLog.Revoke, id, null);
            Done = $"Terminal {id} is revoked.";
            return Page();
        }
        try
        {
            var credentials = await registry.RotateKeyAsync(id);
            if (credentials == null) return NotFound();
            await AuditAsync(AuditLog.RotateKey, id, $"key version {credentials.KeyVersion}");
            NewKey = credentials.Key;
            NewKeyVersion = credentials.KeyVersion;
        }
        catch (DeviceRevokedException)
        {
            Problem = "The terminal is revoked: it gets no new key.";
        }
        return Page();
    }

    private async Task<bool> SelectAsync(string id, string? action)
    {
        if (!DeviceValidation.IsDeviceId(id) || action is not ("revoke" or "rotate")) return false;
        Id = id;
        Action = action;
        return await registry.FindAsync(id) is { IsActive: true };
    }
}
