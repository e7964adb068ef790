using System.Data.Common;

namespace Terminal.Gateway.Storage;

/// <summary>The resolution queue (tables resolution_items and resolution_events; docs/resolution-queue.md).</summary>
public sealed partial class GatewayStore
{
    /// <summary>
    /// Puts a transaction into the queue unless it is there already (one item per device, kind and id); returns the item.
    /// An item that is there is marked abandoned when <paramref name="item"/> is (the terminal has given the transaction
    /// up since): an item already resolved as paid is opened again, so that Antom's rule for abandoned payments applies.
    /// </summary>
    public async Task<ResolutionItem> EnterResolutionAsync(NewResolutionItem item, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var inserted = await Sql.QueryAsync(connection, tx,
            "INSERT INTO resolution_items (id, device_id, kind, request_id, entered_at, entered_why, abandoned, state, due_at, owner, attempts, give_up_at, updated_at) " +
            "VALUES (@id, @d, @k, @rid, @now, @why, @ab, @open, @due, NULL, 0, @giveup, @now) ON CONFLICT (device_id, kind, request_id) DO NOTHING RETURNING id",
            r => r.GetString(0),
            ("id", item.Id), ("d", item.DeviceId), ("k", item.Kind), ("rid", item.RequestId), ("now", item.At), ("why", item.Why), ("ab", item.Abandoned ? 1L : 0L),
            ("open", ResolutionStates.Open), ("due", item.DueAt), ("giveup", item.GiveUpAt)).ConfigureAwait(false);
        if (inserted.Count == 1)
        {
            await AddEventAsync(connection, tx, item.Id, item.At, item.Actor, "entered", item.Detail, null, ct).ConfigureAwait(false);
        }
        else if (item.Abandoned)
        {
            // Reopened only from resolved-as-paid: nobody holds a resolved item, so moving its due_at takes no lease away.
            var marked = await Sql.QueryAsync(connection, tx,
                "UPDATE resolution_items SET abandoned = 1, " +
                "state = CASE WHEN state = @resolved AND status = 'SUCCESS' THEN @open ELSE state END, " +
                "due_at = CASE WHEN state = @resolved AND status = 'SUCCESS' THEN @now ELSE due_at END, " +
                "give_up_at = CASE WHEN state = @resolved AND status = 'SUCCESS' THEN @giveup ELSE give_up_at END, " +
                "status = CASE WHEN state = @resolved AND status = 'SUCCESS' THEN NULL ELSE status END, " +
                "result_code = CASE WHEN state = @resolved AND status = 'SUCCESS' THEN NULL ELSE result_code END, updated_at = @now " +
                "WHERE device_id = @d AND kind = @k AND request_id = @rid AND abandoned = 0 RETURNING id",
                r => r.GetString(0),
                ("resolved", ResolutionStates.Resolved), ("open", ResolutionStates.Open), ("now", item.At), ("giveup", item.GiveUpAt),
                ("d", item.DeviceId), ("k", item.Kind), ("rid", item.RequestId)).ConfigureAwait(false);
            if (marked.Count == 1)
                await AddEventAsync(connection, tx, marked[0], item.At, item.Actor, "abandoned", item.Detail, null, ct).ConfigureAwait(false);
        }
        var row = await Sql.QuerySingleAsync(connection, tx, ItemSelect + " WHERE device_id = @d AND kind = @k AND request_id = @rid", ReadItem,
            ("d", item.DeviceId), ("k", item.Kind), ("rid", item.RequestId)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return row!;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> open items whose time has come (or the one item <paramref name="onlyId"/>)
    /// for <paramref name="owner"/>: due_at moves to <paramref name="leaseUntilMs"/>, the lease no other instance takes
    /// before it ends (PostgreSQL skips rows another claim holds; SQLite serializes writers). An item with a device
    /// request about its transaction still pending is left alone (the live request or the stale-request pass settles it).
    /// </summary>
    public async Task<IReadOnlyList<ResolutionItem>> ClaimDueItemsAsync(string owner, long nowMs, long leaseUntilMs, int limit, string? onlyId = null,
        CancellationToken ct = default)
    {
        string sql =
            "UPDATE resolution_items SET due_at = @lease, owner = @owner, attempts = attempts + 1 WHERE id IN (" +
            "SELECT id FROM resolution_items i WHERE state = @open AND due_at <= @now" + (onlyId == null ? "" : " AND id = @only") + " " +
            "AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.upstream_outcome = '" + UpstreamOutcomes.Pending + "' " +
            "AND (t.payment_request_id = i.request_id OR t.refund_request_id = i.request_id)) " +
            "ORDER BY due_at LIMIT @n" + database.SkipLocked + ") RETURNING " + ItemColumns;
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, tx, sql, ReadItem,
            ("lease", leaseUntilMs), ("owner", owner), ("open", ResolutionStates.Open), ("now", nowMs), ("only", onlyId), ("n", (long)limit)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// What a pass of the job came to for an item it holds: still open until <see cref="ItemOutcome.DueAt"/>, resolved
    /// with a status for the terminal, or an exception; with one event. False (nothing written) when the item is no longer
    /// this owner's open item (an operator closed it meanwhile, or its lease ran out and another instance took it).
    /// </summary>
    public async Task<bool> FinishItemAsync(string itemId, string owner, ItemOutcome outcome, string actor, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, tx,
            "UPDATE resolution_items SET state = @state, due_at = @due, status = @st, result_code = @rc, exception = @ex, detail = @detail, updated_at = @now " +
            "WHERE id = @id AND owner = @owner AND state = @open",
            ("state", outcome.State), ("due", outcome.DueAt), ("st", outcome.Status), ("rc", outcome.ResultCode), ("ex", outcome.Exception), ("detail", outcome.Detail),
            ("now", nowMs), ("id", itemId), ("owner", owner), ("open", ResolutionStates.Open)).ConfigureAwait(false);
        if (n == 1) await AddEventAsync(connection, tx, itemId, nowMs, actor, outcome.State == ResolutionStates.Open ? "waiting" : outcome.State, outcome.Detail, outcome.StepId, ct)
            .ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return n == 1;
    }

    /// <summary>An operator's "try again": an exception goes back into the queue, due now, with a fresh give-up time.
    /// Null when there is no such item; the item unchanged when it was not an exception.</summary>
    public async Task<(ResolutionItem? Item, bool Changed)> ReopenItemAsync(string itemId, string by, string note, long nowMs, long giveUpAtMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, tx,
            "UPDATE resolution_items SET state = @open, due_at = @now, attempts = 0, give_up_at = @giveup, exception = NULL, updated_at = @now WHERE id = @id AND state = @exception",
            ("open", ResolutionStates.Open), ("now", nowMs), ("giveup", giveUpAtMs), ("id", itemId), ("exception", ResolutionStates.Exception)).ConfigureAwait(false);
        if (n == 1) await AddEventAsync(connection, tx, itemId, nowMs, by, "retry", note, null, ct).ConfigureAwait(false);
        var item = await Sql.QuerySingleAsync(connection, tx, ItemSelect + " WHERE id = @id", ReadItem, ("id", itemId)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (item, n == 1);
    }

    /// <summary>An operator closes an open item or an exception with the final status they established, a note and their
    /// name (result code OPERATOR_CLOSED). Null when there is no such item; the item unchanged when it was already final.</summary>
    public async Task<(ResolutionItem? Item, bool Changed)> CloseItemAsync(string itemId, string by, string note, string status, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await GatewayDatabase.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        int n = await Sql.ExecAsync(connection, tx,
            "UPDATE resolution_items SET state = @closed, due_at = NULL, status = @st, result_code = 'OPERATOR_CLOSED', closed_by = @by, closed_at = @now, close_note = @note, " +
            "updated_at = @now WHERE id = @id AND state IN (@open, @exception)",
            ("closed", ResolutionStates.Closed), ("st", status), ("by", by), ("now", nowMs), ("note", note), ("id", itemId), ("open", ResolutionStates.Open),
            ("exception", ResolutionStates.Exception)).ConfigureAwait(false);
        if (n == 1) await AddEventAsync(connection, tx, itemId, nowMs, by, "closed", $"{status}: {note}", null, ct).ConfigureAwait(false);
        var item = await Sql.QuerySingleAsync(connection, tx, ItemSelect + " WHERE id = @id", ReadItem, ("id", itemId)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (item, n == 1);
    }

    public async Task<ResolutionItem?> FindItemAsync(string itemId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QuerySingleAsync(connection, null, ItemSelect + " WHERE id = @id", ReadItem, ("id", itemId)).ConfigureAwait(false);
    }

    /// <summary>One page of items, newest change first, filtered by state, device and kind (each optional); and how many match.</summary>
    public async Task<(IReadOnlyList<ResolutionItem> Items, long Total)> ListItemsAsync(string? state, string? deviceId, string? kind, int limit, int offset,
        CancellationToken ct = default)
    {
        string where = " WHERE (CAST(@state AS TEXT) IS NULL OR state = @state) AND (CAST(@d AS TEXT) IS NULL OR device_id = @d) AND (CAST(@k AS TEXT) IS NULL OR kind = @k)";
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var items = await Sql.QueryAsync(connection, null, ItemSelect + where + " ORDER BY updated_at DESC, id LIMIT @n OFFSET @o", ReadItem,
            ("state", state), ("d", deviceId), ("k", kind), ("n", (long)limit), ("o", (long)offset)).ConfigureAwait(false);
        var total = await Sql.QueryAsync(connection, null, "SELECT COUNT(*) FROM resolution_items" + where, r => Sql.LongOr0(r, 0),
            ("state", state), ("d", deviceId), ("k", kind)).ConfigureAwait(false);
        return (items, total[0]);
    }

    /// <summary>How many items are in each state.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountItemsAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await Sql.QueryAsync(connection, null, "SELECT state, COUNT(*) FROM resolution_items GROUP BY state", r => (r.GetString(0), Sql.LongOr0(r, 1))).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
    }

    /// <summary>A device's items for the ids it named, whatever their kind.</summary>
    public async Task<IReadOnlyList<ResolutionItem>> ItemsOfDeviceAsync(string deviceId, IReadOnlyCollection<string> requestIds, CancellationToken ct = default)
    {
        if (requestIds.Count == 0) return [];
        var parameters = new List<(string, object?)> { ("d", deviceId) };
        var names = new List<string>();
        foreach (string id in requestIds)
        {
            names.Add("@r" + names.Count);
            parameters.Add(("r" + (names.Count - 1), id));
        }
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, ItemSelect + $" WHERE device_id = @d AND request_id IN ({string.Join(", ", names)})", ReadItem, parameters.ToArray())
            .ConfigureAwait(false);
    }

    /// <summary>An item's history, oldest first.</summary>
    public async Task<IReadOnlyList<ResolutionEvent>> EventsOfAsync(string itemId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.QueryAsync(connection, null, "SELECT id, item_id, at, actor, event, detail, step_id FROM resolution_events WHERE item_id = @id ORDER BY seq",
            r => new ResolutionEvent(r.GetString(0), r.GetString(1), Sql.LongOr0(r, 2), r.GetString(3), r.GetString(4), r.GetString(5), Sql.Text(r, 6)),
            ("id", itemId)).ConfigureAwait(false);
    }

    /// <summary>
    /// Steps left pending since before <paramref name="startedBeforeMs"/> (no step lasts that long: the answer came but
    /// could not be stored, or the instance died) are marked <see cref="UpstreamOutcomes.Unrecorded"/>; returns how many.
    /// </summary>
    public async Task<int> MarkUnrecordedStepsAsync(long startedBeforeMs, long nowMs, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Sql.ExecAsync(connection, null,
            "UPDATE resolution_steps SET upstream_outcome = @unrecorded, completed_at = @now WHERE upstream_outcome = @pending AND started_at < @cut",
            ("unrecorded", UpstreamOutcomes.Unrecorded), ("now", nowMs), ("pending", UpstreamOutcomes.Pending), ("cut", startedBeforeMs)).ConfigureAwait(false);
    }

    /// <summary>Adds an event as the item's next; callers have written the item's row first in the same transaction, which
    /// serializes the events of one item (PostgreSQL row lock, SQLite's single writer).</summary>
    private static async Task AddEventAsync(DbConnection connection, DbTransaction tx, string itemId, long at, string actor, string kind, string detail, string? stepId,
        CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await Sql.ExecAsync(connection, tx,
            "INSERT INTO resolution_events (id, item_id, seq, at, actor, event, detail, step_id) " +
            "SELECT CAST(@id AS TEXT), CAST(@item AS TEXT), COALESCE(MAX(seq), 0) + 1, CAST(@at AS BIGINT), CAST(@actor AS TEXT), CAST(@event AS TEXT), " +
            "CAST(@detail AS TEXT), CAST(@step AS TEXT) FROM resolution_events WHERE item_id = @item",
            ("id", Guid.NewGuid().ToString("N")), ("item", itemId), ("at", at), ("actor", actor), ("event", kind), ("detail", detail), ("step", stepId)).ConfigureAwait(false);
    }

    private const string ItemColumns =
        "id, device_id, kind, request_id, entered_at, entered_why, abandoned, state, due_at, owner, attempts, give_up_at, status, result_code, exception, detail, " +
        "updated_at, closed_by, closed_at, close_note";

    private const string ItemSelect = "SELECT " + ItemColumns + " FROM resolution_items";

    private static ResolutionItem ReadItem(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Sql.LongOr0(r, 4), r.GetString(5), Sql.LongOr0(r, 6) != 0, r.GetString(7), Sql.Long(r, 8),
        Sql.Text(r, 9), (int)Sql.LongOr0(r, 10), Sql.LongOr0(r, 11), Sql.Text(r, 12), Sql.Text(r, 13), Sql.Text(r, 14), Sql.Text(r, 15), Sql.LongOr0(r, 16),
        Sql.Text(r, 17), Sql.Long(r, 18), Sql.Text(r, 19));
}

/// <summary>The states of a resolution item.</summary>
public static class ResolutionStates
{
    /// <summary>The job works on it (when due).</summary>
    public const string Open = "open";

