using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.EndOfDay;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.Storage;
using static Terminal.Benchmarks.Gateway.GatewayLatencyHarness;

namespace Terminal.Benchmarks.OperationsConsole;

/// <summary>
/// The console's pages at scale (docs/benchmarks/console.md): an embedded gateway on SQLite (or PostgreSQL with
/// <c>--postgres "connection string"</c>) seeded by <see cref="ConsoleSeed"/> with 10,000 terminals and 1,000,000
/// payments; a signed-in client fetches each measured page (the whole request: cookie check, query, rendering) in
/// rotation with <c>GET /healthz</c> on the same keep-alive connection as the reference, and prints p50 / p95 / p99.
/// </summary>
public static partial class ConsoleHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int devices = IntArg(args, "--devices", 10_000);
        int payments = IntArg(args, "--payments", 1_000_000);
        int requests = IntArg(args, "--requests", 100);
        string? postgres = StringArg(args, "--postgres");
        string? keptFile = StringArg(args, "--db");
        string? only = StringArg(args, "--only");
        // The gateway's "now" is 23:00 UTC of the latest day that reached it: the Overview's "today" and the totals of
        // today hold 23 hours of payments (the most they get) whenever the harness runs, so runs compare.
        var realNow = DateTimeOffset.UtcNow;
        var evening = new DateTimeOffset(realNow.UtcDateTime.Date.AddHours(23), TimeSpan.Zero);
        if (evening > realNow) evening = evening.AddDays(-1);
        var clock = new ShiftedClock { Shift = evening - realNow };
        using var merchantKey = RSA.Create(2048);
        using var antomKey = RSA.Create(2048);
        string dbFile = keptFile ?? Path.Combine(Path.GetTempPath(), "gw-console-bench-" + Guid.NewGuid().ToString("N") + ".db");
        var options = new GatewayOptions
        {
            KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Database = postgres == null
                ? new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + dbFile }
                : new DatabaseOptions { Provider = "postgres", ConnectionString = postgres, CommandTimeoutSeconds = 1800 }, // the seed writes a million rows a statement
            Antom = new AntomOptions
            {
                BaseUrl = "https://127.0.0.1:9/",
                ClientId = "SANDBOX_BENCH0001",
                MerchantPrivateKey = Convert.ToBase64String(merchantKey.ExportPkcs8PrivateKey()),
                AntomPublicKey = Convert.ToBase64String(antomKey.ExportSubjectPublicKeyInfo()),
            },
            Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S100" },
            AdminToken = AdminToken,
            Clock = clock,
            ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
        };
        try
        {
            await using var gateway = await GatewayHost.StartAsync(options);
            var database = gateway.Services.GetRequiredService<GatewayDatabase>();
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var seeding = Stopwatch.StartNew();
            bool reused = false;
            if (await ConsoleSeed.SeededAtAsync(database) is { } seededAt)
            {
                reused = true;
                clock.Shift += TimeSpan.FromMilliseconds(seededAt - now);
                now = seededAt;
            }
            else
            {
                await ConsoleSeed.RunAsync(database, devices, payments, now);
                await gateway.Services.GetRequiredService<ConsoleUsers>().AddAsync("bench", ConsoleRoles.Operator, "benchmark password");
            }
            System.Console.WriteLine($"console harness: {database.Provider}, {devices:N0} terminals, {payments:N0} payments {(reused ? "found seeded before" : $"seeded in {seeding.Elapsed.TotalSeconds:0.0} s")}; {requests} requests per page");
            System.Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}");

            var cookies = new CookieContainer();
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = gateway.AdminBaseUri };
            // The console ignores the bearer header and the admin API the cookie: one client serves both.
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminToken);
            await SignInAsync(http);

            string day = DateTimeOffset.FromUnixTimeMilliseconds(now - 3 * ConsoleSeed.Day).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            string dayEnd = DateTimeOffset.FromUnixTimeMilliseconds(now - 2 * ConsoleSeed.Day).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            string totalsDay = DateTimeOffset.FromUnixTimeMilliseconds(now - 3 * ConsoleSeed.Day).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            string weekStart = DateTimeOffset.FromUnixTimeMilliseconds(now - 9 * ConsoleSeed.Day).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            string today = DateTimeOffset.FromUnixTimeMilliseconds(now).UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            string deep = await CursorAfterPagesAsync(http, "/console/transactions", 200);
            string terminal = "T" + (100_000 + devices / 2), store = "S" + (100 + devices / 2 % (devices / 100 + 1));
            int middle = payments / 2 / 100 * 100; // a successful payment (n % 100 < 93)
            var queries = gateway.Services.GetRequiredService<EndOfDayQueries>();
            var totalsDate = DateOnly.ParseExact(totalsDay, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var probes = new List<Probe>();
            void Page(string name, string path) => probes.Add(new Probe(name, () => CallAsync(http, path), async () => Rows(path, await http.GetStringAsync(path))));
            Page("GET /healthz (reference)", "/healthz");
            Page("Overview", "/console");
            Page("Fleet, first page", "/console/fleet");
            Page("Fleet, offline only", "/console/fleet?status=offline");
            Page("Fleet, one store", "/console/fleet?store=" + store);
            Page("Transactions, newest", "/console/transactions");
            Page("Transactions, page 201 (cursor)", "/console/transactions?cursor=" + Uri.EscapeDataString(deep));
            Page("Transactions, one store", "/console/transactions?store=" + store);
            Page("Transactions, one terminal", "/console/transactions?device=" + terminal);
            Page("Transactions, status FAIL", "/console/transactions?status=FAIL");
            Page("Transactions, exact amount", "/console/transactions?amount=12345");
            Page("Transactions, one day", "/console/transactions?from=" + day + "&to=" + dayEnd);
            Page("Transactions, by reference", "/console/transactions?reference=R" + (payments * 7 / 9));
            Page("Transactions, by paymentId", "/console/transactions?paymentId=PID" + (50_000_000 + middle));
            Page("Transactions, store + status PENDING", "/console/transactions?store=" + store + "&status=PENDING");
            Page("Transaction page (timeline)", "/console/transactions/PR" + (10_000_000 + middle));
            Page("Terminal page", "/console/devices/" + terminal);
            string deepTotals = await TotalsCursorAfterPagesAsync(http, "/admin/end-of-day/" + totalsDay + "/totals?limit=" + EndOfDayQueries.PageLines, 50);
            Page("End of day page, whole fleet (first 100 lines)", "/console/end-of-day?day=" + totalsDay);
            Page("End of day page, whole fleet, page 51", "/console/end-of-day?day=" + totalsDay + "&after=" + Uri.EscapeDataString(deepTotals));
            Page("End of day page, today so far", "/console/end-of-day?day=" + today);
            Page("End of day page, a week", "/console/end-of-day?day=" + weekStart + "&to=" + totalsDay);
            Page("Day totals, first 100 lines (admin API, JSON)", "/admin/end-of-day/" + totalsDay + "/totals?limit=" + EndOfDayQueries.PageLines);
            Page("Day totals, one store (admin API, JSON)", "/admin/end-of-day/" + totalsDay + "/totals?store=" + store);
            Page("Day totals, all 10,000 lines (admin API, JSON: the export)", "/admin/end-of-day/" + totalsDay + "/totals");
            Page("Day totals, all 10,000 lines (admin API, CSV: the export)", "/admin/end-of-day/" + totalsDay + "/totals.csv");
            Page("Day totals, all 10,000 lines (console, CSV: the export)", "/console/end-of-day/csv?day=" + totalsDay);
            probes.Add(new Probe("Day totals, first page (EndOfDayQueries only)", async () =>
            {
                long start = Stopwatch.GetTimestamp();
                await queries.TotalsPageAsync(new TotalsFilter(totalsDate, totalsDate), null);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }, async () => (await queries.TotalsPageAsync(new TotalsFilter(totalsDate, totalsDate), null)).Lines.Count));
            if (only != null) probes.RemoveAll(p => p.Name != "GET /healthz (reference)" && !p.Name.Contains(only, StringComparison.OrdinalIgnoreCase));
            foreach (var probe in probes) await probe.Call(); // warm-up, and every page must answer 200
            var timings = probes.Select(_ => new List<double>(requests)).ToArray();
            var cpu = new double[probes.Count];
            for (int i = 0; i < requests; i++)
            {
                for (int k = 0; k < probes.Count; k++)
                {
                    int p = (i + k) % probes.Count;
                    double cpuBefore = ProcessCpuMs();
                    timings[p].Add(await probes[p].Call());
                    cpu[p] += ProcessCpuMs() - cpuBefore;
                }
            }
            System.Console.WriteLine($"load average at the end: {LoadAverage()}");
            System.Console.WriteLine();
            System.Console.WriteLine("| measured | p50 ms | p95 ms | p99 ms | CPU ms per request (mean) | rows |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            for (int p = 0; p < probes.Count; p++)
            {
                var t = timings[p];
                t.Sort();
                System.Console.WriteLine($"| {probes[p].Name} | {P(t, 50):0.0} | {P(t, 95):0.0} | {P(t, 99):0.0} | {cpu[p] / requests:0.0} | {await probes[p].Rows()} |");
            }
            return 0;
        }
        finally
        {
            if (keptFile == null)
            {
                foreach (string suffix in new[] { "", "-wal", "-shm" })
                    if (File.Exists(dbFile + suffix)) File.Delete(dbFile + suffix);
            }
        }
    }

    private const string AdminToken = "console-benchmark-admin-token";

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }

    /// <summary>One measured thing: a call that returns its time in ms, and how many rows it shows.</summary>
    private sealed record Probe(string Name, Func<Task<double>> Call, Func<Task<int>> Rows);

    private static int Rows(string path, string body) => path.Contains("csv", StringComparison.Ordinal) ? Regex.Count(body, "\r\n") - 1 // less the header
        : path.StartsWith("/admin/", StringComparison.Ordinal)
        ? Regex.Count(body, "\"deviceId\"") - 1 // less the filter's own deviceId
        : path.StartsWith("/console/end-of-day", StringComparison.Ordinal) ? Regex.Count(body, "<td><a href=\"/console/devices/")
        : Math.Max(0, Regex.Count(body, "<tr>") - Regex.Count(body, "<thead>"));

    /// <summary>User + system CPU time of this process (every thread: client, server, database) in ms, from getrusage(2):
    /// microsecond resolution, where /proc's figures count 10 ms ticks.</summary>
    private static double ProcessCpuMs()
    {
        if (GetRUsage(0, out var u) != 0) return 0;
        return (u.UserSeconds + u.SystemSeconds) * 1000.0 + (u.UserMicroseconds + u.SystemMicroseconds) / 1000.0;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, out RUsage usage);

    private static async Task SignInAsync(HttpClient http)
    {
        string form = await http.GetStringAsync("/console/login");
        string token = TokenPattern().Match(form).Groups[1].Value;
        using var response = await http.PostAsync("/console/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "bench", ["password"] = "benchmark password", ["__csrf"] = token,
        }));
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {(int)response.StatusCode}");
    }

    /// <summary>Follows the "Older" link <paramref name="pages"/> times; returns the cursor reached.</summary>
    private static async Task<string> CursorAfterPagesAsync(HttpClient http, string path, int pages)
    {
        string cursor = "";
        for (int i = 0; i < pages; i++)
        {
            string body = await http.GetStringAsync(path + (cursor.Length == 0 ? "" : "?cursor=" + Uri.EscapeDataString(cursor)));
            cursor = WebUtility.UrlDecode(WebUtility.HtmlDecode(CursorPattern().Match(body).Groups[1].Value));
        }
        return cursor;
    }

    /// <summary>Follows the admin API's totals cursor <paramref name="pages"/> times; returns the cursor reached.</summary>
    private static async Task<string> TotalsCursorAfterPagesAsync(HttpClient http, string path, int pages)
    {
        string cursor = "";
        for (int i = 0; i < pages; i++)
        {
            var page = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(path + (cursor.Length == 0 ? "" : "&after=" + Uri.EscapeDataString(cursor))))!;
            cursor = (string?)page["next"] ?? throw new InvalidOperationException($"the totals end after {i + 1} pages");
        }
        return cursor;
    }

    private static async Task<double> CallAsync(HttpClient http, string path)
    {
        long start = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: the run measures nothing");
        return ms;
    }

    private static string? StringArg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("cursor=([^\"&]+)\">Older")]
    private static partial Regex CursorPattern();
}
