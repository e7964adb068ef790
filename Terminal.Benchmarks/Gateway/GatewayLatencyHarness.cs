using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.DeviceApi;
using Terminal.Gateway.Hosting;
using Terminal.Gateway.Security;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// Measures the latency the gateway adds and its throughput, on loopback. Two clients call the same upstream (a
/// minimal Antom that answers a fixed, pre-signed body over HTTPS):
/// <list type="bullet">
/// <item>direct: RSA256-signs the request with the merchant key, sends it over HTTPS, verifies the response
/// signature (what a client with the merchant key would do);</item>
/// <item>via gateway: HS256-signs as a terminal, sends it over HTTPS to the gateway, which authenticates, records,
/// RSA256-signs, forwards over HTTPS, verifies, records and answers HS256-signed; the client verifies that.</item>
/// </list>
/// Both paths contain exactly one RSA signature, so "via gateway - direct" is the gateway's added latency without
/// the RSA signature; the RSA signing time is also reported on its own. Calls alternate between the two paths so
/// that changes in machine load hit both alike. Throughput: concurrent terminals for a fixed time. For bytes and
/// throughput a third path, the direct client through a <see cref="BareRelay"/>, tells one more HTTPS hop apart from
/// the gateway's own work.
/// </summary>
public static class GatewayLatencyHarness
{
    private const string ClientId = "SANDBOX_BENCH0001";
    private const string InquiryPath = "/ams/api/v1/payments/inquiryPayment";
    private const string PayPath = "/ams/api/v1/payments/pay";

    private const string Usage =
        "usage: gateway [--requests N] [--warmup N] [--concurrency N] [--seconds N] [--db sqlite|postgres] [--sqlite-synchronous NORMAL|FULL|EXTRA]\n" +
        "               [--operation pay|inquiry|mix] [--pool N] [--allocation-types N] [--calls N]\n" +
        "  --db postgres needs TERMINAL_TEST_POSTGRES (source .ci/pg.sh); --pool is Gateway:Database:MaxPoolSize (default 20).\n" +
        "  --operation mix alternates a pay and an inquiryPayment of that payment. --allocation-types N also prints the N types\n" +
        "  that take the most of the gateway path's allocated bytes (sampled from the runtime's allocation events).\n" +
        "  --calls N ends each throughput phase after N calls instead of --seconds (a fixed amount of work, for timing the\n" +
        "  whole process from outside).";

