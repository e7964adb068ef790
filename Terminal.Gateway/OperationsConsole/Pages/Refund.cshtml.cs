using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Refunds;
using Terminal.Gateway.OperationsConsole.Rendering;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>
/// A refund from the office, full or partial, with a reason (operators only; any other role is sent to the Denied page,
/// audited). Sent through the relay by <see cref="OfficeRefunds"/>; then the refund's own page follows it to a final status.
/// </summary>
[Authorize(Policy = ConsoleRoles.CanRefund)]
public sealed class RefundModel(OfficeRefunds refunds) : ConsolePageModel
{
    public PaymentRecord? Payment { get; private set; }
    public long Refundable { get; private set; }
    public string RefundRequestId { get; private set; } = "";
    public string? Amount { get; private set; }
    public string? Reason { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id)) return NotFound();
        RefundRequestId = OfficeRefunds.NewRefundRequestId();
        Amount = ConsoleFormat.Major(Payment!.Currency, Refundable);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, string? refundRequestId, string? amount, string? reason, string? confirm)
    {
        if (!await LoadAsync(id)) return NotFound();
        RefundRequestId = OfficeRefunds.IsOfficeRefundRequestId(refundRequestId) ? refundRequestId! : OfficeRefunds.NewRefundRequestId();
        Amount = amount;
        Reason = reason;
        if (confirm != "yes") Problem = "Tick the confirmation to refund.";
        else if (!ConsoleFormat.TryParseAmount(amount, Payment!.Currency, out long minor)) Problem = $"Amount: a positive amount in {Payment.Currency}, e.g. {ConsoleFormat.Major(Payment.Currency, Refundable)}";
        else
        {
            var result = await refunds.RefundAsync(new OfficeRefundRequest(id, RefundRequestId, minor, reason ?? ""), HttpContext.RequestAborted);
            if (result.Error != null)
            {
                Problem = result.Error;
                await AuditAsync(AuditLog.RefundRefused, id, $"{ConsoleFormat.Money(Payment.Currency, minor)}: {result.Error}");
            }
            else
            {
                await AuditAsync(AuditLog.Refund, id, $"{RefundRequestId} {ConsoleFormat.Money(Payment.Currency, minor)} reason: {reason?.Trim()}; " +
                    $"Antom answered {result.ResultStatus} {result.ResultCode}, refund {result.Refund?.Status}");
                return Redirect("/console/refunds/" + Uri.EscapeDataString(RefundRequestId));
            }
        }
        return Page();
    }

    private async Task<bool> LoadAsync(string id)
    {
        if (id.Length > 64) return false;
        (Payment, Refundable) = await refunds.RefundableAsync(id, HttpContext.RequestAborted);
        return Payment != null;
    }
}
