using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>A refund's own status, refreshed (a meta refresh, no script) until it is final.</summary>
public sealed class RefundStatusModel(GatewayStore store) : ConsolePageModel
{
    public RefundRecord? Refund { get; private set; }
    public string? PaymentRequestId { get; private set; }
    public bool Final => Refund != null && Refund.Status is not (PaymentStatuses.Pending or PaymentStatuses.Processing);

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (id.Length > 64) return NotFound();
        Refund = await store.FindRefundAsync(id, null, HttpContext.RequestAborted);
        if (Refund == null) return NotFound();
        PaymentRequestId = (await store.FindPaymentAsync(null, Refund.PaymentId, HttpContext.RequestAborted))?.PaymentRequestId;
        return Page();
    }
}