    private static readonly string[] Options =
        ["--requests", "--warmup", "--concurrency", "--seconds", "--db", "--sqlite-synchronous", "--operation", "--pool", "--allocation-types", "--calls"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        string? problem = CheckArgs(args);
        if (problem != null)
        {
            Console.Error.WriteLine(problem);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        int requests = IntArg(args, "--requests", 2000);
        int warmup = IntArg(args, "--warmup", 300);
        int concurrency = IntArg(args, "--concurrency", 8);
        int seconds = IntArg(args, "--seconds", 10);
        string provider = StringArg(args, "--db", "sqlite");
        string synchronous = StringArg(args, "--sqlite-synchronous", "NORMAL");
        string operation = StringArg(args, "--operation", "pay");
        int pool = IntArg(args, "--pool", 20);
        int allocationTypes = IntArg(args, "--allocation-types", 0);
        int calls = IntArg(args, "--calls", 0);

        using var merchantKey = RSA.Create(2048);
        using var antomKey = RSA.Create(2048);
        await using var upstream = await MiniAntom.StartAsync(antomKey);
        string? dbFile = null;
        string? schema = null;
        string connection;
        string run = Guid.NewGuid().ToString("N")[..8];
        if (provider == "postgres")
        {
            // A fresh schema per run, dropped at the end.
            string admin = Environment.GetEnvironmentVariable("TERMINAL_TEST_POSTGRES")
                ?? throw new InvalidOperationException("--db postgres needs TERMINAL_TEST_POSTGRES (source .ci/pg.sh)");
            schema = "bench_" + run;
            await PostgresAsync(admin, $"CREATE SCHEMA {schema}");
            connection = new Npgsql.NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString;
        }
        else
        {
            dbFile = Path.Combine(Path.GetTempPath(), "gw-bench-" + Guid.NewGuid().ToString("N") + ".db");
            connection = "Data Source=" + dbFile;
        }

        var options = new GatewayOptions
        {
            Urls = ["https://127.0.0.1:0"],
            KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Database = new DatabaseOptions { Provider = provider, ConnectionString = connection, SqliteSynchronous = synchronous, MaxPoolSize = pool },
            Antom = new AntomOptions
            {
                BaseUrl = upstream.BaseUri.ToString(),
                ClientId = ClientId,
                MerchantPrivateKey = Convert.ToBase64String(merchantKey.ExportPkcs8PrivateKey()),
                AntomPublicKey = Convert.ToBase64String(antomKey.ExportSubjectPublicKeyInfo()),
                TrustedCertificate = upstream.Ca,
            },
            Merchant = new MerchantOptions { ReferenceMerchantId = "M001", MerchantName = "Bench", MerchantMCC = "5812", ReferenceStoreId = "S001", StoreName = "Bench", StoreMCC = "5812" },
            ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning),
        };
        await using var gateway = await GatewayHost.StartAsync(options);
        string deviceId = "B" + Guid.NewGuid().ToString("N")[..12];
        var credentials = await gateway.RegisterDeviceAsync(deviceId);

        using var deviceHttp = new HttpClient(TrustedCa.Handler(gateway.CaCertificate!));
        using var directHttp = new HttpClient(TrustedCa.Handler(upstream.Ca));
        await using var relay = await BareRelay.StartAsync(upstream.BaseUri, upstream.Ca);
        using var relayHttp = new HttpClient(TrustedCa.Handler(relay.Ca));
        var terminal = new BenchTerminal(deviceHttp, gateway.BaseUri, deviceId, credentials.KeyBytes);
        var direct = new DirectClient(directHttp, upstream.BaseUri, merchantKey, antomKey);
        var throughRelay = new DirectClient(relayHttp, relay.BaseUri, merchantKey, antomKey);
        int sequence = 0;
        (string Path, string Body) NextCall()
        {
            int n = Interlocked.Increment(ref sequence);
            // The mix: odd calls pay, even calls inquire about the payment of the call before.
            bool inquiry = operation == "inquiry" || (operation == "mix" && (n & 1) == 0);
            int id = operation == "mix" && inquiry ? n - 1 : n;
            return inquiry ? (InquiryPath, "{\"paymentRequestId\":\"P" + run + "-" + id + "\"}") : (PayPath, PayBody("P" + run + "-" + id));
        }
        Task<double> Direct()
        {
            var (callPath, body) = NextCall();
            return direct.CallAsync(callPath, body);
        }
        Task<double> ViaBareRelay()
        {
            var (callPath, body) = NextCall();
            return throughRelay.CallAsync(callPath, body);
        }
        Task<double> ViaGateway()
        {
            var (callPath, body) = NextCall();
            return terminal.CallAsync(callPath, body);
        }

        Console.WriteLine($"gateway latency harness: operation={operation} db={provider}{(provider == "sqlite" ? " synchronous=" + synchronous : "")} requests={requests} warmup={warmup}");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version}");

        for (int i = 0; i < warmup; i++)
        {
            await Direct();
            await ViaGateway();
        }

        var directMs = new List<double>(requests);
        var gatewayMs = new List<double>(requests);
        var (signCountBefore, signTotalBefore) = gateway.Metrics.RsaSignTotals;
        for (int i = 0; i < requests; i++)
        {
            // Alternate which path goes first, so neither always follows the other.
            if ((i & 1) == 0)
            {
                directMs.Add(await Direct());
                gatewayMs.Add(await ViaGateway());
            }
            else
            {
                gatewayMs.Add(await ViaGateway());
                directMs.Add(await Direct());
            }
        }
        var (signCount, signTotal) = gateway.Metrics.RsaSignTotals;
        double signMean = (signTotal - signTotalBefore) / Math.Max(1, signCount - signCountBefore);

