using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Terminal.Gateway.Fleet;
using Terminal.Gateway.OperationsConsole.Accounts;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Browser;
using Terminal.Tests.DeviceLink;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>
/// The operations console in headless chromium against the real chain (terminal engine → gateway → Antom emulator):
/// sign-in and lockout, a sale found by its reference and refunded in part from the office to a final status, a store
/// setting that a terminal applies at its next heartbeat, a viewer refused a refund, hostile text rendered as text, a
/// form without its anti-forgery token refused. Screenshots go to artifacts/screenshots/console/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleBrowserTests(HeadlessChromium chromium) : IAsyncLifetime
{
    private const string Group = "console";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [BrowserFact]
    public async Task Sign_in_works_and_five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var page = await chromium.NewPageAsync(1280, 800);

        var unauthenticated = await rig.GoAsync(page, "/console/transactions");
        Assert.StartsWith(rig.Url("/console/login"), page.Url); // sent to sign in first
        Assert.Equal(200, unauthenticated!.Status);
        await Artifacts.ScreenshotAsync(page, Group, "login");

        for (int i = 1; i < ConsoleUsers.MaxFailedLogins; i++)
        {
            await rig.SignInAsync(page, ConsoleRig.ViewerName, "not the password " + i);
            Assert.Equal("Wrong user name or password.", await PageReading.TextAsync(page, "[role=alert]"));
        }
        await rig.SignInAsync(page, ConsoleRig.ViewerName, "not the password 5");
        Assert.Contains("locked", await PageReading.TextAsync(page, "[role=alert]"));
        await rig.SignInAsync(page, ConsoleRig.ViewerName); // the right password during the lockout
        Assert.Contains("locked", await PageReading.TextAsync(page, "[role=alert]"));
        Assert.StartsWith(rig.Url("/console/login"), page.Url);

        // Negative control: another account signs in with the same browser.
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        Assert.Equal(rig.Url("/console"), page.Url);
        Assert.Equal("Overview", await page.InnerTextAsync("h1"));

        // The audit shows every attempt, with the name tried.
        await rig.GoAsync(page, "/console/audit?user=vera");
        var actions = await PageReading.TextsAsync(page, "tbody tr td:nth-child(3)");
        Assert.Equal(new[] { "login_locked", "login_locked" }.Concat(Enumerable.Repeat("login_failed", 4)), actions);
        var (_, lockedUntil) = (await rig.Users.FindAsync(ConsoleRig.ViewerName)) is { } u ? (u, u.LockedUntil) : default;
        Assert.NotNull(lockedUntil);
    }

    [BrowserFact]
    public async Task A_sale_found_by_reference_is_refunded_in_part_from_the_office_and_the_refund_shows_final()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var terminal = rig.Rig.NewTerminal(await rig.Rig.RegisterAsync("T0001"));
        var other = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 700, "R-OTHER", rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        var sale = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 5000, "R-DISPUTED-42", rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.Equal((FinalStatus.Success, FinalStatus.Success), (other.Status, sale.Status));

        var page = await chromium.NewPageAsync(1280, 900);
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        await Artifacts.ScreenshotAsync(page, Group, "overview");
        await PageReading.FollowLinkAsync(page, "Transactions");
        await page.FillAsync("input[name=reference]", "R-DISPUTED-42");
        await ConsoleRig.SubmitAsync(page, "form.filters button");
        var rows = await PageReading.TextsAsync(page, "tbody tr");
        var row = Assert.Single(rows);
        Assert.Contains("USD 50.00", row);
        Assert.Contains(sale.RequestId, row);
        await Artifacts.ScreenshotAsync(page, Group, "transactions-search");

        await PageReading.FollowLinkAsync(page, sale.RequestId);
        string facts = await PageReading.TextAsync(page, "dl.facts");
        Assert.Contains("SUCCESS", facts);
        Assert.Contains(sale.PaymentId, facts);
        string timeline = await PageReading.TextAsync(page, "ol.timeline");
        Assert.Contains("pay from T0001", timeline);
        Assert.Contains("Antom's answer (signature verified)", timeline);
        // The payment code is in the timeline only masked.
        string bodies = string.Join("\n", await page.Locator("ol.timeline pre").AllTextContentsAsync());
        Assert.Contains("paymentMethodId", bodies);
        Assert.DoesNotMatch("\"paymentMethodId\":\"[0-9]{5,}", bodies);

        await PageReading.FollowLinkAsync(page, "Refund…");
        await page.FillAsync("input[name=amount]", "12.50");
        await page.FillAsync("input[name=reason]", "customer returned one item");
        await page.CheckAsync("input[name=confirm]");
        await ConsoleRig.SubmitAsync(page, "button.danger");
        Assert.Contains("/console/refunds/office-", page.Url);
        Assert.Equal("SUCCESS", await page.InnerTextAsync(".refund-status"));
        Assert.Contains("final", await PageReading.TextAsync(page, "[role=status]"));
        Assert.Null(await page.QuerySelectorAsync("meta[http-equiv=refresh]"));
        await Artifacts.ScreenshotAsync(page, Group, "refund-final");

        // At Antom and in the gateway's records, as a terminal's refund would be.
        var refund = Assert.Single(rig.Rig.Emulator.Records.Refunds());
        Assert.Equal(1250, refund.Amount.Value);
        var stored = Assert.Single(await rig.Rig.Gateway.Store.ListRefundsAsync());
        Assert.Equal(("SUCCESS", "T0001", 1250L, sale.PaymentId), (stored.Status, stored.DeviceId, stored.AmountMinor, stored.PaymentId));
        Assert.Contains(await rig.Rig.Gateway.Store.ListTransactionsAsync(), t => t.Operation == "refund" && t.RefundRequestId == stored.RefundRequestId && t.ResultStatus == "S");

        // The payment page now shows what is left and the refund in its timeline; the audit names the operator.
        await rig.GoAsync(page, "/console/transactions/" + sale.RequestId);
        Assert.Contains("USD 37.50", await PageReading.TextAsync(page, "dl.facts"));
        string after = await PageReading.TextAsync(page, "ol.timeline");
        Assert.Contains("console: refund by olivia", after);
        Assert.Contains("refund from the office, in T0001's name", after);
        await Artifacts.ScreenshotAsync(page, Group, "transaction");

        // A second refund above what is left is refused before anything is sent.
        await rig.GoAsync(page, "/console/transactions/" + sale.RequestId + "/refund");
        await page.FillAsync("input[name=amount]", "40.00");
        await page.FillAsync("input[name=reason]", "too much");
        await page.CheckAsync("input[name=confirm]");
        await ConsoleRig.SubmitAsync(page, "button.danger");
        Assert.Contains("at most 3750", await PageReading.TextAsync(page, "[role=alert]"));
        Assert.Single(rig.Rig.Emulator.Records.Refunds());
    }

    [BrowserFact]
    public async Task A_refund_antom_reports_in_process_shows_so_and_the_page_follows_it_to_final()
    {
        // The resolver's repair pass asks Antom about an open refund once it is older than StaleAfterSeconds.
        await using var rig = await ConsoleRig.StartAsync(configure: o => o.Recovery = new Terminal.Gateway.Configuration.RecoveryOptions { StaleAfterSeconds = 15, IntervalSeconds = 1 });
        var terminal = rig.Rig.NewTerminal(await rig.Rig.RegisterAsync("T0001"));
        var sale = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 2000, "R-SLOW", rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        rig.Rig.Emulator.Wallet.DeferRefunds = true;

        var page = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        await rig.GoAsync(page, "/console/transactions/" + sale.RequestId + "/refund");
        await page.FillAsync("input[name=reason]", "order cancelled");
        await page.CheckAsync("input[name=confirm]");
        await ConsoleRig.SubmitAsync(page, "button.danger");
        Assert.Equal("PROCESSING", await page.InnerTextAsync(".refund-status"));
        Assert.Equal("2", await page.GetAttributeAsync("meta[http-equiv=refresh]", "content"));
        await Artifacts.ScreenshotAsync(page, Group, "refund-processing");

        var pending = Assert.Single(rig.Rig.Emulator.Records.Refunds());
        Assert.Equal(2000, pending.Amount.Value); // the form's default: all that is left
        rig.Rig.Emulator.Wallet.SettleRefund(pending.RefundId, success: true);
        await page.WaitForSelectorAsync(".success .refund-status", new PageWaitForSelectorOptions { Timeout = 60_000 });
        Assert.Equal("SUCCESS", await page.InnerTextAsync(".refund-status"));
        Assert.Null(await page.QuerySelectorAsync("meta[http-equiv=refresh]"));
    }

    [BrowserFact]
    public async Task A_viewer_sees_no_refund_button_and_is_refused_the_refund_form()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var terminal = rig.Rig.NewTerminal(await rig.Rig.RegisterAsync("T0001"));
        var sale = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 900, "R-VIEW", rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);

        var page = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(page, ConsoleRig.ViewerName);
        await rig.GoAsync(page, "/console/transactions/" + sale.RequestId);
        Assert.DoesNotContain(await PageReading.LinksAsync(page), l => l.Name == "Refund…");

        var refused = await rig.GoAsync(page, "/console/transactions/" + sale.RequestId + "/refund");
        Assert.Equal(403, refused!.Status);
        Assert.Equal("Not allowed", await page.InnerTextAsync("h1"));
        Assert.Empty(rig.Rig.Emulator.Records.Refunds());
        var audit = rig.Rig.Gateway.Services.GetRequiredService<AuditLog>();
        Assert.Contains(await audit.ListAsync(null, 50), e => e.Username == ConsoleRig.ViewerName && e.Action == AuditLog.AccessDenied);

        // Negative control: the operator gets the form.
        var operatorPage = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(operatorPage, ConsoleRig.OperatorName);
        var form = await rig.GoAsync(operatorPage, "/console/transactions/" + sale.RequestId + "/refund");
        Assert.Equal(200, form!.Status);
        Assert.NotNull(await operatorPage.QuerySelectorAsync("input[name=amount]"));
    }

    [BrowserFact]
    public async Task A_store_setting_changed_in_the_console_is_applied_by_a_terminal_at_its_next_heartbeat()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var credentials = await rig.Rig.RegisterAsync("T0001");
        using var http = new HttpClientExchange(rig.Rig.Gateway.BaseUri, rig.Rig.Gateway.CaCertificate);
        var terminal = new HeartbeatRig(http, deviceId: credentials.DeviceId, key: credentials.KeyBytes, configure: c => c.Engine.CpmBudgetMs = 60_000);
        terminal.Clock.Wall = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.Run(terminal.Beat);

        var page = await chromium.NewPageAsync(1280, 900);
        await rig.SignInAsync(page, ConsoleRig.TechnicianName);
        await rig.GoAsync(page, "/console/settings?scope=store&id=S001");
        await page.FillAsync("textarea[name=values]", "pollIntervalMs = 3000\ndisplayName = Front counter");
        await ConsoleRig.SubmitAsync(page, "form.stack button");
        Assert.Contains("Saved as version", await PageReading.TextAsync(page, "[role=status]"));

        await rig.GoAsync(page, "/console/devices/T0001");
        Assert.Contains("pending", await PageReading.TextAsync(page, "main"));
        await Task.Run(terminal.Beat);
        Assert.Equal((3000, "Front counter"), (terminal.Config.Engine.PollIntervalMs, terminal.Config.Display.DisplayName));
        await Task.Run(terminal.Beat); // reports what it applied
        await rig.GoAsync(page, "/console/devices/T0001");
        string main = await PageReading.TextAsync(page, "main");
        Assert.Contains("applied at the terminal", main);
        Assert.Contains("Front counter", main);
        Assert.NotNull(await page.QuerySelectorAsync("svg.chart"));
        await Artifacts.ScreenshotAsync(page, Group, "device");

        await PageReading.FollowLinkAsync(page, "Fleet");
        Assert.Contains("applied", await PageReading.TextAsync(page, "tbody tr"));
        await Artifacts.ScreenshotAsync(page, Group, "fleet");

        // A value the terminal's rules refuse is not stored.
        await rig.GoAsync(page, "/console/settings?scope=store&id=S001");
        await page.FillAsync("textarea[name=values]", "pollIntervalMs = 200");
        await ConsoleRig.SubmitAsync(page, "form.stack button");
        Assert.Contains("pollIntervalMs must be 1000..10000", await PageReading.TextAsync(page, "[role=alert]"));
        var audit = rig.Rig.Gateway.Services.GetRequiredService<AuditLog>();
        Assert.Single(await audit.ListAsync(null, 50), e => e.Action == AuditLog.Settings && e.Username == ConsoleRig.TechnicianName);
    }

    [BrowserFact]
    public async Task Markup_in_a_reference_and_a_terminal_name_is_shown_as_text_and_never_runs()
    {
        const string HostileReference = "<img src=x onerror=alert(1)>";
        const string HostileName = "<script>alert(2)</script><b>b"; // displayName: at most 32 characters
        await using var rig = await ConsoleRig.StartAsync();
        var terminal = rig.Rig.NewTerminal(await rig.Rig.RegisterAsync("T0001"));
        var sale = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 1000, HostileReference, rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.Equal(FinalStatus.Success, sale.Status);
        var fleetSettings = rig.Rig.Gateway.Services.GetRequiredService<FleetSettings>();
        Assert.Null((await fleetSettings.SetAsync(FleetSettings.Device, "T0001", new JsonObject { ["displayName"] = HostileName }, "test")).Error);

        var page = await chromium.NewPageAsync(1280, 800);
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        await rig.GoAsync(page, "/console/transactions?reference=" + Uri.EscapeDataString(HostileReference));
        Assert.Contains(HostileReference, await PageReading.TextAsync(page, "tbody"));
        Assert.Equal(HostileReference, await page.InputValueAsync("input[name=reference]"));
        Assert.Null(await page.QuerySelectorAsync("tbody img"));
        await rig.GoAsync(page, "/console/transactions/" + sale.RequestId);
        Assert.Contains(HostileReference, await PageReading.TextAsync(page, "dl.facts"));
        await rig.GoAsync(page, "/console/fleet");
        Assert.Contains(HostileName, await PageReading.TextAsync(page, "tbody"));
        Assert.Null(await page.QuerySelectorAsync("tbody b"));
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        await rig.GoAsync(page, "/console/devices/T0001");
        Assert.Contains(HostileName, await PageReading.TextAsync(page, "dl.facts"));
        Assert.Empty(dialogs);
    }

    [BrowserFact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        await using var rig = await ConsoleRig.StartAsync();
        var page = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        var settingsUrl = rig.Url("/console/settings?scope=fleet");

        // The signed-in browser's own cookies, but no token in the form: what a page on another site could send.
        var forged = await page.Context.APIRequest.PostAsync(settingsUrl, new APIRequestContextOptions
        {
            Form = MakeForm(page, ("scope", "fleet"), ("id", ""), ("values", "pollIntervalMs = 4000")),
        });
        Assert.Equal(400, forged.Status);
        var store = rig.Rig.Gateway.Services.GetRequiredService<Terminal.Gateway.Storage.FleetStore>();
        Assert.Null(await store.SettingsAsync(FleetSettings.Fleet, ""));

        // A token from another session does not pass either.
        var otherPage = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(otherPage, ConsoleRig.TechnicianName);
        await rig.GoAsync(otherPage, "/console/settings?scope=fleet");
        string foreignToken = await otherPage.InputValueAsync("input[name=__csrf]");
        var crossed = await page.Context.APIRequest.PostAsync(settingsUrl, new APIRequestContextOptions
        {
            Form = MakeForm(page, ("scope", "fleet"), ("id", ""), ("values", "pollIntervalMs = 4000"), ("__csrf", foreignToken)),
        });
        Assert.Equal(400, crossed.Status);
        Assert.Null(await store.SettingsAsync(FleetSettings.Fleet, ""));

        // Negative control: the same post with the page's own token is taken.
        await rig.GoAsync(page, "/console/settings?scope=fleet");
        string token = await page.InputValueAsync("input[name=__csrf]");
        var genuine = await page.Context.APIRequest.PostAsync(settingsUrl, new APIRequestContextOptions
        {
            Form = MakeForm(page, ("scope", "fleet"), ("id", ""), ("values", "pollIntervalMs = 4000"), ("__csrf", token)),
        });
        Assert.Equal(200, genuine.Status);
        Assert.NotNull(await store.SettingsAsync(FleetSettings.Fleet, ""));
    }

    private static IFormData MakeForm(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        return form;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseAllPagesAsync();
}
