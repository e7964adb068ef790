using Terminal.Gateway.Storage;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// End of day for the admin API, the CLI and the console's End-of-day page: the totals of a selection of days, their
/// CSV export, and the reconciliation of a day against Antom's transaction details report (docs/reconciliation.md).
/// Every method is a read; nothing here changes a record.
/// </summary>
public sealed class EndOfDayQueries(EndOfDayStore records, BusinessCalendar calendar, EndOfDayOptions options, string? antomClientId, TimeProvider clock)
{
    /// <summary>The queries over <paramref name="database"/> with the gateway's configuration (server and CLI alike).</summary>
    public static EndOfDayQueries For(GatewayDatabase database, Configuration.GatewayOptions options, TimeProvider clock) =>
        new(new EndOfDayStore(database), new BusinessCalendar(CustomerPage.PageFormat.FindZone(options.EndOfDay.TimeZone)!), options.EndOfDay,
            string.IsNullOrWhiteSpace(options.Antom.ClientId) ? null : options.Antom.ClientId, clock);

    public BusinessCalendar Calendar => calendar;

    public EndOfDayOptions Options => options;

    /// <summary>Today in the merchant's time zone.</summary>
    public DateOnly Today => calendar.DayOf(clock.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>The totals per day, store, device and currency, and per currency over the selection.</summary>
    /// <exception cref="ArgumentException">The filter is not usable (<see cref="TotalsFilter.Problem"/>).</exception>
    public async Task<DayTotalsReport> TotalsAsync(TotalsFilter filter, CancellationToken ct = default)
    {
        if (filter.Problem() is { } problem) throw new ArgumentException(problem);
        var lines = new List<DayTotalsLine>();
        for (var day = filter.From; day <= filter.To; day = day.AddDays(1))
        {
            var (start, end) = calendar.Bounds(day);
            await foreach (var f in records.FiguresAsync(start, end, filter.StoreId, filter.DeviceId, ct).ConfigureAwait(false))
                lines.Add(new DayTotalsLine(day, f.Store, f.Device, f.Currency, f.Figures));
        }
        var totals = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotals(g.Key, g.Aggregate(DayFigures.Zero, (sum, l) => sum.Plus(l.Figures)))).ToList();
        return new DayTotalsReport(filter, calendar.Zone.Id, lines, totals);
    }

    /// <summary>Every line of <paramref name="filter"/>'s totals, to be written as it is read (JSON or CSV).</summary>
    /// <exception cref="ArgumentException">The filter is not usable (<see cref="TotalsFilter.Problem"/>).</exception>
    public DayTotalsExport Export(TotalsFilter filter) => new(records, calendar, filter);

    /// <summary>Lines a page of the totals holds (a terminal's lines are kept together, so a page may end a little over).</summary>
    public const int PageLines = 100;

    /// <summary>
    /// A page of the totals of <paramref name="filter"/>: the lines after <paramref name="after"/> (a page's
    /// <see cref="DayTotalsPage.Next"/>; null for the first page), and the totals per currency and per day of the whole
    /// selection. Without a store or terminal filter the lines are read a store at a time
    /// (<see cref="EndOfDayStore.NextStoreAsync"/>) and the totals are sums of the quarter-hour totals, so a page costs the
    /// same for a fleet of 100 terminals or of 10,000 (docs/benchmarks/console.md); with a filter the selection is small
    /// and is counted whole. Either way the figures are those of <see cref="TotalsAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The filter or the cursor is not usable.</exception>
    public async Task<DayTotalsPage> TotalsPageAsync(TotalsFilter filter, string? after, int limit = PageLines, CancellationToken ct = default)
    {
        if (filter.Problem() is { } problem) throw new ArgumentException(problem);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var cursor = after == null ? null : PageCursor.Parse(after, filter) ?? throw new ArgumentException("after: not a cursor of this selection");
        if (filter.StoreId != null || filter.DeviceId != null || !QuarterAligned(filter))
        {
            var whole = await TotalsAsync(filter, ct).ConfigureAwait(false);
            var rest = cursor == null ? whole.Lines : whole.Lines.Where(l => cursor.Before(l)).ToList();
            var (taken, more) = TakeWholeTerminals(rest, limit);
            var days = whole.Lines.GroupBy(l => (l.Day, l.Currency)).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
                .Select(g => new DayCurrencyTotals(g.Key.Day, g.Key.Currency, g.Aggregate(DayFigures.Zero, (sum, l) => sum.Plus(l.Figures)))).ToList();
            return new DayTotalsPage(filter, calendar.Zone.Id, taken, whole.Totals, days, more ? PageCursor.After(taken[^1]) : null);
        }

        var (daily, totals) = await QuarterTotalsAsync(filter, ct).ConfigureAwait(false);
        var lines = new List<DayTotalsLine>();
        string? next = null;
        for (var day = cursor?.Day ?? filter.From; day <= filter.To && next == null; day = day.AddDays(1))
        {
            var (start, end) = calendar.Bounds(day);
            string? store = null;
            string? afterDevice = null;
            if (cursor != null && day == cursor.Day)
            {
                store = cursor.Store;
                afterDevice = cursor.Device;
            }
            while (next == null)
            {
                if (afterDevice == null)
                {
                    store = await records.NextStoreAsync(start, end, store, ct).ConfigureAwait(false);
                    if (store == null) break;
                }
                var storeLines = new List<DayTotalsLine>();
                await foreach (var f in records.FiguresAsync(start, end, store, null, ct).ConfigureAwait(false))
                    if (afterDevice == null || string.CompareOrdinal(f.Device, afterDevice) > 0) storeLines.Add(new DayTotalsLine(day, f.Store, f.Device, f.Currency, f.Figures));
                afterDevice = null;
                var (taken, more) = TakeWholeTerminals(storeLines, limit - lines.Count);
                lines.AddRange(taken);
                if (more) next = PageCursor.After(lines[^1]);
                else if (lines.Count >= limit && await MoreAfterAsync(filter, day, start, end, store!, ct).ConfigureAwait(false)) next = PageCursor.After(lines[^1]);
                else if (lines.Count >= limit) return new DayTotalsPage(filter, calendar.Zone.Id, lines, totals, daily, null);
            }
        }
        return new DayTotalsPage(filter, calendar.Zone.Id, lines, totals, daily, next);
    }

