using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// The quarter-hour totals the database's triggers keep (migration 0014) and the paged totals built on them, against a
/// recount of the records, after payments and refunds were written through the gateway's own store in a random order by
/// several writers at once: facts before their reservation (lost), late notifications, voids and the resolution queue's
/// cancels after midnight, contradicting facts (refused by the forward-only rule), refunds of unknown payments, refunds
/// recorded before their payment learnt its paymentId and facts giving one refundId to two refunds, in a zone with summer time (the 25-hour day of 2026-10-25) and in
/// one whose offset is not whole hours (Asia/Kathmandu, +05:45).
/// </summary>
public sealed class QuarterTotalsTests
{
    private static readonly DateOnly First = new(2026, 10, 24), Last = new(2026, 10, 26);

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Quarter_totals_and_every_page_equal_a_recount_after_random_concurrent_writes(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, "Europe/Berlin");
        var store = new GatewayStore(records.Database);
        var operations = Operations(new Random(4711));
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (int i = w; i < operations.Count; i += 4) await operations[i](store);
        }));
        await Task.WhenAll(workers);
        await using (var connection = await records.Database.OpenAsync()) await Sql.ExecAsync(connection, null, "ANALYZE");

        var payments = await store.ListPaymentsAsync();
        var refunds = await store.ListRefundsAsync();
        Assert.True(payments.Count(p => p.Status == PaymentStatuses.Cancelled) >= 10 && refunds.Count(r => r.Status == PaymentStatuses.Success) >= 10,
            "the writes left voids and successful refunds to count");

        // The table itself: one row per quarter, kind, currency and status with the records' count and sum.
        var expected = payments.Select(p => (p.CreatedAt / 900_000, "payment", p.Currency, p.Status, p.AmountMinor))
            .Concat(refunds.Select(r => (r.CreatedAt / 900_000, "refund", r.Currency, r.Status, r.AmountMinor)))
            .GroupBy(x => (x.Item1, x.Item2, x.Currency, x.Status))
            .Select(g => new QuarterFigures(g.Key.Item1, g.Key.Item2, g.Key.Currency, g.Key.Status, g.Count(), g.Sum(x => x.AmountMinor)))
            .OrderBy(q => q.Quarter).ThenBy(q => q.Kind, StringComparer.Ordinal).ThenBy(q => q.Currency, StringComparer.Ordinal).ThenBy(q => q.Status, StringComparer.Ordinal)
            .ToList();
        var stored = (await new EndOfDayStore(records.Database).QuartersAsync(0, long.MaxValue / 2))
            .OrderBy(q => q.Quarter).ThenBy(q => q.Kind, StringComparer.Ordinal).ThenBy(q => q.Currency, StringComparer.Ordinal).ThenBy(q => q.Status, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, stored);

        foreach (string zone in new[] { "Europe/Berlin", "Asia/Kathmandu" })
        {
            var queries = EndOfDayQueries.For(records.Database, new GatewayOptions { EndOfDay = new EndOfDayOptions { TimeZone = zone } }, TimeProvider.System);
            foreach (var (from, to) in new[] { (First, Last), (new DateOnly(2026, 10, 25), new DateOnly(2026, 10, 25)) })
            {
                var filter = new TotalsFilter(from, to);
                var whole = await queries.TotalsAsync(filter);
                Assert.True(whole.Lines.Count > 20, $"{zone}: only {whole.Lines.Count} lines");
                foreach (int limit in new[] { 1, 7, 1000 })
                {
                    var lines = new List<DayTotalsLine>();
                    string? after = null;
                    int pages = 0;
                    do
                    {
                        var page = await queries.TotalsPageAsync(filter, after, limit);
                        Assert.Equal(whole.Totals, page.Totals);
                        var days = whole.Lines.GroupBy(l => (l.Day, l.Currency)).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
                            .Select(g => new DayCurrencyTotals(g.Key.Day, g.Key.Currency, g.Aggregate(DayFigures.Zero, (sum, l) => sum.Plus(l.Figures))));
                        Assert.Equal(days, page.Days);
                        Assert.True(page.Lines.Count >= Math.Min(limit, whole.Lines.Count - lines.Count), "a page holds at least its limit unless it is the last");
                        lines.AddRange(page.Lines);
                        after = page.Next;
                        Assert.True(++pages <= whole.Lines.Count + 1, "paging ends");
                    }
                    while (after != null);
                    Assert.Equal(whole.Lines, lines);
                }
            }
        }
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_filtered_selection_pages_the_same_lines_and_a_foreign_cursor_is_refused(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, "Europe/Berlin");
        var store = new GatewayStore(records.Database);
        foreach (var operation in Operations(new Random(99))) await operation(store);
        var filter = new TotalsFilter(First, Last, StoreId: "S2");
        var whole = await records.Queries.TotalsAsync(filter);
        Assert.True(whole.Lines.Count > 5);
        var lines = new List<DayTotalsLine>();
        string? after = null;
        do
        {
            var page = await records.Queries.TotalsPageAsync(filter, after, 2);
            Assert.Equal(whole.Totals, page.Totals);
            lines.AddRange(page.Lines);
            after = page.Next;
        }
        while (after != null);
        Assert.Equal(whole.Lines, lines);

        await Assert.ThrowsAsync<ArgumentException>(() => records.Queries.TotalsPageAsync(filter, "2026-11-30 S2 T0001", 2)); // a day outside the selection
        await Assert.ThrowsAsync<ArgumentException>(() => records.Queries.TotalsPageAsync(filter, "garbage", 2));
    }

    /// <summary>
    /// Writes as the relay, the notification handler and the resolution queue make them, in a shuffled order: each
    /// payment is reserved PENDING and then moved by facts (some arriving twice, some contradicting a final status, some
    /// before the reservation and so lost), some refunded once or twice, some voided or cancelled later.
    /// </summary>
    private static List<Func<GatewayStore, Task>> Operations(Random random)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        long Midnight(DateOnly day) => new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))).ToUnixTimeMilliseconds();
        var edges = Enumerable.Range(0, 4).Select(i => Midnight(First.AddDays(i))).Concat(Enumerable.Range(0, 4).Select(i => Midnight(First.AddDays(i)) - (4 * 60 + 15) * 60_000L))
            .ToArray(); // Berlin's midnights and Kathmandu's (04:45 earlier in winter, 03:45 in summer; both are near)
        var ops = new List<Func<GatewayStore, Task>>();
        for (int i = 0; i < 400; i++)
        {
            long created = random.Next(3) == 0 ? edges[random.Next(edges.Length)] + random.Next(-2, 3) * 900_000L + random.Next(-2, 2)
                : Midnight(First) + (long)(random.NextDouble() * 3 * 86_400_000);
            string device = "T" + (1 + random.Next(7)).ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            string currency = random.Next(4) == 0 ? "JPY" : "USD";
            string prid = "P" + i, pid = "A" + i;
            long amount = 100 + random.Next(50_000);
            var payment = new PaymentRecord(prid, device, "M001", GeneratedDays.StoreOf(device), currency, amount, null, PaymentStatuses.Pending, created, created);
            ops.Add(s => s.ReservePaymentAsync(payment, created + 60_000));
            string final = random.Next(10) switch { < 6 => PaymentStatuses.Success, < 8 => PaymentStatuses.Fail, _ => PaymentStatuses.Processing };
            ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Payment, prid, final == PaymentStatuses.Fail ? null : pid, final, "notification"), created + 5_000));
            if (random.Next(4) == 0) ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Payment, prid, pid, final, "inquiry"), created + 9_000)); // a late duplicate
            if (random.Next(6) == 0) ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Payment, prid, null, PaymentStatuses.Fail, "inquiry"), created + 9_000)); // contradicts SUCCESS
            if (final != PaymentStatuses.Success) continue;
            if (random.Next(8) == 0)
            {
                // A void, or the resolution queue's cancel of a payment its terminal gave up, hours later.
                string source = random.Next(2) == 0 ? "cancel" : "resolution";
                ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Payment, prid, pid, PaymentStatuses.Cancelled, source), created + 3_600_000));
                continue;
            }
            for (int k = 0, n = random.Next(3); k < n; k++)
            {
                long at = created + random.Next(1_000, 5 * 3_600_000);
                string rrid = $"R{i}-{k}";
                var refund = new RefundRecord(rrid, device, pid, currency, 1 + random.Next(5_000), null, PaymentStatuses.Pending, at, at);
                ops.Add(s => s.ReserveRefundAsync(refund, at + 60_000));
                string refundStatus = random.Next(10) switch { < 7 => PaymentStatuses.Success, < 9 => PaymentStatuses.Fail, _ => PaymentStatuses.Processing };
                ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Refund, rrid, "F" + rrid, refundStatus, "notification"), at + 2_000));
            }
        }
        for (int i = 0; i < 15; i++)
        {
            // Refunds of payments the gateway has no record of: their lines are under store ''.
            long at = Midnight(First) + (long)(random.NextDouble() * 3 * 86_400_000);
            // The ids are made here, not in the lambdas: those would all read the loop variable's last value.
            string rrid = "RX" + i, refundId = "FX" + i, anotherRefundsId = "FX" + (i + 1) % 15;
            var refund = new RefundRecord(rrid, "T0001", "AX" + i, "USD", 1 + random.Next(5_000), null, PaymentStatuses.Pending, at, at);
            ops.Add(s => s.ReserveRefundAsync(refund, null));
            ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Refund, rrid, refundId, PaymentStatuses.Success, "notification"), at + 1_000));
            // A fact that gives this refund another refund's id, maybe at the same time as that refund's own fact: the id
            // stays with whichever row took it first, and neither write fails.
            if (random.Next(3) == 0)
                ops.Add(s => s.ApplyFactAsync(new StateFact(StateSubject.Refund, rrid, anotherRefundsId, PaymentStatuses.Success, "inquiry"), at + 1_500));
        }
        // Shuffled: a fact may come before its row (lost, as the forward-only update finds no row), a refund before its
        // payment has the paymentId it names.
        return ops.OrderBy(_ => random.Next()).ToList();
    }
}