        directMs.Sort();
        gatewayMs.Sort();
        Console.WriteLine();
        Console.WriteLine("| path | p50 ms | p90 ms | p99 ms | mean ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Row("direct (RSA sign + HTTPS + verify)", directMs);
        Row("via gateway (HS256 + gateway + RSA hop)", gatewayMs);
        Console.WriteLine($"| **added by the gateway** | **{P(gatewayMs, 50) - P(directMs, 50):0.00}** | {P(gatewayMs, 90) - P(directMs, 90):0.00} | {P(gatewayMs, 99) - P(directMs, 99):0.00} | {gatewayMs.Average() - directMs.Average():0.00} |");
        Console.WriteLine($"RSA256 request signature in the gateway (mean over the measured calls, already excluded above): {signMean:0.00} ms");
        Console.WriteLine($"gateway p50 minus direct p50 plus one RSA sign (i.e. counting the gateway's own RSA signature): {P(gatewayMs, 50) - P(directMs, 50) + signMean:0.00} ms");

        // Allocation per call, whole process (client, gateway and upstream run here): the difference is the gateway's.
        double directBytes = await AllocatedPerCallAsync(Direct);
        double gatewayBytes = await AllocatedPerCallAsync(ViaGateway);
        double relayBytes = await AllocatedPerCallAsync(ViaBareRelay);
        Console.WriteLine($"allocated per call (whole process): direct {directBytes / 1024:0.0} KiB, via gateway {gatewayBytes / 1024:0.0} KiB, added by the gateway {(gatewayBytes - directBytes) / 1024:0.0} KiB");
        Console.WriteLine($"  of which one more HTTPS hop (direct through a bare relay: {relayBytes / 1024:0.0} KiB) {(relayBytes - directBytes) / 1024:0.0} KiB, " +
            $"the gateway's own work (via gateway - via bare relay) {(gatewayBytes - relayBytes) / 1024:0.0} KiB");
        if (allocationTypes > 0)
        {
            using var sampler = new AllocationSampler();
            for (int i = 0; i < 3000; i++) await ViaGateway();
            Console.WriteLine("largest shares of the bytes allocated on the gateway path (whole process, sampled):");
            foreach (var (type, share) in sampler.Top(allocationTypes)) Console.WriteLine($"  {share,6:P1}  {type}");
        }

        // For scale: one database round trip as the gateway makes it (pooled open + SELECT 1). A device request
        // costs five of them on the pay path (device and keys, claim, reserve payment, upstream attempt, completion).
        var database = gateway.Services.GetRequiredService<Terminal.Gateway.Storage.GatewayDatabase>();
        var roundTrips = new List<double>();
        for (int i = 0; i < 500; i++)
        {
            var sw = Stopwatch.StartNew();
            await using (var c = await database.OpenAsync())
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT 1";
                await cmd.ExecuteScalarAsync();
            }
            roundTrips.Add(sw.Elapsed.TotalMilliseconds);
        }
        roundTrips.Sort();
        Console.WriteLine($"one database round trip (pooled open + SELECT 1): p50 {P(roundTrips, 50):0.000} ms, p99 {P(roundTrips, 99):0.000} ms");

        // Throughput: concurrent terminals for a fixed time, then the same against the upstream directly.
        // Each preceded by 3 s (or a fifth of --calls) at the same concurrency, unmeasured: code paths only taken under contention (pool waits,
        // more connections) are compiled and tiered up before the clock starts, as in a gateway that has been running.
        await ThroughputAsync(concurrency, 3, calls / 5, ViaGateway);
        var backends = provider == "postgres" ? await PostgresBackends.StartAsync(connection) : null;
        var (viaRate, viaCpu, viaCalls) = await ThroughputAsync(concurrency, seconds, calls, ViaGateway);
        var postgres = backends == null ? (PostgresBackends.Reading?)null : await backends.ReadAsync();
        double? postgresCpu = postgres?.Ticks * 1000.0 / PostgresBackends.TicksPerSecond / viaCalls;
        await ThroughputAsync(concurrency, 3, calls / 5, Direct);
        var (directRate, directCpu, _) = await ThroughputAsync(concurrency, seconds, calls, Direct);
        await ThroughputAsync(concurrency, 3, calls / 5, ViaBareRelay);
        var (relayRate, relayCpu, _) = await ThroughputAsync(concurrency, seconds, calls, ViaBareRelay);
        Console.WriteLine();
        Console.WriteLine($"throughput with {concurrency} concurrent clients for {(calls > 0 ? calls + " calls" : seconds + " s")}: via gateway {viaRate:0} req/s, direct {directRate:0} req/s (ratio {viaRate / directRate:0.00})");
        Console.WriteLine($"CPU time of this process per call (client, gateway and upstream; PostgreSQL not counted): via gateway {viaCpu:0.000} ms, " +
            $"direct {directCpu:0.000} ms, added by the gateway {viaCpu - directCpu:0.000} ms; this process used {Environment.ProcessorCount} cores at most");
        if (postgresCpu is double pg)
            Console.WriteLine($"PostgreSQL's CPU time per call via the gateway (its backends serving this gateway's pool): {pg:0.000} ms; this process and PostgreSQL together " +
                $"{viaCpu + pg:0.000} ms a call, so {Environment.ProcessorCount} cores carry at most {Environment.ProcessorCount * 1000 / (viaCpu + pg):0} relayed calls/s" +
                (postgres!.Value.Ended > 0 ? $" (a lower bound: {postgres.Value.Ended} backends ended during the phase and took their time with them)" : ""));
        Console.WriteLine($"reference, direct through a bare relay (one more HTTPS hop, nothing else): {relayRate:0} req/s, CPU {relayCpu:0.000} ms per call; " +
            $"the gateway's own CPU per call (via gateway - via bare relay) {viaCpu - relayCpu:0.000} ms");