    /// <summary>Whether the unfiltered selection has lines after <paramref name="store"/> of <paramref name="day"/>.</summary>
    private async Task<bool> MoreAfterAsync(TotalsFilter filter, DateOnly day, long start, long end, string store, CancellationToken ct)
    {
        if (await records.NextStoreAsync(start, end, store, ct).ConfigureAwait(false) != null) return true;
        if (day >= filter.To) return false;
        var quarters = await records.QuartersAsync(end, calendar.Bounds(filter.To).EndMs, ct).ConfigureAwait(false);
        return quarters.Count > 0;
    }

    /// <summary>Lines from the start of <paramref name="lines"/> until at least <paramref name="limit"/>, ending with a
    /// terminal's last line of its day and store; and whether lines are left.</summary>
    private static (List<DayTotalsLine> Taken, bool More) TakeWholeTerminals(IReadOnlyList<DayTotalsLine> lines, int limit)
    {
        int n = Math.Min(Math.Max(limit, 0), lines.Count);
        while (n > 0 && n < lines.Count && lines[n].Day == lines[n - 1].Day && lines[n].StoreId == lines[n - 1].StoreId && lines[n].DeviceId == lines[n - 1].DeviceId) n++;
        return (lines.Take(n).ToList(), n < lines.Count);
    }

    /// <summary>Whether every day of the selection starts and ends on a quarter hour (UTC), as the quarter-hour totals
    /// need: true in every time zone in use today (all offsets are whole quarter hours); the records are counted otherwise.</summary>
    private bool QuarterAligned(TotalsFilter filter)
    {
        for (var day = filter.From; day <= filter.To; day = day.AddDays(1))
        {
            var (start, end) = calendar.Bounds(day);
            if (start % QuarterFigures.QuarterMs != 0 || end % QuarterFigures.QuarterMs != 0) return false;
        }
        return true;
    }

    /// <summary>The totals per day and currency, and per currency, of the unfiltered selection, from the quarter-hour totals.</summary>
    private async Task<(List<DayCurrencyTotals> Days, List<CurrencyTotals> Totals)> QuarterTotalsAsync(TotalsFilter filter, CancellationToken ct)
    {
        var quarters = await records.QuartersAsync(calendar.Bounds(filter.From).StartMs, calendar.Bounds(filter.To).EndMs, ct).ConfigureAwait(false);
        var byDay = new SortedDictionary<(DateOnly, string), DayFigures>(Comparer<(DateOnly Day, string Currency)>.Create((a, b) =>
            a.Day != b.Day ? a.Day.CompareTo(b.Day) : string.CompareOrdinal(a.Currency, b.Currency)));
        foreach (var q in quarters)
        {
            var key = (calendar.DayOf(q.StartMs), q.Currency);
            byDay[key] = byDay.TryGetValue(key, out var sum) ? sum.Plus(q.Figures) : q.Figures;
        }
        var days = byDay.Select(d => new DayCurrencyTotals(d.Key.Item1, d.Key.Item2, d.Value)).ToList();
        var totals = days.GroupBy(d => d.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotals(g.Key, g.Aggregate(DayFigures.Zero, (sum, d) => sum.Plus(d.Figures)))).ToList();
        return (days, totals);
    }

