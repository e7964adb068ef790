using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Terminal.Gateway.Storage;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.CustomerPage;

/// <summary>
/// The result page over HTTP: what order-code pays carry, what is stored, headers, limits and the inquiry budget.
/// (The page's looks and words in a browser: <see cref="CustomerPageBrowserTests"/>.)
/// </summary>
public sealed class CustomerPageTests
{
    [Theory, SqliteProvider, PostgresProvider]
    public async Task Each_order_code_pay_gets_its_own_short_link_and_a_repeated_pay_sends_the_same_one(string provider)
    {
        await using var rig = await CustomerPageRig.StartAsync(provider: provider);
        var first = await rig.OrderAsync("L-1");
        var second = await rig.OrderAsync("L-2");
        string link = rig.LinkOf(first);

        Assert.StartsWith(rig.Rig.Gateway.BaseUri + "result/", link);
        string token = link[(link.LastIndexOf('/') + 1)..];
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token);
        Assert.NotEqual(link, rig.LinkOf(second));
        Assert.DoesNotContain("L-1", link);

        // The terminal repeats the pay (a new request for the same paymentRequestId): Antom gets the same URL.
        await rig.Device.PostAsync(Bodies.Pay, Bodies.OrderCode("L-1"));
        Assert.Equal(2, (await rig.Rig.Gateway.Store.ListTransactionsAsync()).Count(t => t.PaymentRequestId == "L-1"));
        Assert.Equal(link, rig.LinkOf(first));
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task The_token_is_not_stored_and_the_terminal_never_sees_it(string provider)
    {
        await using var rig = await CustomerPageRig.StartAsync(provider: provider);
        var reply = await rig.Device.PostAsync(Bodies.Pay, Bodies.OrderCode("S-1"));
        var order = new OrderCode("S-1", "", reply["paymentId"]!);
        string link = rig.LinkOf(order);
        string token = link[(link.LastIndexOf('/') + 1)..];

        Assert.DoesNotContain(token, reply.Body);
        var transaction = Assert.Single(await rig.Rig.Gateway.Store.ListTransactionsAsync());
        Assert.Contains("\"paymentRedirectUrl\":\"" + rig.Rig.Gateway.BaseUri + "result/" + new string('*', 22) + "\"", transaction.UpstreamRequestBody);
        Assert.DoesNotContain(token, transaction.UpstreamRequestBody);
        Assert.DoesNotContain(token, transaction.ResponseBody);
        await using var connection = await rig.Rig.Gateway.Store.Database.OpenAsync();
        await using var dump = connection.CreateCommand();
        dump.CommandText = "SELECT token_hash || seed || payment_request_id FROM customer_links";
        string row = (string)(await dump.ExecuteScalarAsync())!;
        Assert.DoesNotContain(token, row);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token))), row);
    }

    [Fact]
    public async Task Payment_code_pays_get_no_link_and_a_device_cannot_set_one()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        string code = rig.Rig.Emulator.Wallet.IssuePaymentCode();
        var upm = await rig.Device.PostAsync(Bodies.Pay, Bodies.Upm("U-1", code: code));
        Assert.Equal("S", upm.ResultStatus);
        Assert.Null(rig.Rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, "U-1")!.RedirectUrl);

        var body = System.Text.Json.Nodes.JsonNode.Parse(Bodies.OrderCode("U-2"))!.AsObject();
        body["paymentRedirectUrl"] = "https://phish.example/you-paid";
        var refused = await rig.Device.PostAsync(Bodies.Pay, body.ToJsonString());
        Assert.Equal("PARAM_ILLEGAL", refused.ResultCode);
        Assert.StartsWith("paymentRedirectUrl:", refused.ResultMessage);
        Assert.Null(rig.Rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, "U-2"));
    }

    [Fact]
    public async Task Switched_off_pays_carry_no_link_and_links_answer_as_unknown()
    {
        await using var rig = await CustomerPageRig.StartAsync(o => o.CustomerPage.Enabled = false);
        await rig.OrderAsync("OFF-1");
        Assert.Null(rig.Rig.Emulator.Records.FindPayment(EndToEndRig.MerchantClientId, "OFF-1")!.RedirectUrl);
        using var response = await rig.Rig.Http.GetAsync(new Uri(rig.Rig.Gateway.BaseUri, "result/" + new string('A', 22)));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_page_has_security_headers_and_is_served_on_the_public_listener_only()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        string link = rig.LinkOf(await rig.OrderAsync("H-1"));
        using var response = await rig.Rig.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("http", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.StartsWith("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        string html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.True(html.Length < 8 * 1024, $"page is {html.Length} bytes");

        string path = new Uri(link).AbsolutePath;
        using var admin = new HttpClient();
        using var onAdmin = await admin.GetAsync(new Uri(rig.Rig.Gateway.AdminBaseUri, path));
        Assert.Equal(HttpStatusCode.NotFound, onAdmin.StatusCode);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Unknown_malformed_and_expired_tokens_get_identical_answers(string provider)
    {
        await using var rig = await CustomerPageRig.StartAsync(provider: provider);
        string link = rig.LinkOf(await rig.OrderAsync("E-1"));
        string basis = link[..(link.LastIndexOf('/') + 1)];
        rig.Clock.Advance(TimeSpan.FromHours(168) + TimeSpan.FromSeconds(1));

        var answers = new List<(HttpStatusCode, string)>();
        foreach (string url in new[] { link, basis + new string('Q', 22), basis + "short", basis + "%3Cscript%3E" })
        {
            using var response = await rig.Rig.Http.GetAsync(url);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NotFound, a.Item1));
        Assert.Single(answers.Select(a => a.Item2).Distinct());
        Assert.Contains("Link not valid", answers[0].Item2);
        Assert.DoesNotContain("E-1", answers[0].Item2);

        // Negative control: the same link a second before expiry works.
        await using var fresh = await CustomerPageRig.StartAsync(provider: provider);
        string live = fresh.LinkOf(await fresh.OrderAsync("E-2"));
        fresh.Clock.Advance(TimeSpan.FromHours(168) - TimeSpan.FromSeconds(1));
        using var ok = await fresh.Rig.Http.GetAsync(live);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Requests_per_address_are_limited_and_failed_lookups_lock_the_address_out()
    {
        await using var rig = await CustomerPageRig.StartAsync(o =>
        {
            o.CustomerPage.RequestsPerMinute = 3;
            o.CustomerPage.MaxFailedLookups = 2;
        });
        string link = rig.LinkOf(await rig.OrderAsync("R-1"));
        for (int i = 0; i < 3; i++)
        {
            using var ok = await rig.Rig.Http.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var limited = await rig.Rig.Http.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
            Assert.Contains("frame-ancestors 'none'", limited.Headers.GetValues("Content-Security-Policy").Single());
        }

        rig.Clock.Advance(TimeSpan.FromMinutes(1));
        string basis = link[..(link.LastIndexOf('/') + 1)];
        for (int i = 0; i < 2; i++)
        {
            using var unknown = await rig.Rig.Http.GetAsync(basis + new string((char)('A' + i), 22));
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        using (var locked = await rig.Rig.Http.GetAsync(link))
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode); // the right link too, for 10 minutes
        rig.Clock.Advance(TimeSpan.FromMinutes(10));
        using var again = await rig.Rig.Http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task An_open_payment_is_inquired_at_most_once_per_interval_whatever_the_reloads(string provider)
    {
        await using var rig = await CustomerPageRig.StartAsync(o => o.CustomerPage.MaxInquiriesPerPayment = 3, provider);
        var order = await rig.OrderAsync("I-1");
        string link = rig.LinkOf(order);
        int Inquiries() => rig.Rig.Gateway.Metrics.Render().Split('\n')
            .Where(l => l.StartsWith("gateway_upstream_total{operation=\"inquiryPayment\"", StringComparison.Ordinal))
            .Sum(l => int.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

        for (int i = 0; i < 10; i++)
        {
            using var page = await rig.Rig.Http.GetAsync(link);
            Assert.Contains("Not paid yet", await page.Content.ReadAsStringAsync());
        }
        Assert.Equal(1, Inquiries());
        for (int i = 0; i < 5; i++)
        {
            rig.Clock.Advance(TimeSpan.FromSeconds(5));
            using var page = await rig.Rig.Http.GetAsync(link);
        }
        Assert.Equal(3, Inquiries()); // MaxInquiriesPerPayment

        // A final record needs no inquiry at all.
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);
        await rig.WaitForStatusAsync(order, "SUCCESS");
        using var paid = await rig.Rig.Http.GetAsync(link);
        Assert.Contains("<h1>Paid</h1>", await paid.Content.ReadAsStringAsync());
        Assert.Equal(3, Inquiries());
    }

    [Theory, SqliteProvider, PostgresProvider]
    public async Task Expired_links_are_purged(string provider)
    {
        await using var rig = await CustomerPageRig.StartAsync(provider: provider);
        await rig.OrderAsync("P-1");
        var links = rig.Rig.Gateway.Services.GetRequiredService<CustomerLinkStore>();
        long now = rig.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(0, await links.PurgeExpiredAsync(now));
        Assert.Equal(1, await links.PurgeExpiredAsync(now + 168 * 3_600_000L));
    }
}
