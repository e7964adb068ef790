using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Terminal.AntomEmulator;
using Terminal.Gateway.Configuration;
using Terminal.Gateway.Hosting;

namespace Terminal.Benchmarks.Gateway;

/// <summary>
/// How much the gateway's SQLite file grows per 10,000 device requests of a shop's usual mix, against the real Antom
/// emulator over HTTPS: half payment-code sales (one pay), half order-code sales (pay, the customer pays in the
/// emulator's wallet, notifyPayment comes back, one inquiry answered from it). Reports the database file, the WAL
/// file, the pages in use (page_count - freelist_count) and the rows per table. Uses only the gateway's public
/// embedding API, so the same file runs against an older gateway (docs/benchmarks/gateway.md, "Growth").
/// </summary>
public static class GatewayGrowthHarness
{
    private const string ClientId = "SANDBOX_GROWTH01";

    public static async Task<int> RunAsync(string[] args)
    {
        int target = args.Length > 1 && args[0] == "--transactions" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        bool rawKey = args.Contains("--raw-device-key"); // gateways before direction-separated keys
        string folder = Directory.CreateTempSubdirectory("gw-growth-").FullName;
        string file = Path.Combine(folder, "gateway.db");
        using var merchant = RSA.Create(2048);
        X509Certificate2? gatewayCa = null;
        await using var emulator = await AntomEmulatorServer.StartAsync(new AntomEmulatorOptions
        {
            NotifyRetryDelays = [TimeSpan.FromMilliseconds(200)],
            NotifyServerCertificateValidation = (_, certificate, _, errors) => TrustedCa.Accepts(gatewayCa, certificate, errors),
        });
        emulator.RegisterClient(ClientId, merchant.ExportSubjectPublicKeyInfo());
        await using var gateway = await GatewayHost.StartAsync(new GatewayOptions
        {
            Urls = ["https://127.0.0.1:0"],
            KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Database = new DatabaseOptions { Provider = "sqlite", ConnectionString = "Data Source=" + file },
            Antom = new AntomOptions
            {
                BaseUrl = emulator.BaseUri.ToString(), ClientId = ClientId, MerchantPrivateKey = Convert.ToBase64String(merchant.ExportPkcs8PrivateKey()),
                AntomPublicKey = emulator.AntomPublicKeyBase64, TrustedCertificate = emulator.CaCertificate,
            },
            Merchant = new MerchantOptions { ReferenceMerchantId = "M001", MerchantName = "Growth Shop", MerchantMCC = "5812", ReferenceStoreId = "S001", StoreName = "Main", StoreMCC = "5812" },
        });
        gatewayCa = gateway.CaCertificate;
        var credentials = await gateway.RegisterDeviceAsync("T0001");
        using var http = new HttpClient(TrustedCa.Handler(gatewayCa!)) { BaseAddress = gateway.BaseUri };
        var device = new Device(http, credentials.KeyBytes, rawKey);

        var clock = Stopwatch.StartNew();
        int requests = 0, sale = 0;
        while (requests < target)
        {
            sale++;
            string id = "G" + sale.ToString("D10", CultureInfo.InvariantCulture);
            if (sale % 2 == 1)
            {
                string code = emulator.Wallet.IssuePaymentCode();
                await device.CallAsync("pay", Pay(id, code, "PaymentCode"));
                requests++;
                continue;
            }
            var answer = await device.CallAsync("pay", Pay(id, null, "OrderCode"));
            emulator.Wallet.PayOrderCode((string)answer["orderCodeForm"]!["codeDetails"]![0]!["codeValue"]!);
            for (int wait = 0; wait < 200 && (await gateway.Store.FindFinalNotificationAsync(id, null)) == null; wait++) await Task.Delay(5);
            await device.CallAsync("inquiryPayment", new JsonObject { ["paymentRequestId"] = id });
            requests += 2;
        }
        clock.Stop();

        long pages, free, pageSize;
        var rows = new List<string>();
        await using (var connection = new SqliteConnection("Data Source=" + file + ";Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            pages = await ScalarAsync(connection, "PRAGMA page_count");
            free = await ScalarAsync(connection, "PRAGMA freelist_count");
            pageSize = await ScalarAsync(connection, "PRAGMA page_size");
            foreach (string table in new[] { "transactions", "idempotency_keys", "payments", "notifications" })
                rows.Add($"{table} {await ScalarAsync(connection, "SELECT COUNT(*) FROM " + table):N0}");
        }
        // Compacted copies: all of it; without the replay keys (they expire after minutes: the lasting growth); and
        // without the bodies too (how much of the lasting growth the JSON bodies are).
        string copy = Path.Combine(folder, "copy.db");
        await using (var connection = new SqliteConnection("Data Source=" + file + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await ExecAsync(connection, $"VACUUM INTO '{copy}'");
        }
        long compacted = new FileInfo(copy).Length, lasting, withoutBodies;
        await using (var connection = new SqliteConnection("Data Source=" + copy + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await ExecAsync(connection, "DELETE FROM idempotency_keys; VACUUM");
            lasting = new FileInfo(copy).Length;
            await ExecAsync(connection, "UPDATE transactions SET device_request_body = '', upstream_request_body = NULL, response_body = NULL, upstream_detail = NULL; " +
                "UPDATE notifications SET body = ''; VACUUM");
            withoutBodies = new FileInfo(copy).Length;
        }

        long db = new FileInfo(file).Length, wal = File.Exists(file + "-wal") ? new FileInfo(file + "-wal").Length : 0;
        double per10k = 10_000.0 / requests;
        Console.WriteLine($"{requests:N0} device requests ({sale:N0} sales) in {clock.Elapsed.TotalSeconds:0.0} s; signing: {(rawKey ? "device key" : "derived keys")}");
        Console.WriteLine($"database file {db / 1e6:0.00} MB, WAL {wal / 1e6:0.00} MB, pages in use {(pages - free) * pageSize / 1e6:0.00} MB");
        Console.WriteLine($"per 10,000 requests: file {db * per10k / 1e6:0.00} MB, in use {(pages - free) * pageSize * per10k / 1e6:0.00} MB, {(pages - free) * pageSize / (double)requests:0} bytes per request");
        Console.WriteLine($"per 10,000 requests, compacted: {compacted * per10k / 1e6:0.00} MB; without the (expiring) replay keys {lasting * per10k / 1e6:0.00} MB " +
            $"({lasting / (double)requests:0} bytes per request), of which JSON bodies {(lasting - withoutBodies) * per10k / 1e6:0.00} MB");
        Console.WriteLine("rows: " + string.Join(", ", rows));
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        return 0;
    }

    private static JsonObject Pay(string id, string? code, string scenario)
    {
        var amount = new JsonObject { ["currency"] = "USD", ["value"] = "1250" };
        var body = new JsonObject
        {
            ["productCode"] = "IN_STORE_PAYMENT",
            ["paymentRequestId"] = id,
            ["paymentAmount"] = amount,
            ["paymentMethod"] = new JsonObject { ["paymentMethodType"] = "CONNECT_WALLET" },
            ["paymentFactor"] = new JsonObject { ["inStorePaymentScenario"] = scenario },
            ["order"] = new JsonObject { ["referenceOrderId"] = "O-" + id, ["orderDescription"] = "Coffee and cake", ["orderAmount"] = amount.DeepClone() },
        };
        if (code != null) body["paymentMethod"]!["paymentMethodId"] = code;
        return body;
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>A terminal signing with the relay's request key (HKDF-Expand of the device key, RFC 5869), or with the
    /// device key itself for an older gateway.</summary>
    private sealed class Device(HttpClient http, byte[] key, bool rawKey)
    {
        private readonly byte[] _requestKey = rawKey ? key : HKDF.Expand(HashAlgorithmName.SHA256, key, 32, Encoding.ASCII.GetBytes("qr-terminal-hs256/antom-relay/device-to-gateway"));

        public async Task<JsonObject> CallAsync(string operation, JsonObject body)
        {
            string path = "/ams/api/v1/payments/" + operation;
            byte[] bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            string time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            byte[] content = [.. Encoding.ASCII.GetBytes($"POST {path}\nT0001.{time}."), .. bytes];
            byte[] mac = HMACSHA256.HashData(_requestKey, content);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=UTF-8");
            request.Headers.TryAddWithoutValidation("Client-Id", "T0001");
            request.Headers.TryAddWithoutValidation("Request-Time", time);
            request.Headers.TryAddWithoutValidation("Signature", $"algorithm=HS256,keyVersion=1,signature={Uri.EscapeDataString(Convert.ToBase64String(mac))}");
            using var response = await http.SendAsync(request);
            var answer = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if ((string?)answer["result"]?["resultStatus"] != "S") throw new InvalidOperationException($"{operation} answered {answer.ToJsonString()}");
            return answer;
        }
    }
}
