using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Terminal.AntomEmulator;

namespace Terminal.Benchmarks.AntomEmulator;

/// <summary>
/// Signed pay + inquiryPayment throughput of an in-process emulator over HTTPS on loopback, against a reference
/// measured in the same run: unsigned HTTPS round trips to <c>/__emulator/health</c> (same TLS, Kestrel and client,
/// no JSON and no RSA). Three phases:
///   reference   GET /__emulator/health for --seconds
///   signed      pay then inquiry; the client signs every request and verifies every response signature
///   presigned   the same requests signed before the clock starts (shows the emulator's own ceiling on this machine)
/// Usage: dotnet run -c Release --project Terminal.Benchmarks -- emulator-throughput [--seconds 10] [--concurrency 16] [--presigned-pairs 4000]
/// </summary>
internal static class EmulatorThroughput
{
    private const string ClientId = "BENCH_CLIENT";

    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = Option(args, "--seconds", 10);
        int concurrency = Option(args, "--concurrency", 16);
        int presignedPairs = Option(args, "--presigned-pairs", 4000);

        using var merchant = RSA.Create(2048);
        await using var emulator = await AntomEmulatorServer.StartAsync(new AntomEmulatorOptions());
        emulator.RegisterClient(ClientId, merchant.ExportSubjectPublicKeyInfo());
        var handler = emulator.CreateTrustingHandler();
        handler.MaxConnectionsPerServer = concurrency;
        handler.PooledConnectionLifetime = Timeout.InfiniteTimeSpan;
        using var http = new HttpClient(handler) { BaseAddress = emulator.HttpsBaseUri };
        byte[] merchantKey = merchant.ExportPkcs8PrivateKey();
        using var antomKey = RSA.Create();
        antomKey.ImportSubjectPublicKeyInfo(emulator.AntomPublicKey, out _);
        byte[] antomPublic = emulator.AntomPublicKey;

        Console.WriteLine(MachineFacts(concurrency));
        Console.WriteLine($"load average at start: {LoadAverage()}");

        // Warm-up: JIT, TLS sessions, connection pool.
        await TimedAsync(http, concurrency, TimeSpan.FromSeconds(2), (worker, n) => SignedPairAsync(http, merchantKey, antomPublic, $"W{worker}-{n}"));

        var reference = await TimedAsync(http, concurrency, TimeSpan.FromSeconds(seconds), async (_, _) =>
        {
            using var response = await http.GetAsync("/__emulator/health");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            return 1;
        });
        var signed = await TimedAsync(http, concurrency, TimeSpan.FromSeconds(seconds), (worker, n) =>
            SignedPairAsync(http, merchantKey, antomPublic, $"S{worker}-{n}"));

        var presigned = PreSign(merchantKey, presignedPairs);
        int next = -1;
        var presignedRun = await TimedAsync(http, concurrency, TimeSpan.MaxValue, async (_, _) =>
        {
            int index = Interlocked.Increment(ref next);
            if (index >= presigned.Count)
            {
                return -1;
            }

            await SendAsync(http, presigned[index].Pay);
            await SendAsync(http, presigned[index].Inquiry);
            return 2;
        });

        Console.WriteLine($"load average at end:   {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| phase | requests | seconds | requests/s | ratio to reference | CPU ms/request | allocated bytes/request |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Row("reference: GET /__emulator/health (unsigned)", reference, reference);
        Row("signed pay+inquiry, client signs and verifies", signed, reference);
        Row("signed pay+inquiry, requests signed beforehand", presignedRun, reference);
        Console.WriteLine();
        Console.WriteLine($"signed pay+inquiry pairs/s: {signed.Requests / 2 / signed.Elapsed.TotalSeconds:F0} (client signing), " +
            $"{presignedRun.Requests / 2 / presignedRun.Elapsed.TotalSeconds:F0} (presigned); errors: {signed.Errors + presignedRun.Errors + reference.Errors}");
        Console.WriteLine("CPU and allocations are for the whole process: emulator and load client together.");
        return signed.Errors + presignedRun.Errors == 0 ? 0 : 1;
    }

    private static void Row(string name, Measurement m, Measurement reference)
    {
        double rate = m.Requests / m.Elapsed.TotalSeconds;
        double referenceRate = reference.Requests / reference.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {m.Requests} | {m.Elapsed.TotalSeconds:F1} | {rate:F0} | {rate / referenceRate:F2} | {m.Cpu.TotalMilliseconds / m.Requests:F2} | {m.Allocated / m.Requests:F0} |"));
    }

    private sealed record Measurement(long Requests, TimeSpan Elapsed, TimeSpan Cpu, long Allocated, int Errors);

