using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.OperationsConsole.Refunds;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>One payment with its refunds and the whole recorded timeline.</summary>
public sealed class TransactionModel(TransactionTimeline timeline, OfficeRefunds refunds) : ConsolePageModel
{
    public TransactionDetail? Detail { get; private set; }
    public long Refundable { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (id.Length > 64) return NotFound();
        Detail = await timeline.FindAsync(id, HttpContext.RequestAborted);
        if (Detail == null) return NotFound();
        Refundable = (await refunds.RefundableAsync(id, HttpContext.RequestAborted)).Refundable;
        return Page();
    }
}
