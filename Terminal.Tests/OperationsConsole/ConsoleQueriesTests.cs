using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.Devices;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.OperationsConsole.Queries;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>The console's queries on both databases: keyset paging that neither skips nor repeats, filters as parameters, fleet status in SQL.</summary>
public sealed class ConsoleQueriesTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task Paging_through_every_result_neither_skips_nor_repeats_rows_that_share_a_time(string provider)
    {
        await using var gw = await TestGateway.StartAsync(provider);
        var store = gw.Gateway.Store;
        long t0 = 1_773_000_000_000;
        var expected = new List<(long At, string Id)>();
        for (int i = 1; i <= 230; i++)
        {
            long at = t0 + i / 7 * 1000; // seven payments share each millisecond
            string id = "P" + i.ToString("0000", System.Globalization.CultureInfo.InvariantCulture);
            await store.ReservePaymentAsync(new PaymentRecord(id, i % 2 == 0 ? "T0001" : "T0002", "M001", i % 3 == 0 ? "S002" : "S001", "USD", 100 + i, null,
                i % 5 == 0 ? PaymentStatuses.Fail : PaymentStatuses.Pending, at, at, ReferenceOrderId: "R" + i), at + 60_000);
            expected.Add((at, id));
        }
        var search = gw.Gateway.Services.GetRequiredService<TransactionSearch>();
        var seen = new List<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await search.SearchAsync(new TransactionFilter(), cursor);
            seen.AddRange(page.Rows.Select(r => r.PaymentRequestId));
            cursor = page.Next;
            pages++;
        }
        while (cursor != null);
        Assert.Equal(5, pages);
        Assert.Equal(expected.OrderByDescending(e => e.At).ThenByDescending(e => e.Id, StringComparer.Ordinal).Select(e => e.Id), seen);

        var filtered = await search.SearchAsync(new TransactionFilter(Store: "S002", Status: PaymentStatuses.Fail, From: t0, To: t0 + 20_000), null);
        Assert.Equal(expected.Where(e => int.Parse(e.Id[1..]) is var n && n % 15 == 0 && e.At < t0 + 20_000).Select(e => e.Id).Reverse(),
            filtered.Rows.Select(r => r.PaymentRequestId));
        Assert.Single((await search.SearchAsync(new TransactionFilter(Reference: "R77"), null)).Rows);
        Assert.Single((await search.SearchAsync(new TransactionFilter(AmountMinor: 177), null)).Rows);
        // A value that would be SQL if pasted into the text is a value that matches nothing.
        Assert.Empty((await search.SearchAsync(new TransactionFilter(Reference: "x' OR '1'='1"), null)).Rows);
        Assert.DoesNotContain((await search.SearchAsync(new TransactionFilter(), "1773000001000.P0009' OR 1=1 --")).Rows, r => r.CreatedAt > 1_773_000_001_000);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Fleet_status_filters_apply_the_heartbeat_rule_in_the_database(string provider)
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-03-12T10:00:00Z"));
        await using var gw = await TestGateway.StartAsync(provider, o => o.Clock = clock);
        foreach (string id in new[] { "T0001", "T0002", "T0003", "T0004", "T0005" }) await gw.Gateway.RegisterDeviceAsync(id);
        await gw.Gateway.Devices.RevokeAsync("T0005");
        var fleetStore = gw.Gateway.Services.GetRequiredService<FleetStore>();
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        async Task Beat(string id, long at, string? degraded) => await fleetStore.RecordHeartbeatAsync(
            new DeviceHealthRecord(id, at, at, 60_000, "1.0.0", degraded, "{}", 1), new HeartbeatPoint(at, 10, 50_000, -60, degraded));
        await Beat("T0001", now - 30_000, null);        // online
        await Beat("T0002", now - 60_000, "scanner");   // degraded
        await Beat("T0003", now - 181_000, null);       // offline: more than 3 intervals
        var fleet = gw.Gateway.Services.GetRequiredService<FleetQuery>();
        async Task<string[]> Ids(string status) => (await fleet.ListAsync(new FleetFilter(Status: status), null)).Rows.Select(r => r.DeviceId).ToArray();
        Assert.Equal(["T0001"], await Ids(FleetHealth.Online));
        Assert.Equal(["T0002"], await Ids(FleetHealth.Degraded));
        Assert.Equal(["T0003"], await Ids(FleetHealth.Offline));
        Assert.Equal(["T0004"], await Ids(FleetHealth.NeverSeen));
        Assert.Equal(["T0005"], await Ids(FleetQuery.Revoked));
        var all = await fleet.ListAsync(new FleetFilter(), null);
        Assert.Equal([1, 1, 1, 1, 1], FleetQuery.Statuses.Select(s => all.Counts[s]));
        var row = all.Rows.Single(r => r.DeviceId == "T0001");
        Assert.Equal((50_000L, -60L, "1.0.0"), (row.HeapBytes, row.WifiRssi, row.Firmware));
        // Each row's status agrees with the rule the admin API applies.
        foreach (var r in all.Rows.Where(r => r.Status != FleetQuery.Revoked))
            Assert.Equal(FleetHealth.StatusOf(await fleetStore.HealthAsync(r.DeviceId), now), r.Status);
        Assert.Empty((await fleet.ListAsync(new FleetFilter(DevicePrefix: "T%"), null)).Rows);
        Assert.Equal(5, (await fleet.ListAsync(new FleetFilter(DevicePrefix: "T000"), null)).Rows.Count);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_overview_counts_todays_sales_per_hour_of_the_merchants_time_zone(string provider)
    {
        // Asia/Kathmandu is UTC+05:45: its day and hours start at a quarter past, a case an hour-based sum would get wrong.
        var clock = new ManualClock(DateTimeOffset.Parse("2026-03-12T10:00:00Z")); // 15:45 local
        await using var gw = await TestGateway.StartAsync(provider, o =>
        {
            o.Clock = clock;
            o.EndOfDay.TimeZone = "Asia/Kathmandu";
        });
        var store = gw.Gateway.Store;
        int n = 0;
        async Task Sale(string utc, string status, long amount, string currency = "USD")
        {
            long at = DateTimeOffset.Parse(utc).ToUnixTimeMilliseconds();
            await store.ReservePaymentAsync(new PaymentRecord("P" + ++n, "T0001", "M001", "S001", currency, amount, null, status, at, at), at + 60_000);
        }
        await Sale("2026-03-11T18:14:59.999Z", PaymentStatuses.Success, 1);   // 23:59:59.999 local, yesterday
        await Sale("2026-03-11T18:15:00.000Z", PaymentStatuses.Success, 10);  // 00:00 local: the day's first instant
        await Sale("2026-03-11T18:59:59.999Z", PaymentStatuses.Success, 20);  // 00:44 local
        await Sale("2026-03-11T19:00:00.000Z", PaymentStatuses.Success, 40);  // 00:45 local, still hour 0
        await Sale("2026-03-11T19:15:00.000Z", PaymentStatuses.Success, 80);  // 01:00 local
        await Sale("2026-03-12T09:59:00.000Z", PaymentStatuses.Success, 160, "JPY"); // 15:44 local
        await Sale("2026-03-12T09:00:00.000Z", PaymentStatuses.Fail, 320);    // not a sale
        await Sale("2026-03-12T09:00:00.000Z", PaymentStatuses.Success, 640); // voided below: not a sale any more
        await store.ApplyFactAsync(new StateFact(StateSubject.Payment, "P" + n, "A" + n, PaymentStatuses.Cancelled, "cancel"), clock.GetUtcNow().ToUnixTimeMilliseconds());

        var overview = await gw.Gateway.Services.GetRequiredService<OverviewQuery>().TodayAsync();
        Assert.Equal(new DateOnly(2026, 3, 12), overview.Day);
        Assert.Equal("Asia/Kathmandu", overview.TimeZone);
        Assert.Equal(new[] { new HourlySales(0, "USD", 3, 70), new HourlySales(1, "USD", 1, 80), new HourlySales(15, "JPY", 1, 160) }, overview.Hours);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_status_filter_agrees_with_the_heartbeat_rule_at_its_edges(string provider)
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-03-12T10:00:00Z"));
        await using var gw = await TestGateway.StartAsync(provider, o => o.Clock = clock);
        var fleetStore = gw.Gateway.Services.GetRequiredService<FleetStore>();
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var beats = new (string Id, long Age, long Interval, string? Degraded)[]
        {
            ("T0001", 180_000, 60_000, null),      // exactly three intervals: still online
            ("T0002", 180_001, 60_000, null),      // one millisecond more: offline
            ("T0003", 180_000, 60_000, "scanner"), // degraded at the edge
            ("T0004", 180_001, 60_000, "scanner"), // offline wins over degraded
            ("T0005", 899_999, 300_000, null),     // a longer interval of its own
            ("T0006", 10_000_000, 60_000, null),   // long gone, and revoked below: revoked wins
        };
        foreach (var (id, age, interval, degraded) in beats)
        {
            await gw.Gateway.RegisterDeviceAsync(id);
            long at = now - age;
            await fleetStore.RecordHeartbeatAsync(new DeviceHealthRecord(id, at, at, interval, "1.0.0", degraded, "{}", 1), new HeartbeatPoint(at, 10, 50_000, -60, degraded));
        }
        await gw.Gateway.Devices.RevokeAsync("T0006");
        var fleet = gw.Gateway.Services.GetRequiredService<FleetQuery>();
        var all = await fleet.ListAsync(new FleetFilter(), null);
        foreach (string status in FleetQuery.Statuses)
        {
            var filtered = (await fleet.ListAsync(new FleetFilter(Status: status), null)).Rows.Select(r => r.DeviceId);
            Assert.Equal(all.Rows.Where(r => r.Status == status).Select(r => r.DeviceId), filtered);
            Assert.Equal(all.Counts[status], filtered.Count());
        }
        Assert.Equal(new[] { "online", "offline", "degraded", "offline", "online", "revoked" }, all.Rows.Select(r => r.Status));
    }
}
