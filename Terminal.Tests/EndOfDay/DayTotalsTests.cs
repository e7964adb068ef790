using Terminal.Gateway.EndOfDay;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.EndOfDay;

/// <summary>The day's totals per day, store, device and currency, on real SQLite files and PostgreSQL, and their CSV.</summary>
public sealed class DayTotalsTests
{
    private static readonly DateOnly Day = new(2026, 12, 3);

    /// <summary>A day of one store with two devices and two currencies, plus records just outside the day.</summary>
    private static async Task SeedAsync(DayRecords records)
    {
        await records.PaymentAsync("P1", "A1", "SUCCESS", 1250, "2026-12-03T09:00:00+08:00");
        await records.PaymentAsync("P2", "A2", "SUCCESS", 320, "2026-12-03T10:00:00+08:00");
        await records.PaymentAsync("P3", "A3", "CANCELLED", 990, "2026-12-03T11:00:00+08:00");
        await records.PaymentAsync("P4", null, "FAIL", 800, "2026-12-03T12:00:00+08:00");
        await records.PaymentAsync("P5", null, "PROCESSING", 500, "2026-12-03T23:59:59+08:00");
        await records.PaymentAsync("P6", "A6", "SUCCESS", 700, "2026-12-03T13:00:00+08:00", device: "T0002");
        await records.PaymentAsync("P7", "A7", "SUCCESS", 3000, "2026-12-03T14:00:00+08:00", currency: "JPY");
        await records.PaymentAsync("P8", "A8", "SUCCESS", 100, "2026-12-03T15:00:00+08:00", store: "S002", device: "T0003");
        await records.RefundAsync("R1", "F1", "A1", "SUCCESS", 500, "2026-12-03T16:00:00+08:00");
        await records.RefundAsync("R2", null, "A2", "FAIL", 100, "2026-12-03T16:30:00+08:00");
        // Outside the day in Asia/Singapore (UTC+8), though inside 2026-12-03 in UTC: never counted.
        await records.PaymentAsync("P9", "A9", "SUCCESS", 4400, "2026-12-04T00:00:00+08:00");
        await records.PaymentAsync("P10", "A10", "SUCCESS", 5500, "2026-12-02T23:59:59+08:00");
        await records.RefundAsync("R3", "F3", "A1", "SUCCESS", 200, "2026-12-04T00:00:01+08:00");
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Totals_count_sales_voids_refunds_net_failed_and_open_per_store_device_and_currency(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, "Asia/Singapore");
        await SeedAsync(records);

        var report = await records.Queries.TotalsAsync(new TotalsFilter(Day, Day));

        var lines = report.Lines.Select(l => (l.StoreId, l.DeviceId, l.Currency, l.Figures)).ToList();
        Assert.Equal(
        [
            ("S001", "T0001", "JPY", new DayFigures(1, 3000, 0, 0, 0, 0, 0, 0)),
            ("S001", "T0001", "USD", new DayFigures(2, 1570, 1, 990, 1, 500, 1, 1)),
            ("S001", "T0002", "USD", new DayFigures(1, 700, 0, 0, 0, 0, 0, 0)),
            ("S002", "T0003", "USD", new DayFigures(1, 100, 0, 0, 0, 0, 0, 0)),
        ], lines);
        Assert.All(report.Lines, l => Assert.Equal(Day, l.Day));
        var usd = report.Of("USD");
        Assert.Equal((4L, 2370L, 500L, 1870L), (usd.SalesCount, usd.SalesMinor, usd.RefundsMinor, usd.NetMinor));
        Assert.Equal(3000, report.Of("JPY").NetMinor);
        Assert.Equal("Asia/Singapore", report.TimeZone);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_same_records_fall_on_other_days_in_another_time_zone(string provider)
    {
        // Negative control for the time zone: in UTC, P9 and R3 (just after midnight in Singapore, 16:00Z) are on
        // 2026-12-03 too, and P10 (just before midnight in Singapore) on 2026-12-02.
        await using var records = await DayRecords.CreateAsync(provider, "UTC");
        await SeedAsync(records);
        var report = await records.Queries.TotalsAsync(new TotalsFilter(Day, Day));
        Assert.Equal(2370 + 4400, report.Of("USD").SalesMinor);
        Assert.Equal(500 + 200, report.Of("USD").RefundsMinor);
        var range = await records.Queries.TotalsAsync(new TotalsFilter(Day.AddDays(-1), Day));
        Assert.Equal(2, range.Lines.Select(l => l.Day).Distinct().Count());
        Assert.Equal(2370 + 4400 + 5500, range.Of("USD").SalesMinor);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task A_store_or_device_filter_narrows_the_totals(string provider)
    {
        await using var records = await DayRecords.CreateAsync(provider, "Asia/Singapore");
        await SeedAsync(records);
        var store = await records.Queries.TotalsAsync(new TotalsFilter(Day, Day, StoreId: "S002"));
        Assert.Equal(("T0003", 100L), (Assert.Single(store.Lines).DeviceId, store.Of("USD").SalesMinor));
        var device = await records.Queries.TotalsAsync(new TotalsFilter(Day, Day, DeviceId: "T0001"));
        Assert.Equal(1570 - 500, device.Of("USD").NetMinor);
        Assert.Empty((await records.Queries.TotalsAsync(new TotalsFilter(Day, Day, DeviceId: "T9999"))).Lines);
    }

    [Fact]
    public async Task A_filter_is_checked_before_any_query()
    {
        await using var records = await DayRecords.CreateAsync("sqlite");
        await Assert.ThrowsAsync<ArgumentException>(() => records.Queries.TotalsAsync(new TotalsFilter(Day, Day.AddDays(-1))));
        await Assert.ThrowsAsync<ArgumentException>(() => records.Queries.TotalsAsync(new TotalsFilter(Day, Day.AddDays(31))));
        await Assert.ThrowsAsync<ArgumentException>(() => records.Queries.TotalsAsync(new TotalsFilter(Day, Day, StoreId: "a b")));
    }

    [Fact]
    public async Task The_CSV_has_stable_columns_minor_units_CRLF_and_no_formulas()
    {
        await using var records = await DayRecords.CreateAsync("sqlite", "Asia/Singapore");
        await SeedAsync(records);
        await records.PaymentAsync("PX", "AX", "SUCCESS", 42, "2026-12-03T17:00:00+08:00", store: "=HYPERLINK(\"http://x\",\"y\")", device: "T0004");
        await records.PaymentAsync("PY", "AY", "SUCCESS", 43, "2026-12-03T17:00:00+08:00", store: "@SUM(A1),-1", device: "T0005");
        var report = await records.Queries.TotalsAsync(new TotalsFilter(Day, Day));
        string csv = await DayTotalsExportTests.CsvAsync(records.Queries.Export(new TotalsFilter(Day, Day)));

        Assert.EndsWith("\r\n", csv);
        string[] lines = csv[..^2].Split("\r\n");
        Assert.Equal("day,time_zone,store_id,device_id,currency,sales_count,sales_minor,voids_count,voids_minor,refunds_count,refunds_minor,net_minor,failed_count,open_count", lines[0]);
        Assert.Equal(report.Lines.Count + 1, lines.Length);
        Assert.Contains("2026-12-03,Asia/Singapore,S001,T0001,USD,2,1570,1,990,1,500,1070,1,1", lines);
        // Formula-looking text is made inert with an apostrophe and quoted where RFC 4180 needs it.
        Assert.Contains("2026-12-03,Asia/Singapore,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",T0004,USD,1,42,0,0,0,0,42,0,0", lines);
        Assert.Contains("2026-12-03,Asia/Singapore,\"'@SUM(A1),-1\",T0005,USD,1,43,0,0,0,0,43,0,0", lines);
        // Read back with the project's RFC 4180 reader: every record has every column.
        var reader = new Csv.Reader(csv);
        int rows = 0;
        while (reader.Next() is { } fields)
        {
            Assert.Equal(DayTotalsExport.CsvColumns.Length, fields.Count);
            rows++;
        }
        Assert.Equal(lines.Length, rows);
    }

    [Fact]
    public void A_day_in_a_daylight_saving_zone_has_its_real_length()
    {
        var berlin = new BusinessCalendar(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var (start, end) = berlin.Bounds(new DateOnly(2026, 3, 29)); // clocks go forward: 23 hours
        Assert.Equal(23 * 3600_000L, end - start);
        (start, end) = berlin.Bounds(new DateOnly(2026, 10, 25)); // clocks go back: 25 hours
        Assert.Equal(25 * 3600_000L, end - start);
        Assert.Equal(DayRecords.Ms("2026-03-28T23:00:00Z"), berlin.Bounds(new DateOnly(2026, 3, 29)).StartMs);
        Assert.Equal(new DateOnly(2026, 3, 29), berlin.DayOf(DayRecords.Ms("2026-03-29T21:59:59Z")));
        Assert.Equal(new DateOnly(2026, 3, 30), berlin.DayOf(DayRecords.Ms("2026-03-29T22:00:00Z")));
    }
}