    /// <summary>
    /// Where a page ended: its last line's day, store and terminal, as text "yyyy-MM-dd store terminal" (store ids and
    /// terminal ids hold no space; a store may be empty: refunds of payments the gateway has no record of).
    /// </summary>
    private sealed record PageCursor(DateOnly Day, string Store, string Device)
    {
        public static string After(DayTotalsLine l) => BusinessCalendar.Format(l.Day) + " " + l.StoreId + " " + l.DeviceId;

        public static PageCursor? Parse(string text, TotalsFilter filter)
        {
            var parts = text.Split(' ');
            if (parts.Length != 3 || BusinessCalendar.ParseDay(parts[0]) is not { } day || day < filter.From || day > filter.To) return null;
            if ((parts[1].Length > 0 && !Devices.DeviceValidation.IsReference(parts[1])) || parts[2].Length == 0 || parts[2].Length > 64) return null;
            return new PageCursor(day, parts[1], parts[2]);
        }

        /// <summary>Whether <paramref name="l"/> comes after the cursor (the filtered path's order: day, store, terminal).</summary>
        public bool Before(DayTotalsLine l)
        {
            int c = l.Day.CompareTo(Day);
            if (c == 0) c = string.CompareOrdinal(l.StoreId, Store);
            if (c == 0) c = string.CompareOrdinal(l.DeviceId, Device);
            return c > 0;
        }
    }

    /// <summary>
    /// Compares <paramref name="day"/>'s records with Antom's transaction details report in <paramref name="report"/>
    /// (the file's bytes as downloaded).
    /// </summary>
    /// <exception cref="AntomReportException">The report is not a readable transaction details report of this merchant.</exception>
    public async Task<ReconciliationReport> ReconcileAsync(DateOnly day, ReadOnlyMemory<byte> report, CancellationToken ct = default)
    {
        var rows = AntomTransactionReport.Parse(report.Span, options.MaxReportBytes, antomClientId);
        var (start, end) = calendar.Bounds(day);
        var payments = await records.PaymentsCreatedAsync(start, end, ct).ConfigureAwait(false);
        var refunds = await records.RefundsCreatedAsync(start, end, ct).ConfigureAwait(false);

        // Rows the day's records do not answer: look their ids up on any day (a payment created before midnight and
        // paid after it, a refund of an old payment recorded late, or a record that is really missing).
        var paymentRequests = payments.Select(p => p.PaymentRequestId).ToHashSet(StringComparer.Ordinal);
        var paymentIds = payments.Where(p => p.PaymentId != null).Select(p => p.PaymentId!).ToHashSet(StringComparer.Ordinal);
        var refundRequests = refunds.Select(r => r.RefundRequestId).ToHashSet(StringComparer.Ordinal);
        var refundIds = refunds.Where(r => r.RefundId != null).Select(r => r.RefundId!).ToHashSet(StringComparer.Ordinal);
        var wantPaymentRequests = new HashSet<string>(StringComparer.Ordinal);
        var wantPaymentIds = new HashSet<string>(StringComparer.Ordinal);
        var wantRefundRequests = new HashSet<string>(StringComparer.Ordinal);
        var wantRefundIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Type == "REFUND")
            {
                if (row.TransactionRequestId != null && !refundRequests.Contains(row.TransactionRequestId)) wantRefundRequests.Add(row.TransactionRequestId);
                else if (row.TransactionRequestId == null && !refundIds.Contains(row.TransactionId)) wantRefundIds.Add(row.TransactionId);
            }
            else if (row.Type is "PAYMENT" or "CANCEL")
            {
                string paymentId = row.Type == "PAYMENT" ? row.TransactionId : row.OriginalTransactionId ?? row.TransactionId;
                if (row.TransactionRequestId != null && !paymentRequests.Contains(row.TransactionRequestId)) wantPaymentRequests.Add(row.TransactionRequestId);
                else if (row.TransactionRequestId == null && !paymentIds.Contains(paymentId)) wantPaymentIds.Add(paymentId);
            }
        }
        var otherPayments = await records.PaymentsByIdAsync(wantPaymentRequests, byAntomId: false, ct).ConfigureAwait(false);
        otherPayments.AddRange(await records.PaymentsByIdAsync(wantPaymentIds, byAntomId: true, ct).ConfigureAwait(false));
        var otherRefunds = await records.RefundsByIdAsync(wantRefundRequests, byAntomId: false, ct).ConfigureAwait(false);
        otherRefunds.AddRange(await records.RefundsByIdAsync(wantRefundIds, byAntomId: true, ct).ConfigureAwait(false));
        return Reconciler.Compare(day, calendar, payments, refunds, rows, (otherPayments, otherRefunds));
    }
}
