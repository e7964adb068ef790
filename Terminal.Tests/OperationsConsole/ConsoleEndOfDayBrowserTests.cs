using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Terminal.AntomEmulator;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.OperationsConsole.Rendering;
using Terminal.Gateway.PaymentState;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Browser;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>
/// The console's End-of-day pages in headless chromium against the real chain: two terminals sell, void, refund and
/// are declined; the day's page and its CSV export (downloaded by the browser) carry the numbers of the gateway's
/// records, the CSV byte for byte the admin API's (and so `day totals --csv`'s); the emulator's transaction details
/// report uploaded on the reconciliation page reconciles clean, one without its refund row lists that refund, a
/// truncated one is refused. Screenshots go to artifacts/screenshots/console/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleEndOfDayBrowserTests(HeadlessChromium chromium) : IAsyncLifetime
{
    private const string Group = "console";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [BrowserFact]
    public async Task A_days_totals_and_their_csv_are_the_records_and_the_emulators_report_reconciles_on_the_page()
    {
        var zone = NoonZone(DateTimeOffset.UtcNow);
        await using var rig = await ConsoleRig.StartAsync(configure: o => o.EndOfDay.TimeZone = zone.Id);
        var first = rig.Rig.NewTerminal(await rig.Rig.RegisterAsync("T0001"));
        var second = rig.Rig.NewTerminal(await rig.Rig.RegisterAsync("T0002"));
        var wallet = rig.Rig.Emulator.Wallet;
        Assert.Equal(FinalStatus.Success, (await first.SaleAsync(TransactionKind.SalePaymentCode, 1250, "E-1", wallet.IssuePaymentCode()).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await first.SaleAsync(TransactionKind.SalePaymentCode, 990, "E-2", wallet.IssuePaymentCode()).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Failed, (await first.SaleAsync(TransactionKind.SalePaymentCode, 800, "E-3", wallet.IssuePaymentCode(PaymentCodeOutcome.Decline())).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await Task.Run(() => first.Engine.Void("E-2")).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await Task.Run(() => first.Engine.Refund("E-1", 500)).WaitAsync(Patience)).Status);
        Assert.Equal(FinalStatus.Success, (await second.SaleAsync(TransactionKind.SalePaymentCode, 3000, "E-4", wallet.IssuePaymentCode()).WaitAsync(Patience)).Status);

        var day = rig.Rig.Gateway.EndOfDay.Today;
        string date = BusinessCalendar.Format(day);
        var expected = await ExpectedCsvLinesAsync(rig, date, zone.Id);
        // What the terminals did, so the comparison below cannot pass on empty records.
        Assert.Equal(new[] { $"{date},{zone.Id},S001,T0001,USD,1,1250,1,990,1,500,750,1,0", $"{date},{zone.Id},S001,T0002,USD,1,3000,0,0,0,0,3000,0,0" }, expected);

        var page = await chromium.NewPageAsync(1280, 900);
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        await PageReading.FollowLinkAsync(page, "End of day");
        Assert.Equal(date, await page.InputValueAsync("input[name=day]"));
        Assert.Contains("USD 37.50 net", await PageReading.TextAsync(page, "div.cards"));
        Assert.NotNull(await page.QuerySelectorAsync("svg.chart"));
        await Artifacts.ScreenshotAsync(page, Group, "end-of-day");

        // The CSV as the browser downloads it: the records' numbers, and the admin API's file byte for byte.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Download CSV", Exact = true }).ClickAsync(),
            new PageRunAndWaitForDownloadOptions { Timeout = 60_000 });
        Assert.Equal($"day-totals_{date}_{date}.csv", download.SuggestedFilename);
        string csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        string[] records = csv.Split("\r\n");
        Assert.Equal(string.Join(',', DayTotalsExport.CsvColumns), records[0]);
        Assert.Equal(expected, records[1..^1]);
        Assert.Equal("", records[^1]); // CRLF after the last record
        Assert.Equal(await AdminCsvAsync(rig, date), csv);

        // The page shows the same numbers as the file, line by line.
        var rows = await PageReading.TextsAsync(page, "table.totals tbody tr:not(.total)");
        Assert.Equal(expected.Count, rows.Count);
        foreach (string record in expected)
        {
            string[] f = record.Split(',');
            string row = Assert.Single(rows, r => r.Contains(" " + f[3] + " ", StringComparison.Ordinal));
            Assert.Equal($"{f[0]} {f[2]} {f[3]} {f[4]} {f[5]} {Money(f[6])} {f[7]} {Money(f[8])} {f[9]} {Money(f[10])} {Money(f[11])} {f[12]} {f[13]}", row);
        }

        // Reconciliation with the emulator's transaction details report for the day, uploaded as an operator would.
        await PageReading.FollowLinkAsync(page, "Reconcile with Antom's report…");
        Assert.Equal(date, await page.InputValueAsync("input[name=day]"));
        string report = TransactionDetailsReport.Build(rig.Rig.Emulator.Records, EndToEndRig.MerchantClientId, day, zone);
        await UploadAsync(page, TransactionDetailsReport.FileName(day), report);
        Assert.Contains("clean, every transaction is on both sides", await PageReading.TextAsync(page, "[role=status]"));
        Assert.Contains("5 rows in Antom's report", await PageReading.TextAsync(page, "div.cards")); // PAYMENT x3, CANCEL, REFUND
        Assert.Equal(0, await page.Locator("table.mismatches").CountAsync());
        await Artifacts.ScreenshotAsync(page, Group, "reconciliation");

        // Negative control: the same report without its REFUND row lists that refund as missing at Antom.
        var refund = Assert.Single(await rig.Rig.Gateway.Store.ListRefundsAsync());
        string withoutRefund = string.Join('\n', report.Split('\n').Where(l => !l.Contains(",REFUND,", StringComparison.Ordinal)));
        await UploadAsync(page, "without-refund.csv", withoutRefund);
        Assert.Contains("1 mismatch(es)", await PageReading.TextAsync(page, "[role=status]"));
        string mismatch = Assert.Single(await PageReading.TextsAsync(page, "table.mismatches tbody tr.mismatch"));
        Assert.StartsWith($"missing_in_antom REFUND {refund.RefundRequestId} ", mismatch);
        Assert.Contains("T0001 S001 USD 5.00 — SUCCESS", mismatch);
        Assert.Contains("not in Antom's report", Assert.Single(await PageReading.TextsAsync(page, "table.mismatches tbody tr.reason")));
        await Artifacts.ScreenshotAsync(page, Group, "reconciliation-mismatch");

        // A truncated download (no <END> line) is refused whole, not half compared.
        await UploadAsync(page, "truncated.csv", report.Replace("<END>", "", StringComparison.Ordinal));
        Assert.StartsWith("Report refused, nothing compared:", await PageReading.TextAsync(page, "[role=alert]"));
        Assert.Equal(0, await page.Locator("table.mismatches").CountAsync());
        Assert.Empty(dialogs);

        var audit = await rig.Rig.Gateway.Services.GetRequiredService<AuditLog>().ListAsync(null, 50, ConsoleRig.OperatorName);
        Assert.Equal(date, Assert.Single(audit, e => e.Action == AuditLog.DayExport).Subject);
        Assert.Equal(3, audit.Count(e => e.Action == AuditLog.Reconcile && e.Subject == date));
    }

    [BrowserFact]
    public async Task A_viewer_reads_the_day_and_a_bad_selection_is_explained_not_run()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var page = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(page, ConsoleRig.ViewerName);
        var answer = await rig.GoAsync(page, "/console/end-of-day?day=2026-12-01&to=2026-12-03");
        Assert.Equal(200, answer!.Status);
        Assert.Equal("No payments or refunds in this selection.", await PageReading.TextAsync(page, "p.empty"));
        Assert.Null(await page.QuerySelectorAsync("a[href*=reconcile]")); // a range is not reconciled as one day

        await rig.GoAsync(page, "/console/end-of-day?day=2026-12-01&to=2027-01-15");
        Assert.Equal("A report covers at most 31 days.", await PageReading.TextAsync(page, "[role=alert]"));
        await rig.GoAsync(page, "/console/end-of-day?day=2026-12-01&device=" + Uri.EscapeDataString("T1' OR '1'='1"));
        Assert.StartsWith("Terminal:", await PageReading.TextAsync(page, "[role=alert]"));
        var csv = await rig.GoAsync(page, "/console/end-of-day/csv?day=yesterday");
        Assert.Equal(200, csv!.Status);
        Assert.Equal("Day: a date as yyyy-MM-dd.", await PageReading.TextAsync(page, "[role=alert]"));
        var unknown = await page.Context.APIRequest.GetAsync(rig.Url("/console/end-of-day/xlsx"));
        Assert.Equal(404, unknown.Status);
    }

    /// <summary>
    /// A fixed-offset zone in which <paramref name="now"/> is within an hour of noon: the test's records then never
    /// straddle the business day's midnight, whenever CI runs it.
    /// </summary>
    private static TimeZoneInfo NoonZone(DateTimeOffset now)
    {
        int offset = 12 - now.UtcDateTime.Hour; // -11..12
        return TimeZoneInfo.FindSystemTimeZoneById(offset switch { 0 => "Etc/GMT", > 0 => $"Etc/GMT-{offset}", _ => $"Etc/GMT+{-offset}" });
    }

    /// <summary>The CSV records the gateway's payments and refunds make, per terminal, counted here from the records themselves.</summary>
    private static async Task<List<string>> ExpectedCsvLinesAsync(ConsoleRig rig, string date, string zone)
    {
        var payments = await rig.Rig.Gateway.Store.ListPaymentsAsync();
        var refunds = await rig.Rig.Gateway.Store.ListRefundsAsync();
        return payments.Select(p => p.DeviceId).Concat(refunds.Select(r => r.DeviceId)).Distinct().Order(StringComparer.Ordinal).Select(device =>
        {
            var p = payments.Where(x => x.DeviceId == device).ToList();
            var sales = p.Where(x => x.Status == PaymentStatuses.Success).ToList();
            var voids = p.Where(x => x.Status == PaymentStatuses.Cancelled).ToList();
            var refunded = refunds.Where(x => x.DeviceId == device && x.Status == PaymentStatuses.Success).ToList();
            int failed = p.Count(x => x.Status == PaymentStatuses.Fail);
            int open = p.Count(x => x.Status is PaymentStatuses.Pending or PaymentStatuses.Processing)
                + refunds.Count(x => x.DeviceId == device && x.Status is PaymentStatuses.Pending or PaymentStatuses.Processing);
            long net = sales.Sum(x => x.AmountMinor) - refunded.Sum(x => x.AmountMinor);
            return $"{date},{zone},S001,{device},USD,{sales.Count},{sales.Sum(x => x.AmountMinor)},{voids.Count},{voids.Sum(x => x.AmountMinor)}," +
                $"{refunded.Count},{refunded.Sum(x => x.AmountMinor)},{net},{failed},{open}";
        }).ToList();
    }

    private static async Task<string> AdminCsvAsync(ConsoleRig rig, string date)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(rig.Rig.Gateway.AdminBaseUri, $"/admin/end-of-day/{date}/totals.csv"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminToken);
        using var response = await rig.Rig.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task UploadAsync(IPage page, string name, string report)
    {
        await page.SetInputFilesAsync("input[name=report]", new FilePayload { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(report) });
        await ConsoleRig.SubmitAsync(page, "form.filters button");
    }

    private static string Money(string minor) => ConsoleFormat.Money("USD", long.Parse(minor, System.Globalization.CultureInfo.InvariantCulture));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseAllPagesAsync();
}
