using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
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
        using var merchantKey = RSA.Create(2048);
        using var antomKey = RSA.Create(2048);
        string dbFile = Path.Combine(Path.GetTempPath(), "gw-console-bench-" + Guid.NewGuid().ToString("N") + ".db");
        var options = new GatewayOptions
        {
            KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Database = postgres == null
                ? new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + dbFile }
                : new DatabaseOptions { Provider = "postgres", ConnectionString = postgres },
            Antom = new AntomOptions
            {
                BaseUrl = "https://127.0.0.1:9/",
                ClientId = "SANDBOX_BENCH0001",
                MerchantPrivateKey = Convert.ToBase64String(merchantKey.ExportPkcs8PrivateKey()),
                AntomPublicKey = Convert.ToBase64String(antomKey.ExportSubjectPublicKeyInfo()),
            },
            Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S100" },
            ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
        };
        try
        {
            await using var gateway = await GatewayHost.StartAsync(options);
            var database = gateway.Services.GetRequiredService<GatewayDatabase>();
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var seeding = Stopwatch.StartNew();
            await ConsoleSeed.RunAsync(database, devices, payments, now);
            System.Console.WriteLine($"console harness: {database.Provider}, {devices:N0} terminals, {payments:N0} payments seeded in {seeding.Elapsed.TotalSeconds:0.0} s; {requests} requests per page");
            System.Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}");
            await gateway.Services.GetRequiredService<ConsoleUsers>().AddAsync("bench", ConsoleRoles.Operator, "benchmark password");

            var cookies = new CookieContainer();
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = gateway.AdminBaseUri };
            await SignInAsync(http);

            string day = DateTimeOffset.FromUnixTimeMilliseconds(now - 3 * ConsoleSeed.Day).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            string dayEnd = DateTimeOffset.FromUnixTimeMilliseconds(now - 2 * ConsoleSeed.Day).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            string deep = await CursorAfterPagesAsync(http, "/console/transactions", 200);
            string terminal = "T" + (100_000 + devices / 2), store = "S" + (100 + devices / 2 % (devices / 100 + 1));
            int middle = payments / 2 / 100 * 100; // a successful payment (n % 100 < 93)
            var pages = new (string Name, string Path)[]
            {
                ("GET /healthz (reference)", "/healthz"),
                ("Overview", "/console"),
                ("Fleet, first page", "/console/fleet"),
                ("Fleet, offline only", "/console/fleet?status=offline"),
                ("Fleet, one store", "/console/fleet?store=" + store),
                ("Transactions, newest", "/console/transactions"),
                ("Transactions, page 201 (cursor)", "/console/transactions?cursor=" + Uri.EscapeDataString(deep)),
                ("Transactions, one store", "/console/transactions?store=" + store),
                ("Transactions, one terminal", "/console/transactions?device=" + terminal),
                ("Transactions, status FAIL", "/console/transactions?status=FAIL"),
                ("Transactions, exact amount", "/console/transactions?amount=12345"),
                ("Transactions, one day", "/console/transactions?from=" + day + "&to=" + dayEnd),
                ("Transactions, by reference", "/console/transactions?reference=R" + (payments * 7 / 9)),
                ("Transactions, by paymentId", "/console/transactions?paymentId=PID" + (50_000_000 + middle)),
                ("Transactions, store + status PENDING", "/console/transactions?store=" + store + "&status=PENDING"),
                ("Transaction page (timeline)", "/console/transactions/PR" + (10_000_000 + middle)),
                ("Terminal page", "/console/devices/" + terminal),
            };
            foreach (var (_, path) in pages) await CallAsync(http, path); // warm-up, and every page must answer 200
            var timings = pages.Select(_ => new List<double>(requests)).ToArray();
            for (int i = 0; i < requests; i++)
            {
                for (int k = 0; k < pages.Length; k++)
                {
                    int p = (i + k) % pages.Length;
                    timings[p].Add(await CallAsync(http, pages[p].Path));
                }
            }
            System.Console.WriteLine();
            System.Console.WriteLine("| page | p50 ms | p95 ms | p99 ms | rows on the page |");
            System.Console.WriteLine("|---|---:|---:|---:|---:|");
            for (int p = 0; p < pages.Length; p++)
            {
                var t = timings[p];
                t.Sort();
                string body = await (await http.GetAsync(pages[p].Path)).Content.ReadAsStringAsync();
                int rows = Regex.Count(body, "<tr>") - Regex.Count(body, "<thead>");
                System.Console.WriteLine($"| {pages[p].Name} | {P(t, 50):0.0} | {P(t, 95):0.0} | {P(t, 99):0.0} | {Math.Max(0, rows)} |");
            }
            return 0;
        }
        finally
        {
            foreach (string suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(dbFile + suffix)) File.Delete(dbFile + suffix);
        }
    }

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