    /// <summary>The job found the final status; the terminal gets it with its next heartbeat.</summary>
    public const string Resolved = "resolved";

    /// <summary>The job could not resolve it: an operator's to retry or close.</summary>
    public const string Exception = "exception";

    /// <summary>An operator closed it with a note.</summary>
    public const string Closed = "closed";

    public static readonly string[] All = [Open, Resolved, Exception, Closed];
}

/// <summary>A transaction entering the resolution queue.</summary>
public sealed record NewResolutionItem(string Id, string DeviceId, string Kind, string RequestId, string Why, bool Abandoned, long At, long DueAt, long GiveUpAt,
    string Actor, string Detail);

/// <summary>One item of the resolution queue (table resolution_items).</summary>
public sealed record ResolutionItem(
    string Id,
    string DeviceId,
    string Kind,
    string RequestId,
    long EnteredAt,
    string EnteredWhy,
    bool Abandoned,
    string State,
    long? DueAt,
    string? Owner,
    int Attempts,
    long GiveUpAt,
    string? Status,
    string? ResultCode,
    string? Exception,
    string? Detail,
    long UpdatedAt,
    string? ClosedBy,
    long? ClosedAt,
    string? CloseNote)
{
    /// <summary>The terminal may be told the final status: resolved by the job or closed by an operator.</summary>
    public bool IsFinal => State is ResolutionStates.Resolved or ResolutionStates.Closed;
}

/// <summary>One entry of an item's history: the job's decisions and the operators' actions (the audit).</summary>
public sealed record ResolutionEvent(string Id, string ItemId, long At, string Actor, string Event, string Detail, string? StepId);

/// <summary>What one pass of the job decided about an item (<see cref="GatewayStore.FinishItemAsync"/>).</summary>
public sealed record ItemOutcome(string State, long? DueAt, string? Status, string? ResultCode, string? Exception, string Detail, string? StepId);
