using Terminal.Gateway.EndOfDay;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>
/// The day's totals as the database computes them (through the indexes chosen for speed, with the planner's statistics
/// gathered) against a plain recount of every record in C#, by the rules of docs/reconciliation.md, over the records of
/// <see cref="GeneratedDays"/>: midnight crossings, a 25-hour day, refunds of unknown payments.
/// </summary>
public sealed class DayTotalsRecountTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task Totals_of_every_day_and_every_filter_equal_a_recount_of_the_records(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, GeneratedDays.TimeZone);
        var (payments, refunds) = GeneratedDays.Create();
        await records.InsertAsync(payments, refunds);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(GeneratedDays.TimeZone);
        DateOnly DayOf(long ms) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).DateTime);

        // The data has the cases this test is about (else it would pass without looking at them).
        var storeOfPayment = payments.Where(p => p.PaymentId != null).ToDictionary(p => p.PaymentId!, p => p.Store);
        var paymentDay = payments.Where(p => p.PaymentId != null).ToDictionary(p => p.PaymentId!, p => DayOf(p.CreatedAt));
        Assert.True(payments.Count(p => p.Status == "CANCELLED" && DayOf(p.UpdatedAt) != DayOf(p.CreatedAt)) >= 10, "voids cancelled after midnight");
        Assert.True(refunds.Count(r => r.Status == "SUCCESS" && paymentDay.TryGetValue(r.PaymentId, out var d) && d != DayOf(r.CreatedAt)) >= 10,
            "refunds made on a later day than their payment");
        Assert.True(payments.Count(p => DayOf(p.CreatedAt) != DayOf(p.CreatedAt - 1)) >= 10, "records at exactly midnight");

        DayFigures Figures(IEnumerable<DayRecords.PaymentRow> ps, IEnumerable<DayRecords.RefundRow> rs) => new(
            ps.Count(p => p.Status == "SUCCESS"), ps.Where(p => p.Status == "SUCCESS").Sum(p => p.Amount),
            ps.Count(p => p.Status == "CANCELLED"), ps.Where(p => p.Status == "CANCELLED").Sum(p => p.Amount),
            rs.Count(r => r.Status == "SUCCESS"), rs.Where(r => r.Status == "SUCCESS").Sum(r => r.Amount),
            ps.Count(p => p.Status == "FAIL"),
            ps.Count(p => p.Status is "PENDING" or "PROCESSING") + rs.Count(r => r.Status is "PENDING" or "PROCESSING"));
        string StoreOfRefund(DayRecords.RefundRow r) => storeOfPayment.TryGetValue(r.PaymentId, out var s) ? s : "";

        var filters = new List<(string? Store, string? Device)> { (null, null), ("S2", null), (null, "T0004"), ("S1", "T0003"), ("S9", null) };
        int linesCompared = 0;
        foreach (var (store, device) in filters)
        {
            var report = await records.Queries.TotalsAsync(new TotalsFilter(GeneratedDays.FirstDay, GeneratedDays.LastDay, store, device));

            var ps = payments.Where(p => (store == null || p.Store == store) && (device == null || p.Device == device)).ToList();
            var rs = refunds.Where(r => (store == null || StoreOfRefund(r) == store) && (device == null || r.Device == device)).ToList();
            var keys = ps.Select(p => (Day: DayOf(p.CreatedAt), p.Store, p.Device, p.Currency))
                .Concat(rs.Select(r => (Day: DayOf(r.CreatedAt), Store: StoreOfRefund(r), r.Device, r.Currency)))
                .Where(k => k.Day >= GeneratedDays.FirstDay && k.Day <= GeneratedDays.LastDay)
                .Distinct()
                .OrderBy(k => k.Day).ThenBy(k => k.Store, StringComparer.Ordinal).ThenBy(k => k.Device, StringComparer.Ordinal).ThenBy(k => k.Currency, StringComparer.Ordinal);
            var expected = keys.Select(k => new DayTotalsLine(k.Day, k.Store, k.Device, k.Currency, Figures(
                ps.Where(p => DayOf(p.CreatedAt) == k.Day && p.Store == k.Store && p.Device == k.Device && p.Currency == k.Currency),
                rs.Where(r => DayOf(r.CreatedAt) == k.Day && StoreOfRefund(r) == k.Store && r.Device == k.Device && r.Currency == k.Currency)))).ToList();

            Assert.Equal(expected, report.Lines);
            foreach (string currency in new[] { "USD", "JPY" })
                Assert.Equal(expected.Where(l => l.Currency == currency).Aggregate(DayFigures.Zero, (sum, l) => sum.Plus(l.Figures)), report.Of(currency));
            linesCompared += expected.Count;
        }
        Assert.True(linesCompared > 60, $"only {linesCompared} lines compared");
    }
}
