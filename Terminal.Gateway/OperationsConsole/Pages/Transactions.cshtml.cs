using System.Globalization;
using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.OperationsConsole.Rendering;
using Terminal.Gateway.PaymentState;

namespace Terminal.Gateway.OperationsConsole.Pages;

/// <summary>The search form's fields as typed (shown back in the form and carried into the paging links).</summary>
public sealed record TransactionQuery(string? From, string? To, string? Store, string? Device, string? Status, string? Amount, string? Reference,
    string? PaymentRequestId, string? PaymentId);

/// <summary>The Transactions page: a search over payments by any of its fields, newest first, 50 a page (keyset paging).</summary>
public sealed class TransactionsModel(TransactionSearch search) : ConsolePageModel
{
    public static readonly string[] Statuses = [PaymentStatuses.Success, PaymentStatuses.Pending, PaymentStatuses.Processing, PaymentStatuses.Fail, PaymentStatuses.Cancelled];

    public TransactionQuery Query { get; private set; } = new(null, null, null, null, null, null, null, null, null);
    public TransactionPage? Result { get; private set; }
    public string? Cursor { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(string? from, string? to, string? store, string? device, string? status, string? amount, string? reference,
        string? paymentRequestId, string? paymentId, string? cursor)
    {
        Query = new TransactionQuery(Clip(from), Clip(to), Clip(store), Clip(device), Statuses.Contains(status) ? status : null, Clip(amount), Clip(reference),
            Clip(paymentRequestId), Clip(paymentId));
        Cursor = TransactionSearch.TryParseCursor(cursor, out _, out _) ? cursor : null;
        long? fromMs = ConsoleFormat.ParseTime(Query.From), toMs = ConsoleFormat.ParseTime(Query.To);
        long? amountMinor = null;
        if (Query.From != null && fromMs == null) Problem = "From: a date and time (UTC)";
        if (Query.To != null && toMs == null) Problem = "To: a date and time (UTC)";
        if (Query.Amount != null)
        {
            if (long.TryParse(Query.Amount, NumberStyles.None, CultureInfo.InvariantCulture, out long a)) amountMinor = a;
            else Problem = "Amount: a whole number of minor units (1234 for 12.34)";
        }
        var filter = new TransactionFilter(fromMs, toMs, Query.Store, Query.Device, Query.Status, amountMinor, Query.Reference, Query.PaymentRequestId, Query.PaymentId);
        Result = Problem != null ? new TransactionPage([], null) : await search.SearchAsync(filter, Cursor, HttpContext.RequestAborted);
    }

    /// <summary>This search from <paramref name="cursor"/> (null: the newest page), every value URL-encoded.</summary>
    public string Link(string? cursor) => "/console/transactions" + QueryString.Create(new Dictionary<string, string?>
    {
        ["from"] = Query.From, ["to"] = Query.To, ["store"] = Query.Store, ["device"] = Query.Device, ["status"] = Query.Status, ["amount"] = Query.Amount,
        ["reference"] = Query.Reference, ["paymentRequestId"] = Query.PaymentRequestId, ["paymentId"] = Query.PaymentId, ["cursor"] = cursor,
    }.Where(p => p.Value != null));

    private static string? Clip(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().Length <= 64 ? s.Trim() : s.Trim()[..64];
}
