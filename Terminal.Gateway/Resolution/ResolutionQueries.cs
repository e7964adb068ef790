using System.Text.Json.Nodes;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;

namespace Terminal.Gateway.Resolution;

/// <summary>Which items to list: each filter optional; a page of <see cref="Limit"/> from <see cref="Offset"/>, newest change first.</summary>
public sealed record ResolutionFilter(string? State = null, string? DeviceId = null, string? Kind = null, int Limit = 50, int Offset = 0)
{
    public const int MaxLimit = 500;

    /// <summary>Null when the filter is usable, else what is wrong with it (for a 400 or a usage error).</summary>
    public string? Problem() =>
        State != null && !ResolutionStates.All.Contains(State) ? "state: open, resolved, exception or closed"
        : Kind != null && Kind is not (ResolutionQueue.Sale or ResolutionQueue.Void or ResolutionQueue.Refund) ? "kind: sale, void or refund"
        : Limit is < 1 or > MaxLimit ? $"limit: 1..{MaxLimit}"
        : Offset < 0 ? "offset: 0 or more"
        : null;
}

/// <summary>One page of items, how many match the filter, and how many items are in each state (for a page's tabs).</summary>
public sealed record ResolutionPage(IReadOnlyList<ResolutionItem> Items, long Total, IReadOnlyDictionary<string, long> Counts);

/// <summary>Everything known about one item: its events (the job's decisions, operators' actions), the resolver's calls to
/// Antom about its transaction (and about the gateway's own refund of it), and the device requests about it.</summary>
public sealed record ResolutionHistory(ResolutionItem Item, IReadOnlyList<ResolutionEvent> Events, IReadOnlyList<ResolutionStepRecord> Steps,
    IReadOnlyList<TransactionRecord> Transactions);

/// <summary>
/// The read side of the resolution queue, for the admin API, the CLI and a console page: the exception list (or any
/// state) page by page, and one item's full history. The JSON forms (<see cref="ItemJson"/>, <see cref="PageJson"/>,
/// <see cref="HistoryJson"/>) are the admin API's, so every front end shows the same fields.
/// </summary>
public sealed class ResolutionQueries(GatewayStore store)
{
    public async Task<ResolutionPage> ListAsync(ResolutionFilter filter, CancellationToken ct = default)
    {
        if (filter.Problem() is { } problem) throw new ArgumentException(problem);
        var (items, total) = await store.ListItemsAsync(filter.State, filter.DeviceId, filter.Kind, filter.Limit, filter.Offset, ct).ConfigureAwait(false);
        var counts = await store.CountItemsAsync(ct).ConfigureAwait(false);
        return new ResolutionPage(items, total, counts);
    }

    /// <summary>Null for an unknown item.</summary>
    public async Task<ResolutionHistory?> HistoryAsync(string itemId, CancellationToken ct = default)
    {
        var item = await store.FindItemAsync(itemId, ct).ConfigureAwait(false);
        if (item == null) return null;
        var events = await store.EventsOfAsync(itemId, ct).ConfigureAwait(false);
        var subject = item.Kind == ResolutionQueue.Refund ? StateSubject.Refund : StateSubject.Payment;
        var steps = (await store.StepsOfAsync(subject, item.RequestId, ct).ConfigureAwait(false)).ToList();
        if (subject == StateSubject.Payment)
            steps.AddRange(await store.StepsOfAsync(StateSubject.Refund, ResolutionQueue.GatewayRefundId(item.RequestId), ct).ConfigureAwait(false));
        var transactions = await store.TransactionsAboutAsync(item.RequestId, ct).ConfigureAwait(false);
        return new ResolutionHistory(item, events, steps.OrderBy(s => s.StartedAt).ToList(), transactions);
    }

    public static JsonObject ItemJson(ResolutionItem i) => new()
    {
        ["id"] = i.Id, ["deviceId"] = i.DeviceId, ["kind"] = i.Kind, ["requestId"] = i.RequestId, ["state"] = i.State,
        ["enteredAt"] = i.EnteredAt, ["enteredWhy"] = i.EnteredWhy, ["abandoned"] = i.Abandoned, ["attempts"] = i.Attempts,
        ["dueAt"] = i.State == ResolutionStates.Open ? i.DueAt : null, ["giveUpAt"] = i.GiveUpAt,
        ["status"] = i.Status, ["resultCode"] = i.ResultCode, ["exception"] = i.Exception, ["detail"] = i.Detail, ["updatedAt"] = i.UpdatedAt,
        ["closedBy"] = i.ClosedBy, ["closedAt"] = i.ClosedAt, ["closeNote"] = i.CloseNote,
    };

    public static JsonObject PageJson(ResolutionPage page)
    {
        var items = new JsonArray();
        foreach (var i in page.Items) items.Add(ItemJson(i));
        var counts = new JsonObject();
        foreach (string state in ResolutionStates.All) counts[state] = page.Counts.GetValueOrDefault(state);
        return new JsonObject { ["total"] = page.Total, ["counts"] = counts, ["items"] = items };
    }

    public static JsonObject HistoryJson(ResolutionHistory h)
    {
        var events = new JsonArray();
        foreach (var e in h.Events)
            events.Add(new JsonObject { ["at"] = e.At, ["actor"] = e.Actor, ["event"] = e.Event, ["detail"] = e.Detail, ["stepId"] = e.StepId });
        var steps = new JsonArray();
        foreach (var s in h.Steps)
        {
            steps.Add(new JsonObject
            {
                ["id"] = s.Id, ["startedAt"] = s.StartedAt, ["completedAt"] = s.CompletedAt, ["operation"] = s.Operation, ["reason"] = s.Reason,
                ["requestId"] = s.RequestId, ["requestBody"] = s.RequestBody, ["outcome"] = s.UpstreamOutcome, ["resultStatus"] = s.ResultStatus,
                ["resultCode"] = s.ResultCode, ["learntStatus"] = s.LearntStatus, ["learntAntomId"] = s.LearntAntomId, ["instance"] = s.Instance,
            });
        }
        var transactions = new JsonArray();
        foreach (var t in h.Transactions)
        {
            transactions.Add(new JsonObject
            {
                ["id"] = t.Id, ["operation"] = t.Operation, ["receivedAt"] = t.ReceivedAt, ["outcome"] = t.UpstreamOutcome, ["resultStatus"] = t.ResultStatus,
                ["resultCode"] = t.ResultCode, ["detail"] = t.UpstreamDetail, ["instance"] = t.Instance,
            });
        }
        var json = ItemJson(h.Item);
        json["events"] = events;
        json["steps"] = steps;
        json["transactions"] = transactions;
        return json;
    }
}
