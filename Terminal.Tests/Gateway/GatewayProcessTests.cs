using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// The gateway as operators run it: a separate process started from its build output with command-line
/// configuration, killed with SIGKILL in the middle of a pay, and started again on the same SQLite file.
/// </summary>
public sealed class GatewayProcessTests
{
    private const string AdminToken = "process-test-admin-token-0123";

    [Fact]
    public async Task A_gateway_killed_mid_pay_resolves_it_after_restart_and_answers_the_resent_request()
    {
        await using var antom = await FakeAntom.StartAsync();
        string folder = Directory.CreateTempSubdirectory("gw-kill-").FullName;
        var output = new StringBuilder();
        try
        {
            string[] args = Arguments(folder, antom, out var baseUri, out var adminUri);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

            using (var first = GatewayProcess.Start(args, output))
            {
                await first.WaitReadyAsync(http, baseUri);
                byte[] key = await RegisterAsync(http, adminUri);
                var device = new TestDevice(http, baseUri, "T0001", key);

                antom.Hold = r => r.Path.EndsWith("/pay", StringComparison.Ordinal) ? TimeSpan.FromMinutes(1) : null;
                var signed = device.Sign(Bodies.Pay, Bodies.Upm("P-killed"));
                var inFlight = device.SendAsync(signed);
                await Until(() => antom.CallCount("pay") == 1, "Antom never received the pay", output);

                // Antom has the pay and is holding its answer: the attempt must already be on record. The attempt
                // timeout (10 s) is far above the time this read takes on a loaded machine, so "pending" is not a race.
                var pending = await ReadTransactionAsync(folder);
                Assert.Equal("pending", pending.Outcome);
                Assert.NotNull(pending.SentAt);

                first.KillHard();
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight);
                antom.Hold = null;

                using var second = GatewayProcess.Start(args, output);
                await second.WaitReadyAsync(http, baseUri);
                await Until(() => ReadTransactionAsync(folder).GetAwaiter().GetResult().Outcome == "resolved", "the pending pay was never resolved", output,
                    TimeSpan.FromSeconds(90));

                // The terminal sends the very same signed request again and gets the resolved answer.
                var again = await device.SendAsync(signed);
                Assert.True(again.Replayed, output.ToString());
                Assert.Equal(("S", "SUCCESS"), (again.ResultStatus, again.ResultCode));
                Assert.Equal((string?)antom.Payment("P-killed")!["paymentId"], again["paymentId"]);
                Assert.True(again.SignatureValid);
                Assert.Equal(1, antom.CallCount("pay")); // never sent twice
                Assert.Equal(1, antom.CallCount("inquiryPayment"));
                second.KillHard();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static string[] Arguments(string folder, FakeAntom antom, out Uri baseUri, out Uri adminUri)
    {
        File.WriteAllText(Path.Combine(folder, "merchant.pem"), TestKeys.Merchant.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(folder, "antom.pub"), TestKeys.Antom.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Path.Combine(folder, "antom-ca.pem"), antom.Ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "kek"), TestKeys.KeyEncryptionKey);
        File.WriteAllText(Path.Combine(folder, "admin-token"), AdminToken);
        (int port, int adminPort) = TwoFreePorts();
        baseUri = new Uri($"http://127.0.0.1:{port}/");
        adminUri = new Uri($"http://127.0.0.1:{adminPort}/");
        return
        [
            "--Gateway:Urls:0=" + baseUri, "--Gateway:AdminUrls:0=" + adminUri,
            "--Gateway:KeyEncryptionKeyPath=" + Path.Combine(folder, "kek"), "--Gateway:AdminTokenPath=" + Path.Combine(folder, "admin-token"),
            "--Gateway:Database:ConnectionString=Data Source=" + Path.Combine(folder, "gateway.db"),
            "--Gateway:Antom:BaseUrl=" + antom.BaseUri, "--Gateway:Antom:ClientId=" + antom.ClientId,
            "--Gateway:Antom:MerchantPrivateKeyPath=" + Path.Combine(folder, "merchant.pem"),
            "--Gateway:Antom:AntomPublicKeyPath=" + Path.Combine(folder, "antom.pub"),
            "--Gateway:Antom:TrustedCertificatePath=" + Path.Combine(folder, "antom-ca.pem"),
            "--Gateway:Antom:AttemptTimeoutMs=10000", "--Gateway:Antom:TotalTimeoutMs=10000", "--Gateway:Antom:MaxAttemptsPayRefund=1",
            "--Gateway:Recovery:StaleAfterSeconds=15", "--Gateway:Recovery:IntervalSeconds=1",
            "--Gateway:Merchant:ReferenceMerchantId=M001", "--Gateway:Merchant:ReferenceStoreId=S001",
            "--Logging:Console:FormatterName=simple",
        ];
    }

    private static async Task<byte[]> RegisterAsync(HttpClient http, Uri adminUri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(adminUri, "/admin/devices"))
        {
            Content = new StringContent("{\"deviceId\":\"T0001\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Convert.FromBase64String((string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["key"]!);
    }

    private static async Task<(string Outcome, long? SentAt)> ReadTransactionAsync(string folder)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "gateway.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT upstream_outcome, upstream_sent_at FROM transactions WHERE payment_request_id = 'P-killed'";
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)) : ("none", null);
    }

    private static async Task Until(Func<bool> condition, string what, StringBuilder output, TimeSpan? limit = null)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > (limit ?? TimeSpan.FromSeconds(60))) Assert.Fail(what + "\n" + output);
            await Task.Delay(50);
        }
    }

    /// <summary>Two ports free at once: held together while picked, so they cannot be the same one.</summary>
    private static (int, int) TwoFreePorts()
    {
        using var one = new TcpListener(IPAddress.Loopback, 0);
        using var two = new TcpListener(IPAddress.Loopback, 0);
        one.Start();
        two.Start();
        return (((IPEndPoint)one.LocalEndpoint).Port, ((IPEndPoint)two.LocalEndpoint).Port);
    }

    /// <summary>Terminal.Gateway.dll from the test's output folder, run with `dotnet`, its output collected.</summary>
    private sealed class GatewayProcess : IDisposable
    {
        private readonly Process _process;

        /// <summary>A fresh `dotnet` process starting on a loaded 2-core machine can take most of a minute.</summary>
        private static readonly TimeSpan ReadyWaitLimit = TimeSpan.FromSeconds(120);

        private GatewayProcess(Process process) => _process = process;

        public static GatewayProcess Start(string[] args, StringBuilder output)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Terminal.Gateway.dll"));
            foreach (string a in args) start.ArgumentList.Add(a);
            start.Environment["DOTNET_ENVIRONMENT"] = "Production";
            var process = Process.Start(start)!;
            void Collect(object _, DataReceivedEventArgs e)
            {
                if (e.Data == null) return;
                lock (output) output.AppendLine($"[gateway {process.Id}] {e.Data}");
            }
            process.OutputDataReceived += Collect;
            process.ErrorDataReceived += Collect;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new GatewayProcess(process);
        }

        public async Task WaitReadyAsync(HttpClient http, Uri baseUri)
        {
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < ReadyWaitLimit && !_process.HasExited)
            {
                try
                {
                    using var response = await http.GetAsync(new Uri(baseUri, "/readyz"));
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(100);
            }
            throw new InvalidOperationException($"the gateway process did not become ready (exited: {_process.HasExited})");
        }

        /// <summary>SIGKILL: no shutdown, no flush, no finally blocks.</summary>
        public void KillHard()
        {
            if (_process.HasExited) return;
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            KillHard();
            _process.Dispose();
        }
    }
}