    /// <summary>Runs <paramref name="concurrency"/> workers until <paramref name="duration"/> passes or a step returns -1.</summary>
    private static async Task<Measurement> TimedAsync(HttpClient http, int concurrency, TimeSpan duration, Func<int, int, Task<int>> step)
    {
        long requests = 0;
        int errors = 0;
        var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            for (int n = 0; clock.Elapsed < duration; n++)
            {
                try
                {
                    int done = await step(worker, n);
                    if (done < 0)
                    {
                        return;
                    }

                    Interlocked.Add(ref requests, done);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        process.Refresh();
        return new Measurement(requests, clock.Elapsed, process.TotalProcessorTime - cpuBefore,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, errors);
    }

    private static async Task<int> SignedPairAsync(HttpClient http, byte[] merchantKey, byte[] antomPublic, string id)
    {
        var pay = Signed(merchantKey, "/ams/api/v1/payments/pay", PayBody(id));
        string payAnswer = await SendAsync(http, pay, antomPublic);
        if (!payAnswer.Contains("\"SUCCESS\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("pay: " + payAnswer);
        }

        var inquiry = Signed(merchantKey, "/ams/api/v1/payments/inquiryPayment", "{\"paymentRequestId\":\"" + id + "\"}");
        string inquiryAnswer = await SendAsync(http, inquiry, antomPublic);
        if (!inquiryAnswer.Contains("\"paymentStatus\":\"SUCCESS\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("inquiry: " + inquiryAnswer);
        }

        return 2;
    }

    private sealed record SignedRequest(string Path, byte[] Body, string Time, string Signature);

    private static List<(SignedRequest Pay, SignedRequest Inquiry)> PreSign(byte[] merchantKey, int pairs)
    {
        var requests = new (SignedRequest, SignedRequest)[pairs];
        Parallel.For(0, pairs, i =>
        {
            string id = "P" + i.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
            requests[i] = (Signed(merchantKey, "/ams/api/v1/payments/pay", PayBody(id)),
                Signed(merchantKey, "/ams/api/v1/payments/inquiryPayment", "{\"paymentRequestId\":\"" + id + "\"}"));
        });
        return requests.ToList();
    }

    [ThreadStatic]
    private static RSA? _signer;

    private static SignedRequest Signed(byte[] merchantKey, string path, string body)
    {
        if (_signer == null)
        {
            _signer = RSA.Create();
            _signer.ImportPkcs8PrivateKey(merchantKey, out _);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        byte[] content = Encoding.UTF8.GetBytes($"POST {path}\n{ClientId}.{time}.").Concat(bytes).ToArray();
        byte[] signature = _signer.SignData(content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new SignedRequest(path, bytes, time, "algorithm=RSA256,keyVersion=1,signature=" + Uri.EscapeDataString(Convert.ToBase64String(signature)));
    }

    private static async Task<string> SendAsync(HttpClient http, SignedRequest signed, byte[]? antomPublic = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, signed.Path) { Content = new ByteArrayContent(signed.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
        request.Headers.TryAddWithoutValidation("Client-Id", ClientId);
        request.Headers.TryAddWithoutValidation("Request-Time", signed.Time);
        request.Headers.TryAddWithoutValidation("Signature", signed.Signature);
        using var response = await http.SendAsync(request);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        if (antomPublic != null)
        {
            string time = response.Headers.GetValues("Response-Time").First();
            string header = response.Headers.GetValues("Signature").First();
            byte[] signature = Convert.FromBase64String(Uri.UnescapeDataString(header.Substring(header.IndexOf("signature=", StringComparison.Ordinal) + 10)));
            byte[] content = Encoding.UTF8.GetBytes($"POST {signed.Path}\n{ClientId}.{time}.").Concat(body).ToArray();
            using var verifier = RSA.Create();
            verifier.ImportSubjectPublicKeyInfo(antomPublic, out _);
            if (!verifier.VerifyData(content, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                throw new InvalidOperationException("response signature does not verify");
            }
        }

        return Encoding.UTF8.GetString(body);
    }

    private static string PayBody(string id) =>
        "{\"productCode\":\"IN_STORE_PAYMENT\",\"paymentRequestId\":\"" + id + "\",\"paymentAmount\":{\"currency\":\"USD\",\"value\":\"1250\"}," +
        "\"paymentMethod\":{\"paymentMethodType\":\"CONNECT_WALLET\",\"paymentMethodId\":\"288888888888888888\"}," +
        "\"paymentFactor\":{\"inStorePaymentScenario\":\"PaymentCode\"},\"order\":{\"orderDescription\":\"Coffee\"," +
        "\"orderAmount\":{\"currency\":\"USD\",\"value\":\"1250\"},\"merchant\":{\"referenceMerchantId\":\"M1\",\"merchantName\":\"Shop\"," +
        "\"merchantMCC\":\"5812\",\"store\":{\"referenceStoreId\":\"S1\",\"storeName\":\"Counter\",\"storeMCC\":\"5812\"}}}}";

    private static int Option(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string MachineFacts(int concurrency)
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        return $"machine: {Environment.ProcessorCount} logical CPUs ({cpu}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; {concurrency} concurrent HTTPS/1.1 connections";
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
