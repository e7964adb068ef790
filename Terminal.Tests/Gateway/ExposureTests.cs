using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.Gateway;

/// <summary>
/// What the gateway exposes and keeps: the admin API and metrics only on their own (loopback) listener, failed admin
/// authentications rate-limited, the admin token from a file, a private SQLite file, the customer's payment code
/// never stored or logged in clear, and records purged after the retention period.
/// </summary>
public sealed class ExposureTests
{
    [Fact]
    public async Task The_admin_API_and_metrics_answer_only_on_the_admin_listener_and_devices_only_on_theirs()
    {
        await using var t = await TestGateway.StartAsync();
        Assert.Equal("127.0.0.1", t.Gateway.AdminBaseUri.Host);
        Assert.NotEqual(t.Gateway.BaseUri.Port, t.Gateway.AdminBaseUri.Port);

        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(t, t.Gateway.BaseUri, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/metrics"));
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(t, t.Gateway.BaseUri, "/admin/devices", TestGateway.AdminToken));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/admin/devices", TestGateway.AdminToken));
        // A Host header naming the admin port does not help on the device listener.
        Assert.Equal(HttpStatusCode.NotFound, await GetStatusAsync(t, t.Gateway.BaseUri, "/metrics", host: "127.0.0.1:" + t.Gateway.AdminBaseUri.Port));

        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-listener"))).ResultStatus);
        var onAdmin = new TestDevice(t.Http, t.Gateway.AdminBaseUri, device.DeviceId, device.Key);
        Assert.Equal(HttpStatusCode.NotFound, (await onAdmin.PostAsync(Bodies.Inquiry, Bodies.InquiryBody("P-listener"))).Status);
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(t, t.Gateway.BaseUri, "/healthz"));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/healthz"));
    }

    [Fact]
    public async Task Failed_admin_authentications_are_rate_limited_per_address()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var t = await TestGateway.StartAsync(configure: o => o.Clock = clock);
        for (int i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/admin/devices", "wrong-token-" + i));

        using var locked = await SendAsync(t, t.Gateway.AdminBaseUri, "/admin/devices", TestGateway.AdminToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Single(t.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("admin authentication", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/admin/devices", TestGateway.AdminToken));
    }

    [Fact]
    public async Task The_admin_token_can_come_from_a_file()
    {
        string file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "token-from-a-file-0123456789\n");
        try
        {
            await using var t = await TestGateway.StartAsync(configure: o => { o.AdminToken = null; o.AdminTokenPath = file; });
            Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/admin/devices", "token-from-a-file-0123456789"));
            Assert.Equal(HttpStatusCode.Unauthorized, await GetStatusAsync(t, t.Gateway.AdminBaseUri, "/admin/devices", TestGateway.AdminToken));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_SQLite_file_and_its_journal_files_are_private_to_the_gateways_user()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-mode"));
        string file = new SqliteConnectionStringBuilder(t.Database.ConnectionString).DataSource;
        foreach (string f in new[] { file, file + "-wal", file + "-shm" })
        {
            Assert.True(File.Exists(f), f);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
        }
    }

    [Fact]
    public async Task The_payment_code_is_kept_only_as_a_keyed_hash_and_masked_in_stored_bodies()
    {
        const string code = "281234567890123456";
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-code", code: code))).ResultStatus);
        Assert.Contains(code, Assert.Single(t.Antom.Requests).Body); // Antom gets it, of course

        var record = Assert.Single(await t.Gateway.Store.ListTransactionsAsync());
        Assert.DoesNotContain(code, record.DeviceRequestBody);
        Assert.DoesNotContain(code, record.UpstreamRequestBody);
        Assert.Contains("\"paymentMethodId\":\"**************3456\"", record.DeviceRequestBody);
        Assert.Contains("\"paymentMethodId\":\"**************3456\"", record.UpstreamRequestBody);

        // Nowhere in the database files either (the replay key is keyed too).
        string file = new SqliteConnectionStringBuilder(t.Database.ConnectionString).DataSource;
        foreach (string f in new[] { file, file + "-wal" })
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.DoesNotContain(code, Encoding.ASCII.GetString(copy.ToArray()));
        }
        Assert.DoesNotContain(t.Logs.Lines, l => l.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repeated_pay_with_another_payment_code_is_REPEAT_REQ_INCONSISTENT()
    {
        await using var t = await TestGateway.StartAsync();
        var device = await t.AddDeviceAsync();
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-same", code: "281111111111111111"))).ResultStatus);
        Assert.Equal("S", (await device.PostAsync(Bodies.Pay, Bodies.Upm("P-same", code: "281111111111111111"))).ResultStatus);
        var other = await device.PostAsync(Bodies.Pay, Bodies.Upm("P-same", code: "282222222222222222"));
        Assert.Equal(("F", "REPEAT_REQ_INCONSISTENT"), (other.ResultStatus, other.ResultCode));
        Assert.Contains("paymentMethodId", other.ResultMessage);
        Assert.Equal(2, t.Antom.CallCount("pay"));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Records_older_than_the_retention_period_are_purged_unless_still_open(string provider)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var t = await TestGateway.StartAsync(provider, o => { o.Clock = clock; o.Retention.Days = 30; });
        var device = await t.AddDeviceAsync();
        string paymentId = (await device.PostAsync(Bodies.Pay, Bodies.OrderCode("P-old")))["paymentId"]!;
        t.Antom.CustomerPays("P-old");
        await t.Antom.NotifyAsync(t.Gateway.NotifyUrl, FakeAntom.NotificationBody("P-old", paymentId));
        await device.PostAsync(Bodies.Refund, Bodies.RefundBody("R-old", paymentId));
        t.Antom.Script = r => r.Path.EndsWith("/pay", StringComparison.Ordinal) ? new FakeReply(FakeAntom.Result("U", "UNKNOWN_EXCEPTION", "x")) : null;
        await device.PostAsync(Bodies.Pay, Bodies.Upm("P-open")); // stays PENDING: an open question for an operator
        t.Antom.Script = null;

        clock.Advance(TimeSpan.FromDays(31));
        await device.SendAsync(device.Sign(Bodies.Pay, Bodies.Upm("P-new"), requestTime: clock.GetUtcNow().ToUnixTimeMilliseconds()));
        var purged = await t.Gateway.Store.PurgeAsync(clock.GetUtcNow().AddDays(-30).ToUnixTimeMilliseconds());

        Assert.Equal(new Terminal.Gateway.Storage.PurgeCounts(2, 1, 1, 1), purged); // pay and refund of P-old; P-open stays
        var left = await t.Gateway.Store.ListTransactionsAsync();
        Assert.Equal(["P-open", "P-new"], left.Select(r => r.PaymentRequestId ?? "").ToArray());
        Assert.Null(await t.Gateway.Store.FindPaymentAsync("P-old", null));
        Assert.NotNull(await t.Gateway.Store.FindPaymentAsync("P-open", null));
        Assert.Empty(await t.Gateway.Store.ListNotificationsAsync());
    }

    private static async Task<HttpStatusCode> GetStatusAsync(TestGateway t, Uri baseUri, string path, string? token = null, string? host = null)
    {
        using var response = await SendAsync(t, baseUri, path, token, host);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(TestGateway t, Uri baseUri, string path, string? token = null, string? host = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        if (token != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (host != null) request.Headers.Host = host;
        return t.Http.SendAsync(request);
    }
}