        await gateway.DisposeAsync();
        if (dbFile != null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (string f in new[] { dbFile, dbFile + "-wal", dbFile + "-shm" }) File.Delete(f);
        }
        if (schema != null)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await PostgresAsync(Environment.GetEnvironmentVariable("TERMINAL_TEST_POSTGRES")!, $"DROP SCHEMA {schema} CASCADE");
        }
        return 0;
    }

    private static async Task PostgresAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <remarks>Over 2,000 calls: the gateway's timers (resolver, housekeeping) allocate too, and over 300 calls a pass of
    /// theirs moved the figure by a kilobyte from run to run.</remarks>
    private static async Task<double> AllocatedPerCallAsync(Func<Task<double>> call)
    {
        const int calls = 2000;
        long before = GC.GetTotalAllocatedBytes(true);
        for (int i = 0; i < calls; i++) await call();
        return (GC.GetTotalAllocatedBytes(true) - before) / (double)calls;
    }

    /// <summary>Calls per second, this process's CPU milliseconds per call (user + system, all threads), and the calls made.</summary>
    private static async Task<(double Rate, double CpuMsPerCall, long Calls)> ThroughputAsync(int concurrency, int seconds, int calls, Func<Task<double>> call)
    {
        long completed = 0, started = 0;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var stop = Stopwatch.StartNew();
        var until = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (calls > 0 ? Interlocked.Increment(ref started) <= calls : stop.Elapsed < until)
            {
                await call();
                Interlocked.Increment(ref completed);
            }
        });
        await Task.WhenAll(workers);
        double rate = completed / stop.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return (rate, cpu.TotalMilliseconds / Math.Max(1, completed), completed);
    }

    internal static void Row(string name, List<double> sorted) =>
        Console.WriteLine($"| {name} | {P(sorted, 50):0.00} | {P(sorted, 90):0.00} | {P(sorted, 99):0.00} | {sorted.Average():0.00} |");

    internal static double P(List<double> sorted, int percentile) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];

    private static string PayBody(string id) =>
        "{\"productCode\":\"IN_STORE_PAYMENT\",\"paymentRequestId\":\"" + id + "\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1000\"}," +
        "\"paymentMethod\":{\"paymentMethodType\":\"CONNECT_WALLET\",\"paymentMethodId\":\"281010897274821897274821\"}," +
        "\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"},\"order\":{\"referenceOrderId\":\"" + id + "\",\"orderDescription\":\"Coffee\"," +
        "\"orderAmount\":{\"currency\":\"USD\",\"value\":\"1000\"},\"env\":{\"storeTerminalRequestTime\":\"2026-01-01T10:00:00Z\"}}}";

    internal static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "n/a"; }
    }

    /// <summary>Null when every argument is a known option followed by a valid value, else what is wrong.</summary>
    private static string? CheckArgs(string[] args)
    {
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!Options.Contains(args[i])) return $"unknown argument '{args[i]}'";
            if (i + 1 >= args.Length) return $"{args[i]} needs a value";
            string value = args[i + 1];
            bool valid = args[i] switch
            {
                "--db" => value is "sqlite" or "postgres",
                "--sqlite-synchronous" => value is "NORMAL" or "FULL" or "EXTRA",
                "--operation" => value is "pay" or "inquiry" or "mix",
                _ => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0,
            };
            if (!valid) return $"{args[i]}: '{value}' is not a valid value";
        }
        return null;
    }

    /// <summary>The gateway's answer must be signed; anything else (an HTTP error page, a 503 without a key to sign
    /// with) is reported with its status and body instead of a missing-header exception.</summary>
    private static (string Signature, string ResponseTime) SignedHeaders(HttpResponseMessage response, byte[] body, string who)
    {
        if (response.Headers.TryGetValues("Signature", out var signature) && response.Headers.TryGetValues("Response-Time", out var time))
            return (signature.First(), time.First());
        throw new InvalidOperationException($"{who} answered HTTP {(int)response.StatusCode} without a signature: {Encoding.UTF8.GetString(body)}");
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>A terminal: HS256 request signature, response signature checked (keys derived once, as the firmware does).</summary>
    private sealed class BenchTerminal(HttpClient http, Uri gateway, string deviceId, byte[] key)
    {
        private readonly byte[] _requestKey = DeviceKeys.Derive(key, DeviceMessageType.AntomRelay.RequestLabel);
        private readonly byte[] _answerKey = DeviceKeys.Derive(key, DeviceMessageType.AntomRelay.AnswerLabel);

        public async Task<double> CallAsync(string path, string body)
        {
            var sw = Stopwatch.StartNew();
            string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            byte[] mac = Hs256.Sign(_requestKey, SignContent.Build(path, deviceId, time, bytes));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, path)) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
            request.Headers.TryAddWithoutValidation("Client-Id", deviceId);
            request.Headers.TryAddWithoutValidation("Request-Time", time);
            request.Headers.TryAddWithoutValidation("Signature", SignatureHeader.Format("HS256", 1, mac));
            using var response = await http.SendAsync(request);
            byte[] answer = await response.Content.ReadAsByteArrayAsync();
            var (signatureText, responseTime) = SignedHeaders(response, answer, "the gateway");
            var signature = SignatureHeader.TryParse(signatureText, out _)!;
            if (!Hs256.Verify(_answerKey, SignContent.Build(path, deviceId, responseTime, answer), signature.Signature))
                throw new InvalidOperationException("gateway response signature did not verify");
            if (answer.AsSpan().IndexOf("\"S\""u8) < 0)
                throw new InvalidOperationException("unexpected gateway answer: " + Encoding.UTF8.GetString(answer));
            return sw.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>A client holding the merchant key: RSA256 request signature, Antom's response signature checked.</summary>
    private sealed class DirectClient(HttpClient http, Uri upstream, RSA merchantKey, RSA antomKey)
    {
        public async Task<double> CallAsync(string path, string body)
        {
            var sw = Stopwatch.StartNew();
            string upstreamPath = path.Replace("/ams/api/", "/ams/sandbox/api/", StringComparison.Ordinal);
            string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            byte[] signature = Rsa256.Sign(merchantKey, SignContent.Build(upstreamPath, ClientId, time, bytes));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream, upstreamPath)) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
            request.Headers.TryAddWithoutValidation("Client-Id", ClientId);
            request.Headers.TryAddWithoutValidation("Request-Time", time);
            request.Headers.TryAddWithoutValidation("Signature", SignatureHeader.Format("RSA256", 1, signature));
            using var response = await http.SendAsync(request);
            byte[] answer = await response.Content.ReadAsByteArrayAsync();
            var (signatureText, responseTime) = SignedHeaders(response, answer, "the upstream");
            var header = SignatureHeader.TryParse(signatureText, out _)!;
            if (!Rsa256.Verify(antomKey, SignContent.Build(upstreamPath, ClientId, responseTime, answer), header.Signature))
                throw new InvalidOperationException("upstream response signature did not verify");
            return sw.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>
    /// The upstream: answers every call with one fixed Antom body and a signature computed once (the same cost for
    /// both paths, and none of it RSA work at request time), over HTTPS on loopback.
    /// </summary>
    private sealed class MiniAntom : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MiniAntom(WebApplication app, X509Certificate2 ca)
        {
            _app = app;
            Ca = ca;
        }

        public X509Certificate2 Ca { get; }
        public Uri BaseUri { get; private set; } = null!;

        public static async Task<MiniAntom> StartAsync(RSA antomKey)
        {
            var app = LoopbackHttpsApp.Create("Bench Antom CA", out var ca);
            const string responseTime = "1767225600000";
            var signatures = new Dictionary<string, (byte[] Body, string Signature)>();
            foreach (string api in new[] { "pay", "inquiryPayment" })
            {
                string path = "/ams/sandbox/api/v1/payments/" + api;
                byte[] body = Encoding.UTF8.GetBytes(api == "pay"
                    ? "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},\"paymentTime\":\"2026-01-01T10:00:01+00:00\"}"
                    : "{\"result\":{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"},\"paymentStatus\":\"PROCESSING\"}");
                signatures[path] = (body, SignatureHeader.Format("RSA256", 1, Rsa256.Sign(antomKey, SignContent.Build(path, ClientId, responseTime, body))));
            }
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
                var (body, signature) = signatures[context.Request.Path.Value!];
                context.Response.ContentType = "application/json; charset=UTF-8";
                context.Response.Headers["Response-Time"] = responseTime;
                context.Response.Headers["Client-Id"] = ClientId;
                context.Response.Headers["Signature"] = signature;
                await context.Response.Body.WriteAsync(body);
            });
            await app.StartAsync();
            var mini = new MiniAntom(app, ca);
            mini.BaseUri = LoopbackHttpsApp.BaseUri(app);
            return mini;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
