using Terminal.Gateway.Storage;

namespace Terminal.Gateway.EndOfDay;

/// <summary>
/// End of day for the admin API, the CLI and the console's End-of-day page: the totals of a selection of days, their
/// CSV export, and the reconciliation of a day against Antom's transaction details report (docs/reconciliation.md).
/// Every method is a read; nothing here changes a record.
/// </summary>
public sealed class EndOfDayQueries(EndOfDayStore store, BusinessCalendar calendar, EndOfDayOptions options, string? antomClientId, TimeProvider clock)
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
            foreach (var (s, d, c, figures) in await store.FiguresAsync(start, end, filter.StoreId, filter.DeviceId, ct).ConfigureAwait(false))
                lines.Add(new DayTotalsLine(day, s, d, c, figures));
        }
        lines.Sort((a, b) =>
        {
            int byDay = a.Day.CompareTo(b.Day);
            if (byDay != 0) return byDay;
            int byStore = string.CompareOrdinal(a.StoreId, b.StoreId);
            if (byStore != 0) return byStore;
            int byDevice = string.CompareOrdinal(a.DeviceId, b.DeviceId);
            return byDevice != 0 ? byDevice : string.CompareOrdinal(a.Currency, b.Currency);
        });
        var totals = lines.GroupBy(l => l.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CurrencyTotals(g.Key, g.Aggregate(DayFigures.Zero, (sum, l) => sum.Plus(l.Figures)))).ToList();
        return new DayTotalsReport(filter, calendar.Zone.Id, lines, totals);
    }

    /// <summary>The columns of the CSV export, in this order; a new column is only ever added at the end.</summary>
    public static readonly string[] CsvColumns =
    [
        "day", "time_zone", "store_id", "device_id", "currency", "sales_count", "sales_minor", "voids_count", "voids_minor",
        "refunds_count", "refunds_minor", "net_minor", "failed_count", "open_count",
    ];

    /// <summary>
    /// The totals as RFC 4180 CSV (UTF-8, CRLF): a header, one record per line of the report. Amounts are integers in
    /// minor units with the currency beside them, so no spreadsheet rounds or re-formats money.
    /// </summary>
    public static void WriteCsv(DayTotalsReport report, TextWriter writer)
    {
        Csv.WriteRecord(writer, CsvColumns);
        foreach (var l in report.Lines)
        {
            var f = l.Figures;
            Csv.WriteRecord(writer, Csv.Text(BusinessCalendar.Format(l.Day)), Csv.Text(report.TimeZone), Csv.Text(l.StoreId), Csv.Text(l.DeviceId),
                Csv.Text(l.Currency), Csv.Number(f.SalesCount), Csv.Number(f.SalesMinor), Csv.Number(f.VoidsCount), Csv.Number(f.VoidsMinor),
                Csv.Number(f.RefundsCount), Csv.Number(f.RefundsMinor), Csv.Number(f.NetMinor), Csv.Number(f.FailedCount), Csv.Number(f.OpenCount));
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
        var payments = await store.PaymentsCreatedAsync(start, end, ct).ConfigureAwait(false);
        var refunds = await store.RefundsCreatedAsync(start, end, ct).ConfigureAwait(false);

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
        var otherPayments = await store.PaymentsByIdAsync(wantPaymentRequests, byAntomId: false, ct).ConfigureAwait(false);
        otherPayments.AddRange(await store.PaymentsByIdAsync(wantPaymentIds, byAntomId: true, ct).ConfigureAwait(false));
        var otherRefunds = await store.RefundsByIdAsync(wantRefundRequests, byAntomId: false, ct).ConfigureAwait(false);
        otherRefunds.AddRange(await store.RefundsByIdAsync(wantRefundIds, byAntomId: true, ct).ConfigureAwait(false));
        return Reconciler.Compare(day, calendar, payments, refunds, rows, (otherPayments, otherRefunds));
    }
}
