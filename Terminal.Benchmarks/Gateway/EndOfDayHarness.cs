using System.Diagnostics;
using System.Globalization;
using System.Text;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.Storage;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// End of day at volume (docs/benchmarks/end-of-day.md): seeds a database with a day of N transactions (and as many on
/// the day before and after, so the day is a range inside a larger table), then times the day's totals and the
/// reconciliation of the day with an Antom transaction details report of the same records. References measured in the
/// same run: COUNT(*) of the day's payments (the least any read of the day costs) for the totals, parsing the report
/// alone for the reconciliation.
/// <c>dotnet run -c Release --project Terminal.Benchmarks -- end-of-day [--transactions N] [--postgres "connection string"]</c>
/// </summary>
public static class EndOfDayHarness
{
    private static readonly DateOnly Day = new(2026, 12, 3);
    private const int Devices = 200;
    private const int Stores = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        int n = 100_000;
        string? postgres = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--transactions") n = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            else if (args[i] == "--postgres") postgres = args[i + 1];
        }
        string? file = postgres == null ? Path.Combine(Directory.CreateTempSubdirectory("eod-").FullName, "gateway.db") : null;
        await using var database = postgres == null
            ? new GatewayDatabase(DatabaseProvider.Sqlite, "Data Source=" + file)
            : new GatewayDatabase(DatabaseProvider.Postgres, postgres);
        await Migrator.MigrateAsync(database, 1);
        var options = new GatewayOptions { EndOfDay = new EndOfDayOptions { TimeZone = "Asia/Singapore" } };
        var queries = EndOfDayQueries.For(database, options, TimeProvider.System);

        var seeding = Stopwatch.StartNew();
        var report = new StringBuilder("customerId,PSP,transactionId,originalTransactionId,transactionRequestId,transactionType,transactionTime,transactionAmountValue,transactionCurrency\n");
        foreach (var (day, offset) in new[] { (Day.AddDays(-1), 0), (Day, 1), (Day.AddDays(1), 2) })
            await SeedDayAsync(database, queries.Calendar, day, offset * n, n, day == Day ? report : null);
        report.Append("<END>\n");
        byte[] reportBytes = Encoding.UTF8.GetBytes(report.ToString());
        Console.WriteLine($"end-of-day: {database.Provider}, {3 * n:N0} payments over 3 days ({n:N0} on {Day:yyyy-MM-dd}), seeded in {seeding.Elapsed.TotalSeconds:0.0} s; report {reportBytes.Length / 1024.0 / 1024.0:0.0} MB");

        var (start, end) = queries.Calendar.Bounds(Day);
        var count = await TimeAsync(10, async () =>
        {
            await using var c = await database.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM payments WHERE created_at >= {start} AND created_at < {end}";
            await cmd.ExecuteScalarAsync();
        });
        DayTotalsReport? totals = null;
        var totalsTime = await TimeAsync(10, async () => totals = await queries.TotalsAsync(new TotalsFilter(Day, Day)));
        var parse = await TimeAsync(3, () => { AntomTransactionReport.Parse(reportBytes, int.MaxValue); return Task.CompletedTask; });
        ReconciliationReport? reconciled = null;
        var reconcile = await TimeAsync(3, async () => reconciled = await queries.ReconcileAsync(Day, reportBytes));

        Console.WriteLine($"  reference COUNT(*) of the day   median {count.Median,8:0.0} ms  max {count.Max,8:0.0} ms  allocated {count.Allocated / 1024.0,10:0} KB");
        Console.WriteLine($"  day totals ({totals!.Lines.Count} lines)       median {totalsTime.Median,8:0.0} ms  max {totalsTime.Max,8:0.0} ms  allocated {totalsTime.Allocated / 1024.0,10:0} KB  = {totalsTime.Median / count.Median:0.0} x reference");
        Console.WriteLine($"  reference: parse the report     median {parse.Median,8:0.0} ms  max {parse.Max,8:0.0} ms  allocated {parse.Allocated / 1024.0 / 1024.0,10:0.0} MB");
        Console.WriteLine($"  reconcile the day               median {reconcile.Median,8:0.0} ms  max {reconcile.Max,8:0.0} ms  allocated {reconcile.Allocated / 1024.0 / 1024.0,10:0.0} MB  = {reconcile.Median / parse.Median:0.0} x parse");
        Console.WriteLine($"  {reconciled!.ReportRows:N0} report rows, {reconciled.GatewayPayments:N0} payments and {reconciled.GatewayRefunds:N0} refunds, {reconciled.Mismatches.Count} mismatch(es)");
        if (file != null) Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return reconciled.Clean ? 0 : 1;
    }

    /// <summary>One day of <paramref name="n"/> payments: 85% paid, 5% voided, 10% failed; a refund for every 20th paid one.</summary>
    private static async Task SeedDayAsync(GatewayDatabase database, BusinessCalendar calendar, DateOnly day, int first, int n, StringBuilder? report)
    {
        var (start, end) = calendar.Bounds(day);
        long step = (end - start) / n;
        await using var connection = await database.OpenAsync();
        const int Batch = 500;
        for (int b = 0; b < n; b += Batch)
        {
            var payments = new StringBuilder("INSERT INTO payments (payment_request_id, device_id, reference_merchant_id, reference_store_id, currency, amount_minor, payment_id, status, created_at, updated_at) VALUES ");
            var refunds = new StringBuilder();
            for (int i = b; i < Math.Min(n, b + Batch); i++)
            {
                int k = first + i;
                long at = start + i * step;
                long amount = 100 + k % 9_900;
                string status = (k % 20) switch { 0 or 1 => "FAIL", 2 => "CANCELLED", _ => "SUCCESS" };
                if (i > b) payments.Append(',');
                payments.Append(CultureInfo.InvariantCulture, $"('P{k}', 'T{k % Devices:0000}', 'M001', 'S{k % Stores:000}', 'USD', {amount}, 'A{k}', '{status}', {at}, {at})");
                string time = calendar.LocalTime(at);
                string major = (amount / 100m).ToString("F2", CultureInfo.InvariantCulture);
                if (status != "FAIL") report?.Append(CultureInfo.InvariantCulture, $"M001,Antom,A{k},,P{k},PAYMENT,{time},{major},USD\n");
                if (status == "CANCELLED") report?.Append(CultureInfo.InvariantCulture, $"M001,Antom,A{k},A{k},P{k},CANCEL,{time},{major},USD\n");
                if (status == "SUCCESS" && k % 20 == 5)
                {
                    refunds.Append(refunds.Length == 0 ? "INSERT INTO refunds (refund_request_id, device_id, payment_id, currency, amount_minor, refund_id, status, created_at, updated_at) VALUES " : ",");
                    refunds.Append(CultureInfo.InvariantCulture, $"('R{k}', 'T{k % Devices:0000}', 'A{k}', 'USD', 50, 'F{k}', 'SUCCESS', {at + 1}, {at + 1})");
                    report?.Append(CultureInfo.InvariantCulture, $"M001,Antom,F{k},A{k},R{k},REFUND,{time},0.50,USD\n");
                }
            }
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = payments + ";" + refunds;
            await cmd.ExecuteNonQueryAsync();
        }
        if (database.Provider == DatabaseProvider.Postgres)
        {
            foreach (string table in new[] { "payments", "refunds" })
            {
                await using var analyze = connection.CreateCommand();
                analyze.CommandText = "VACUUM ANALYZE " + table; // one statement per command: VACUUM refuses a batch
                await analyze.ExecuteNonQueryAsync();
            }
        }
    }

    private sealed record Timing(double Median, double Max, long Allocated);

    /// <summary>One warm-up, then <paramref name="runs"/> timed runs; allocation is the average per run (all threads).</summary>
    private static async Task<Timing> TimeAsync(int runs, Func<Task> action)
    {
        await action();
        var times = new List<double>();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        long allocated = (GC.GetTotalAllocatedBytes(precise: true) - before) / runs;
        times.Sort();
        return new Timing(times[times.Count / 2], times[^1], allocated);
    }
}
