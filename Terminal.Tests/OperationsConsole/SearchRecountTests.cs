using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Tests.EndOfDay;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>
/// The transaction search through the indexes chosen for speed (migrations 0010 and 0012, with the planner's statistics
/// gathered) against a plain filter and sort of every record in C#: every page of every store and status pair, with and
/// without a time range, over <see cref="GeneratedDays"/> (runs of payments that share a millisecond, refunds that failed).
/// </summary>
public sealed class SearchRecountTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task Every_page_of_a_store_and_status_search_equals_a_plain_filter_of_the_records(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, GeneratedDays.TimeZone);
        var (payments, refunds) = GeneratedDays.Create();
        await records.InsertAsync(payments, refunds);
        var search = new TransactionSearch(records.Database);
        long from = payments.Min(p => p.CreatedAt) + 20 * 3_600_000L, to = from + 30 * 3_600_000L;
        var refunded = refunds.Where(r => r.Status != "FAIL").GroupBy(r => r.PaymentId).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));

        int rowsCompared = 0, multiPage = 0;
        foreach (string store in GeneratedDays.Stores.Append("S9"))
        {
            foreach (string status in GeneratedDays.Statuses)
            {
                foreach (var (start, end) in new (long?, long?)[] { (null, null), (from, to) })
                {
                    var expected = payments
                        .Where(p => p.Store == store && p.Status == status && (start == null || p.CreatedAt >= start) && (end == null || p.CreatedAt < end))
                        .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.RequestId, StringComparer.Ordinal)
                        .Select(p => (p.RequestId, p.Device, p.Amount, p.CreatedAt, Refunded: p.PaymentId != null && refunded.TryGetValue(p.PaymentId, out long sum) ? sum : 0))
                        .ToList();
                    var seen = new List<(string, string, long, long, long)>();
                    string? cursor = null;
                    int pages = 0;
                    do
                    {
                        var page = await search.SearchAsync(new TransactionFilter(From: start, To: end, Store: store, Status: status), cursor);
                        Assert.All(page.Rows, r => Assert.Equal((store, status), (r.StoreId, r.Status)));
                        seen.AddRange(page.Rows.Select(r => (r.PaymentRequestId, r.DeviceId, r.AmountMinor, r.CreatedAt, r.RefundedMinor)));
                        cursor = page.Next;
                        pages++;
                    }
                    while (cursor != null);
                    Assert.Equal(expected, seen);
                    rowsCompared += seen.Count;
                    if (pages > 1) multiPage++;
                }
            }
        }
        Assert.Equal(payments.Count + payments.Count(p => p.CreatedAt >= from && p.CreatedAt < to), rowsCompared);
        Assert.True(multiPage >= 5, "searches that span several pages");
        Assert.Contains(payments, p => payments.Count(q => q.CreatedAt == p.CreatedAt && q.Store == p.Store && q.Status == p.Status) > 1);
    }
}
