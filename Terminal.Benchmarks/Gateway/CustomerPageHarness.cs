using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.CustomerPage;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Storage;
using static Terminal.Benchmarks.Gateway.GatewayLatencyHarness;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// What the customer's result page costs (docs/benchmarks/customer-page.md): an embedded gateway (HTTPS on loopback,
/// SQLite) serves a paid payment's page and an open payment's page (from the records: page inquiries off, so no
/// upstream is involved); the reference is <c>GET /healthz</c> of the same gateway over the same keep-alive connection.
/// Calls rotate through the three so that machine load hits all alike, and every answer must be 200 (the rate limit
/// is raised for the run; an unknown token is fetched once only, as the failed-lookup lockout would otherwise answer
/// every later request 429). Allocation: bytes the whole process (client and gateway) allocates per request.
/// </summary>
public static class CustomerPageHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        int requests = IntArg(args, "--requests", 2000);
        int warmup = IntArg(args, "--warmup", 300);

        using var merchantKey = RSA.Create(2048);
        using var antomKey = RSA.Create(2048);
        string dbFile = Path.Combine(Path.GetTempPath(), "gw-page-bench-" + Guid.NewGuid().ToString("N") + ".db");
        var options = new GatewayOptions
        {
            Urls = ["https://127.0.0.1:0"],
            KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + dbFile },
            Antom = new AntomOptions
            {
                BaseUrl = "https://127.0.0.1:9/", // never called: the measured pages need no inquiry
                ClientId = "SANDBOX_BENCH0001",
                MerchantPrivateKey = Convert.ToBase64String(merchantKey.ExportPkcs8PrivateKey()),
                AntomPublicKey = Convert.ToBase64String(antomKey.ExportSubjectPublicKeyInfo()),
            },
            Merchant = new MerchantOptions { ReferenceMerchantId = "M001", ReferenceStoreId = "S001", StoreName = "Harbour Tea House" },
            CustomerPage = new CustomerPageOptions { RequestsPerMinute = 10_000, MaxInquiriesPerPayment = 0, TimeZone = "Asia/Singapore" },
            ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
        };
        try
        {
            await using var gateway = await GatewayHost.StartAsync(options);
            await gateway.RegisterDeviceAsync("BENCH0001");
            string paid = await LinkAsync(gateway, "PAGE-PAID", "SUCCESS");
            string open = await LinkAsync(gateway, "PAGE-OPEN", "PROCESSING");
            string unknown = "result/" + new string('Q', LinkTokens.Length);

            using var http = new HttpClient(TrustedCa.Handler(gateway.CaCertificate!)) { BaseAddress = gateway.BaseUri };
            http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
            var paths = new[] { "healthz", paid, open };
            var names = new[] { "GET /healthz (reference)", "result page, paid", "result page, not paid yet" };

            Console.WriteLine($"customer page harness: requests={requests} per path, warmup={warmup} per path, sqlite");
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}");
            foreach (string path in paths.Append(unknown))
            {
                using var response = await http.GetAsync(path);
                Console.WriteLine($"{path,-32} {(int)response.StatusCode} {(await response.Content.ReadAsByteArrayAsync()).Length,5} bytes of body");
            }

            for (int i = 0; i < warmup; i++)
                foreach (string path in paths) await CallAsync(http, path);

            var timings = paths.Select(_ => new List<double>(requests)).ToArray();
            for (int i = 0; i < requests; i++)
            {
                for (int k = 0; k < paths.Length; k++)
                {
                    int p = (i + k) % paths.Length; // rotate which path goes first
                    timings[p].Add(await CallAsync(http, paths[p]));
                }
            }

            Console.WriteLine();
            Console.WriteLine("| path | p50 ms | p90 ms | p99 ms | mean ms | p50 / reference p50 | bytes allocated per request |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var t in timings) t.Sort();
            for (int p = 0; p < paths.Length; p++)
            {
                long allocated = await AllocatedPerCallAsync(http, paths[p], 300);
                var t = timings[p];
                Console.WriteLine($"| {names[p]} | {P(t, 50):0.00} | {P(t, 90):0.00} | {P(t, 99):0.00} | {t.Average():0.00} | " +
                    $"{P(t, 50) / P(timings[0], 50):0.00} | {allocated:N0} |");
            }
            return 0;
        }
        finally
        {
            foreach (string suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(dbFile + suffix)) File.Delete(dbFile + suffix);
            }
        }
    }

    /// <summary>A payment in the given state with its result-page link, written as the relay and the pay would; returns the path.</summary>
    private static async Task<string> LinkAsync(RunningGateway gateway, string paymentRequestId, string status)
    {
        var settings = gateway.Services.GetRequiredService<GatewaySettings>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await gateway.Store.ReservePaymentAsync(new PaymentRecord(paymentRequestId, "BENCH0001", "M001", "S001", "USD", 1250, null, "PENDING", now, now));
        await gateway.Store.UpdatePaymentAsync(paymentRequestId, "20260312114000000000000" + status.Length + "12345678", status, now);
        string seed = LinkTokens.NewSeed();
        string token = LinkTokens.FromSeed(settings.DataKeys, seed);
        await gateway.Services.GetRequiredService<CustomerLinkStore>().EnsureAsync(
            new CustomerLinkRecord(LinkTokens.Hash(token), paymentRequestId, seed, "Harbour Tea House", now, now + 3_600_000, 0, null, null));
        return "result/" + token;
    }

    private static async Task<double> CallAsync(HttpClient http, string path)
    {
        long start = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: the run measures nothing");
        return ms;
    }

    private static async Task<long> AllocatedPerCallAsync(HttpClient http, string path, int calls)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < calls; i++) await CallAsync(http, path);
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / calls;
    }
}
