using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Terminal.Gateway.AntomRelay;
using Terminal.Gateway.Api;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>
/// One item of the resolution queue with its whole history (<see cref="ResolutionQueries.HistoryAsync"/>: the job's
/// decisions and operators' actions, the resolver's calls to Antom, the device requests), and the two things a person
/// does about an exception (docs/resolution-queue.md, runbook): <b>retry now</b> (operator, technician: back into the
/// queue and worked on at once) and <b>close with a note</b> (operator: the outcome found in Antom's portal goes to the
/// terminal). Both go through <see cref="ResolutionQueue"/> exactly as the admin API's, with the same checks of the
/// note, recorded as the item's events in the signed-in user's name and in the console audit.
/// </summary>
public sealed class ExceptionItemModel(ResolutionQueries queries, ResolutionQueue queue, GatewayStore store) : ConsolePageModel
{
    public ResolutionHistory? History { get; private set; }

    /// <summary>The payment the item is about (its own, or the refunded one), when the gateway has it: for the links.</summary>
    public string? PaymentRequestId { get; private set; }

    public bool RefundKnown { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }
    public string Note { get; private set; } = "";
    public string? CloseStatus { get; private set; }

    public bool MayRetry => ConsoleRoles.MayRetryResolution(Role);

    public bool MayClose => ConsoleRoles.MayCloseResolution(Role);

    public async Task<IActionResult> OnGetAsync(string id, string? done)
    {
        if (!await LoadAsync(id)) return NotFound();
        var item = History!.Item;
        Message = done switch
        {
            "retry" => item.State switch
            {
                ResolutionStates.Resolved => $"Retried: resolved as {item.Status} {item.ResultCode}; the terminal gets it at its next heartbeat.",
                ResolutionStates.Open => "Retried: back in the queue; the job asks again at its next pass.",
                _ => "Retried, but the job left it an exception again: see the newest events.",
            },
            "close" when item.State == ResolutionStates.Closed => $"Closed as {item.Status}; the terminal gets {item.Status} OPERATOR_CLOSED at its next heartbeat.",
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(string id, string? note)
    {
        if (!MayRetry) return Forbid();
        if (!await LoadAsync(id)) return NotFound();
        Note = note ?? "";
        if (Action(note, null) is not { } action) return Page();
        var result = await queue.RetryAsync(id, action.By, action.Note, HttpContext.RequestAborted);
        return await AnswerAsync(result, AuditLog.ResolutionRetry, "retry", $"retried, note: {action.Note}", "Only an exception can be retried");
    }

    public async Task<IActionResult> OnPostCloseAsync(string id, string? status, string? note)
    {
        if (!MayClose) return Forbid();
        if (!await LoadAsync(id)) return NotFound();
        Note = note ?? "";
        CloseStatus = status;
        if (Action(note, status ?? "") is not { } action) return Page();
        var result = await queue.CloseAsync(id, action.By, action.Note, action.Status!, HttpContext.RequestAborted);
        return await AnswerAsync(result, AuditLog.ResolutionClose, "close", $"closed as {action.Status}, note: {action.Note}", "Only an open item or an exception can be closed");
    }

    /// <summary>The note (and status) checked as the admin API and the CLI check them; null with <see cref="Problem"/> set when refused.</summary>
    private ResolutionAdminApi.ActionBody? Action(string? note, string? status)
    {
        var body = new JsonObject { ["by"] = UserName, ["note"] = note?.Trim() ?? "" };
        if (status != null) body["status"] = status;
        try
        {
            return ResolutionAdminApi.ParseAction(body, needStatus: status != null);
        }
        catch (ArgumentException e)
        {
            Problem = e.Message.StartsWith("note:", StringComparison.Ordinal) ? "Note: 1 to 500 characters saying why (no line breaks)."
                : e.Message.StartsWith("status:", StringComparison.Ordinal) ? "Status: choose the outcome you established: SUCCESS, FAILED or CANCELLED."
                : e.Message;
            return null;
        }
    }

    private async Task<IActionResult> AnswerAsync(OperatorResult result, string auditAction, string done, string detail, string conflict)
    {
        if (result.Item == null) return NotFound();
        var item = result.Item;
        if (!result.Applied)
        {
            Problem = $"{conflict}; this one is {item.State} now. Nothing was changed.";
            await LoadAsync(item.Id);
            return Page();
        }
        await AuditAsync(auditAction, item.RequestId, $"item {item.Id} ({item.Kind} of {item.DeviceId}): {detail}; now {item.State}");
        return Redirect($"/console/exceptions/{item.Id}?done={done}");
    }

    private async Task<bool> LoadAsync(string id)
    {
        if (!ResolutionAdminApi.IsItemId(id)) return false;
        History = await queries.HistoryAsync(id, HttpContext.RequestAborted);
        if (History == null) return false;
        var item = History.Item;
        if (item.Kind == ResolutionQueue.Refund)
        {
            var refund = await store.FindRefundAsync(item.RequestId, null, HttpContext.RequestAborted);
            RefundKnown = refund != null;
            if (refund != null) PaymentRequestId = (await store.FindPaymentAsync(null, refund.PaymentId, HttpContext.RequestAborted))?.PaymentRequestId;
        }
        else if (await store.FindPaymentAsync(item.RequestId, null, HttpContext.RequestAborted) != null)
        {
            PaymentRequestId = item.RequestId;
        }
        return true;
    }

    /// <summary>A message as it may be shown: payment codes masked to their last four characters, as on a payment's timeline.</summary>
    public static string Masked(string body) => PaymentCodes.ForStorage(Encoding.UTF8.GetBytes(body), body);
}
