using Microsoft.Playwright;
using Terminal.AntomEmulator;
using Terminal.Tests.Browser;
using Xunit;

namespace Terminal.Tests.CustomerPage;

/// <summary>
/// The customer's result page as a phone shows it: headless chromium at 320 px opens the link the emulator's wallet
/// sends the customer to, for each state a payment can be in, and checks the words, the figures, contrast, headings and
/// reflow. Screenshots go to artifacts/screenshots/customer-page/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerPageBrowserTests(HeadlessChromium chromium) : IAsyncLifetime
{
    private const string Group = "customer-page";

    [BrowserFact]
    public async Task A_paid_order_shows_paid_with_store_amount_time_and_the_end_of_the_payment_id()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-PAID-1", 1250);
        Assert.Equal(WalletResult.Completed, rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue));
        string link = rig.Rig.Emulator.Wallet.CustomerRedirectUrl(order.CodeValue)!;
        Assert.Equal(rig.LinkOf(order), link);

        var page = await OpenAsync(link);
        Assert.Equal("Paid", await page.InnerTextAsync("h1"));
        string text = await PageReading.TextAsync(page, "main");
        Assert.Contains("Harbour Tea House", text);
        Assert.Contains("USD 12.50", text);
        Assert.Contains("…" + order.PaymentId[^6..], text);
        Assert.DoesNotContain(order.PaymentId, text);
        Assert.DoesNotContain(order.PaymentRequestId, text);
        Assert.Contains("(UTC+08:00)", text); // the store's zone
        Assert.Null(await page.QuerySelectorAsync("meta[http-equiv=refresh]"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "paid-320");
    }

    [BrowserFact]
    public async Task A_paid_order_in_simplified_chinese_for_a_chinese_browser()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-PAID-ZH", 880);
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);

        var page = await OpenAsync(rig.Rig.Emulator.Wallet.CustomerRedirectUrl(order.CodeValue)!, "zh-CN");
        Assert.Equal("支付成功", await page.InnerTextAsync("h1"));
        Assert.Equal("zh-Hans", await page.GetAttributeAsync("html", "lang"));
        Assert.Contains("金额", await PageReading.TextAsync(page, "main"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "paid-320-zh");
    }

    [BrowserFact]
    public async Task An_order_not_paid_yet_says_so_and_refreshes_itself_whatever_the_link_claims()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-OPEN-1", 4200);
        Assert.Null(rig.Rig.Emulator.Wallet.CustomerRedirectUrl(order.CodeValue)); // the customer has not finished

        // Anyone can add parameters to the link; the page never reads them.
        var page = await OpenAsync(rig.LinkOf(order) + "?resultStatus=S&resultCode=SUCCESS&paymentStatus=SUCCESS&status=paid");
        Assert.Equal("Not paid yet", await page.InnerTextAsync("h1"));
        Assert.DoesNotContain("Paid", (await PageReading.TextAsync(page, "main")).Replace("Not paid", ""));
        Assert.Equal("5", await page.GetAttributeAsync("meta[http-equiv=refresh]", "content"));
        Assert.Contains("updates by itself", await PageReading.TextAsync(page, "main"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "processing-320");

        // The customer pays; the next refresh (here: the page's own "Update now" link) shows it.
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);
        rig.Clock.Advance(TimeSpan.FromSeconds(6)); // past the page's inquiry interval
        await PageReading.FollowLinkAsync(page, "Update now");
        Assert.Equal("Paid", await page.InnerTextAsync("h1"));
        Assert.Empty(await PageReading.LinksAsync(page)); // a final page has nothing to update
    }

    [BrowserFact]
    public async Task A_declined_order_shows_not_paid()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-FAIL-1", 999);
        Assert.Equal(WalletResult.Completed, rig.Rig.Emulator.Wallet.DeclineOrderCode(order.CodeValue));

        var page = await OpenAsync(rig.Rig.Emulator.Wallet.CustomerRedirectUrl(order.CodeValue)!);
        Assert.Equal("Not paid", await page.InnerTextAsync("h1"));
        Assert.Contains("No money was taken", await PageReading.TextAsync(page, "main"));
        Assert.Null(await page.QuerySelectorAsync("meta[http-equiv=refresh]"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "failed-320");
    }

    [BrowserFact]
    public async Task An_order_that_expired_unpaid_shows_not_paid_and_why()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-EXPIRED-1", 300);
        string link = rig.LinkOf(order);
        rig.Rig.Emulator.Clock.Advance(TimeSpan.FromMinutes(16)); // past the order code's lifetime: Antom closes it
        await rig.WaitForStatusAsync(order, "FAIL");               // its notification reached the gateway

        var page = await OpenAsync(link);
        Assert.Equal("Not paid", await page.InnerTextAsync("h1"));
        Assert.Contains("expired before it was paid", await PageReading.TextAsync(page, "main"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "expired-order-320");
    }

    [BrowserFact]
    public async Task A_refund_made_later_shows_on_the_same_link()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-REFUND-1", 2000);
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);
        string link = rig.Rig.Emulator.Wallet.CustomerRedirectUrl(order.CodeValue)!;
        await rig.WaitForStatusAsync(order, "SUCCESS");

        await rig.RefundAsync(order, 500, "B-REFUND-1-R1");
        var page = await OpenAsync(link);
        Assert.Equal("Partly refunded", await page.InnerTextAsync("h1"));
        Assert.Contains("USD 5.00", await PageReading.TextAsync(page, "main"));

        await rig.RefundAsync(order, 1500, "B-REFUND-1-R2");
        await page.ReloadAsync();
        Assert.Equal("Refunded", await page.InnerTextAsync("h1"));
        Assert.Contains("USD 20.00", await PageReading.TextAsync(page, "dl"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "refunded-320");
    }

    [BrowserFact]
    public async Task A_voided_payment_shows_reversed()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-VOID-1", 700);
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);
        await rig.WaitForStatusAsync(order, "SUCCESS");
        await rig.CancelAsync(order);

        var page = await OpenAsync(rig.LinkOf(order));
        Assert.Equal("Payment reversed", await page.InnerTextAsync("h1"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "voided-320");
    }

    [BrowserFact]
    public async Task Forged_and_expired_links_show_the_same_not_valid_page()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-LINK-1", 100);
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);
        string link = rig.LinkOf(order);
        string forged = link[..^22] + new string('A', 22);

        var forgedPage = await OpenAsync(forged);
        Assert.Equal("Link not valid", await forgedPage.InnerTextAsync("h1"));
        string forgedHtml = await forgedPage.ContentAsync();
        await Artifacts.ScreenshotAsync(forgedPage, Group, "link-not-valid-320");

        rig.Clock.Advance(TimeSpan.FromHours(169)); // past Gateway:CustomerPage:LinkLifetimeHours (168)
        var expiredPage = await OpenAsync(link);
        Assert.Equal("Link not valid", await expiredPage.InnerTextAsync("h1"));
        Assert.Equal(forgedHtml, await expiredPage.ContentAsync());
        Assert.Empty(await PageChecks.AllProblemsAsync(expiredPage));
    }

    [BrowserFact]
    public async Task The_page_runs_no_script_and_cannot_be_framed()
    {
        await using var rig = await CustomerPageRig.StartAsync();
        var order = await rig.OrderAsync("B-FRAME-1", 100);
        rig.Rig.Emulator.Wallet.PayOrderCode(order.CodeValue);
        string link = rig.LinkOf(order);

        var page = await OpenAsync(link);
        Assert.Equal(0, await page.Locator("script").CountAsync());

        // A page of another origin puts the link in an iframe: the browser refuses to render it there.
        Assert.DoesNotContain("Paid", await FramedTextAsync(link, withoutFramingHeaders: false));
        // Negative control: the same answer without Content-Security-Policy and X-Frame-Options does render framed,
        // so it is those headers that keep it out.
        Assert.Contains("Paid", await FramedTextAsync(link, withoutFramingHeaders: true));
    }

    [BrowserFact]
    public async Task An_address_over_the_limit_gets_a_readable_please_wait_page()
    {
        await using var rig = await CustomerPageRig.StartAsync(o => o.CustomerPage.RequestsPerMinute = 2);
        var order = await rig.OrderAsync("B-LIMIT-1", 100);
        string link = rig.LinkOf(order);
        var page = await OpenAsync(link);
        await page.ReloadAsync();

        var response = await page.ReloadAsync();
        Assert.Equal(429, response!.Status);
        Assert.Equal("Please wait", await page.InnerTextAsync("h1"));
        Assert.Contains("Try again in a minute", await PageReading.TextAsync(page, "main"));
        Assert.Empty(await PageChecks.AllProblemsAsync(page));
        await Artifacts.ScreenshotAsync(page, Group, "too-many-requests-320");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseAllPagesAsync();

    /// <summary>The text an iframe of <paramref name="link"/> shows inside a page of another origin.</summary>
    private async Task<string> FramedTextAsync(string link, bool withoutFramingHeaders)
    {
        var framing = await chromium.NewPageAsync();
        if (withoutFramingHeaders)
        {
            await framing.RouteAsync(link, async route =>
            {
                var real = await route.FetchAsync();
                var headers = real.Headers.Where(h => h.Key is not ("content-security-policy" or "x-frame-options"))
                    .ToDictionary(h => h.Key, h => h.Value);
                await route.FulfillAsync(new RouteFulfillOptions { Response = real, Headers = headers });
            });
        }
        await framing.SetContentAsync($"<iframe src=\"{link}\" width=320 height=400></iframe>"); // waits for the frame's load
        var frame = framing.Frames.FirstOrDefault(f => f != framing.MainFrame);
        if (frame == null || !frame.Url.StartsWith("https://", StringComparison.Ordinal)) return "";
        return await frame.EvaluateAsync<string>("() => document.body ? document.body.innerText : ''");
    }

    private async Task<IPage> OpenAsync(string url, string language = "en-US")
    {
        var page = await chromium.NewPageAsync(language: language);
        var response = await page.GotoAsync(url);
        Assert.NotNull(response);
        return page;
    }
}
