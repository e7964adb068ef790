using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Terminal.AntomEmulator;
using Terminal.Gateway.OperationsConsole.Audit;
using Terminal.Gateway.PaymentState;
using Terminal.Gateway.Resolution;
using Terminal.Gateway.Storage;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Tests.Browser;
using Terminal.Tests.Gateway.Support;
using Xunit;

namespace Terminal.Tests.OperationsConsole;

/// <summary>
/// The console's Exceptions pages in headless chromium against the real chain (terminal engine → gateway → Antom
/// emulator): exceptions the resolution queue's job made itself (Antom unreachable past the give-up time; a terminal
/// reporting another terminal's payment), retried and closed with a note from the browser, gone from the list, in the
/// item's history and the audit, and back to the terminals in their heartbeat answers; markup in a register reference and
/// in a note shown as text; a viewer (and for closing, a technician) refused. Screenshots go to artifacts/screenshots/console/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleExceptionsBrowserTests(HeadlessChromium chromium) : IAsyncLifetime
{
    private const string Group = "console";
    private const string HeartbeatPath = "/terminal/v1/heartbeat";
    private const string HostileReference = "<img src=x onerror=alert(1)>";
    private const string HostileNote = "<script>alert(3)</script><b>not paid</b>, per the merchant portal";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [BrowserFact]
    public async Task An_operator_retries_one_exception_and_closes_another_with_a_note_and_both_leave_the_list()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var rig = await ConsoleRig.StartAsync(configure: o => o.Clock = clock);
        var made = await MakeExceptionsAsync(rig, clock, giveUp: true);
        var store = rig.Rig.Gateway.Store;
        rig.Rig.Emulator.Faults.Clear(); // Antom is reachable again

        var page = await chromium.NewPageAsync(1280, 900);
        var dialogs = new List<string>();
        page.Dialog += (_, d) => { dialogs.Add(d.Message); _ = d.DismissAsync(); };
        await rig.SignInAsync(page, ConsoleRig.OperatorName);
        await PageReading.FollowLinkAsync(page, "open exceptions");
        Assert.Equal(rig.Url("/console/exceptions"), page.Url);
        var rows = await PageReading.TextsAsync(page, "table.items tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains(made.GivenUp, StringComparison.Ordinal) && r.Contains(ResolutionQueue.StillUnknown, StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains(made.Misreported, StringComparison.Ordinal) && r.Contains(ResolutionQueue.UnknownReference, StringComparison.Ordinal));
        Assert.Contains("Exceptions (2)", await PageReading.TextAsync(page, "nav.tabs"));
        await Artifacts.ScreenshotAsync(page, Group, "exceptions");

        // Retry: the job asks Antom at once, finds the sale paid, and cancels it (the terminal gave it up).
        await PageReading.FollowLinkAsync(page, made.GivenUp);
        Assert.Contains(ResolutionQueue.StillUnknown, await PageReading.TextAsync(page, "dl.facts"));
        Assert.Contains("no final status after 24 h", await PageReading.TextAsync(page, "dl.facts"));
        Assert.Contains("cancel (abandoned)", await PageReading.TextAsync(page, "ol.timeline")); // the rule for a sale given up; Antom never answered
        await Artifacts.ScreenshotAsync(page, Group, "exception");
        await page.FillAsync("form[action*=Retry] input[name=note]", "Antom is reachable again");
        await ConsoleRig.SubmitAsync(page, "button[name=retry]");
        Assert.Equal(rig.Url($"/console/exceptions/{made.GivenUpItem}?done=retry"), page.Url);
        Assert.Contains("resolved as CANCELLED GATEWAY_CANCELLED", await PageReading.TextAsync(page, "[role=status]"));
        Assert.Equal(PaymentStatuses.Cancelled, (await store.FindPaymentAsync(made.GivenUp, null))!.Status);
        string history = await PageReading.TextAsync(page, "table.events");
        Assert.Contains("olivia retry Antom is reachable again", history);

        // Close the other with what the operator found, the note full of markup.
        await rig.GoAsync(page, "/console/exceptions");
        Assert.Equal(made.Misreported, Assert.Single(await PageReading.TextsAsync(page, "table.items tbody tr td:first-child")));
        await PageReading.FollowLinkAsync(page, made.Misreported);
        Assert.Contains("register reference " + HostileReference, await PageReading.TextAsync(page, "table.events"));
        await page.SelectOptionAsync("select[name=status]", "FAILED");
        await page.FillAsync("form[action*=Close] input[name=note]", HostileNote);
        await ConsoleRig.SubmitAsync(page, "button[name=close]");
        Assert.Contains("Closed as FAILED", await PageReading.TextAsync(page, "[role=status]"));
        Assert.Contains(HostileNote, await PageReading.TextAsync(page, "dl.facts"));
        Assert.Contains(HostileNote, await PageReading.TextAsync(page, "table.events"));
        Assert.Equal(0, await page.Locator("main b, main img, main script").CountAsync());
        await Artifacts.ScreenshotAsync(page, Group, "exception-closed");
        var closed = (await store.FindItemAsync(made.MisreportedItem))!;
        Assert.Equal((ResolutionStates.Closed, "FAILED", ConsoleRig.OperatorName, HostileNote), (closed.State, closed.Status, closed.ClosedBy, closed.CloseNote));

        await rig.GoAsync(page, "/console/exceptions");
        Assert.Equal("Nothing here.", await PageReading.TextAsync(page, "p.empty"));
        Assert.Contains("Exceptions (0)", await PageReading.TextAsync(page, "nav.tabs"));
        Assert.Contains("Resolved (1)", await PageReading.TextAsync(page, "nav.tabs"));
        Assert.Contains("Closed (1)", await PageReading.TextAsync(page, "nav.tabs"));

        // Both actions are in the console's audit (markup as text) and on the payment's timeline.
        await rig.GoAsync(page, "/console/audit?user=olivia");
        var audit = await PageReading.TextsAsync(page, "tbody tr");
        Assert.Contains(audit, r => r.Contains(AuditLog.ResolutionRetry, StringComparison.Ordinal) && r.Contains(made.GivenUp, StringComparison.Ordinal));
        Assert.Contains(audit, r => r.Contains(AuditLog.ResolutionClose, StringComparison.Ordinal) && r.Contains(HostileNote, StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator("main b, main script").CountAsync());
        await rig.GoAsync(page, "/console/transactions/" + made.GivenUp);
        Assert.Contains("console: resolution_retry by olivia", await PageReading.TextAsync(page, "ol.timeline"));
        Assert.Empty(dialogs);

        // The terminals hear the outcomes in their next heartbeat answers.
        var givenUpAnswer = await BeatAsync(made.Owner, clock, (ResolutionQueue.Sale, made.GivenUp, "R-GIVEN-UP"));
        Assert.Equal(("CANCELLED", "GATEWAY_CANCELLED"), Resolution(givenUpAnswer, made.GivenUp));
        var misreportedAnswer = await BeatAsync(made.Other, clock, (ResolutionQueue.Sale, made.Misreported, HostileReference));
        Assert.Equal(("FAILED", "OPERATOR_CLOSED"), Resolution(misreportedAnswer, made.Misreported));
    }

    [BrowserFact]
    public async Task A_viewer_may_read_the_exceptions_but_not_act_and_a_technician_may_retry_but_not_close()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var rig = await ConsoleRig.StartAsync(configure: o => o.Clock = clock);
        var made = await MakeExceptionsAsync(rig, clock, giveUp: false);
        string itemPath = "/console/exceptions/" + made.MisreportedItem;
        var store = rig.Rig.Gateway.Store;

        var viewer = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(viewer, ConsoleRig.ViewerName);
        await rig.GoAsync(viewer, itemPath);
        Assert.Contains(ResolutionQueue.UnknownReference, await PageReading.TextAsync(viewer, "dl.facts"));
        Assert.Equal(0, await viewer.Locator("main form").CountAsync());
        // The viewer's own valid token (from the sign-out form) does not make the action allowed.
        string viewerToken = await viewer.InputValueAsync("header input[name=__csrf]");
        var refusedClose = await PostAsync(viewer, rig.Url(itemPath + "?handler=Close"), viewerToken, ("status", "FAILED"), ("note", "viewer tries"));
        Assert.Equal(403, refusedClose.Status);
        var refusedRetry = await PostAsync(viewer, rig.Url(itemPath + "?handler=Retry"), viewerToken, ("note", "viewer tries"));
        Assert.Equal(403, refusedRetry.Status);
        Assert.Equal(ResolutionStates.Exception, (await store.FindItemAsync(made.MisreportedItem))!.State);

        var technician = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(technician, ConsoleRig.TechnicianName);
        await rig.GoAsync(technician, itemPath);
        Assert.Equal(1, await technician.Locator("button[name=retry]").CountAsync());
        Assert.Equal(0, await technician.Locator("button[name=close]").CountAsync());
        string technicianToken = await technician.InputValueAsync("form[action*=Retry] input[name=__csrf]");
        var technicianClose = await PostAsync(technician, rig.Url(itemPath + "?handler=Close"), technicianToken, ("status", "SUCCESS"), ("note", "technician tries"));
        Assert.Equal(403, technicianClose.Status);
        Assert.Equal(ResolutionStates.Exception, (await store.FindItemAsync(made.MisreportedItem))!.State);
        // A retry is the technician's: the job looks again and, the payment still being another terminal's, leaves it an exception.
        await technician.FillAsync("form[action*=Retry] input[name=note]", "checked the registration");
        await ConsoleRig.SubmitAsync(technician, "button[name=retry]");
        Assert.Contains("left it an exception again", await PageReading.TextAsync(technician, "[role=status]"));

        var entries = await rig.Rig.Gateway.Services.GetRequiredService<AuditLog>().ListAsync(null, 100);
        Assert.Equal(2, entries.Count(e => e.Username == ConsoleRig.ViewerName && e.Action == AuditLog.AccessDenied));
        Assert.Single(entries, e => e.Username == ConsoleRig.TechnicianName && e.Action == AuditLog.AccessDenied);
        Assert.Single(entries, e => e.Username == ConsoleRig.TechnicianName && e.Action == AuditLog.ResolutionRetry);
        Assert.DoesNotContain(entries, e => e.Action == AuditLog.ResolutionClose);

        // Negative control: the same close posted by the operator with the operator's token is taken.
        var operatorPage = await chromium.NewPageAsync(1280, 800);
        await rig.SignInAsync(operatorPage, ConsoleRig.OperatorName);
        await rig.GoAsync(operatorPage, itemPath);
        string operatorToken = await operatorPage.InputValueAsync("form[action*=Close] input[name=__csrf]");
        var taken = await PostAsync(operatorPage, rig.Url(itemPath + "?handler=Close"), operatorToken, ("status", "FAILED"), ("note", "not this terminal's payment"));
        Assert.Equal(200, taken.Status);
        Assert.Equal(ResolutionStates.Closed, (await store.FindItemAsync(made.MisreportedItem))!.State);
    }

    /// <summary>The two exceptions and who made them.</summary>
    private sealed record MadeExceptions(string GivenUp, string GivenUpItem, string Misreported, string MisreportedItem, TestDevice Owner, TestDevice Other);

    /// <summary>
    /// T0001 sells twice. With Antom unreachable, T0001 reports the first sale for review (the cashier gave it up) and
    /// T0002 reports the second, which is not its own, with markup as the register's reference. The job makes the second
    /// an unknown_reference exception at once; with <paramref name="giveUp"/> the clock passes the give-up time and the
    /// first becomes still_unknown (Antom never answered). Antom stays unreachable until the test says otherwise.
    /// </summary>
    private static async Task<MadeExceptions> MakeExceptionsAsync(ConsoleRig rig, ManualClock clock, bool giveUp)
    {
        var credentials = await rig.Rig.RegisterAsync("T0001");
        var otherCredentials = await rig.Rig.RegisterAsync("T0002");
        var terminal = rig.Rig.NewTerminal(credentials);
        var givenUp = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 1800, "R-GIVEN-UP", rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        var misreported = await terminal.SaleAsync(TransactionKind.SalePaymentCode, 700, "R-OTHERS", rig.Rig.Emulator.Wallet.IssuePaymentCode()).WaitAsync(Patience);
        Assert.Equal((FinalStatus.Success, FinalStatus.Success), (givenUp.Status, misreported.Status));

        // Antom down before anything enters the queue, so no pass of the gateway's own job can resolve an item early.
        rig.Rig.Emulator.Faults.Add(FaultRule.HttpError(503));
        var owner = new TestDevice(rig.Rig.Http, rig.Rig.Gateway.BaseUri, "T0001", credentials.KeyBytes);
        var other = new TestDevice(rig.Rig.Http, rig.Rig.Gateway.BaseUri, "T0002", otherCredentials.KeyBytes);
        await BeatAsync(owner, clock, (ResolutionQueue.Sale, givenUp.RequestId, "R-GIVEN-UP"));
        await BeatAsync(other, clock, (ResolutionQueue.Sale, misreported.RequestId, HostileReference));
        if (giveUp) clock.Advance(TimeSpan.FromHours(25));

        var queue = rig.Rig.Gateway.Services.GetRequiredService<ResolutionQueue>();
        var store = rig.Rig.Gateway.Store;
        var wanted = giveUp ? new[] { givenUp.RequestId, misreported.RequestId } : [misreported.RequestId];
        var deadline = DateTime.UtcNow + Patience;
        List<ResolutionItem> exceptions;
        while (true)
        {
            await queue.RunDueAsync(); // the gateway's own pass may take an item first; either way the job decides
            exceptions = (await store.ListItemsAsync(ResolutionStates.Exception, null, null, 10, 0)).Items.ToList();
            if (wanted.All(id => exceptions.Any(i => i.RequestId == id))) break;
            Assert.True(DateTime.UtcNow < deadline, "the job did not make the exceptions in time");
            await Task.Delay(200);
        }
        var givenUpItem = exceptions.FirstOrDefault(i => i.RequestId == givenUp.RequestId);
        var misreportedItem = exceptions.Single(i => i.RequestId == misreported.RequestId);
        Assert.Equal(("T0002", ResolutionQueue.UnknownReference), (misreportedItem.DeviceId, misreportedItem.Exception));
        if (giveUp) Assert.Equal(ResolutionQueue.StillUnknown, givenUpItem!.Exception);
        return new MadeExceptions(givenUp.RequestId, givenUpItem?.Id ?? "", misreported.RequestId, misreportedItem.Id, owner, other);
    }

    /// <summary>A heartbeat (docs/fleet-link.md) listing <paramref name="review"/>, signed at the gateway's clock's time.</summary>
    private static async Task<DeviceReply> BeatAsync(TestDevice device, ManualClock clock, params (string Kind, string RequestId, string Reference)[] review)
    {
        var references = new JsonArray();
        foreach (var (kind, id, reference) in review) references.Add(new JsonObject { ["kind"] = kind, ["requestId"] = id, ["reference"] = reference });
        string body = new JsonObject
        {
            ["beat"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), ["firmware"] = "1.0.0", ["uptimeS"] = 10, ["intervalMs"] = 60000,
            ["boot"] = new JsonObject { ["count"] = 1, ["reason"] = "first" },
            ["scanner"] = "ok", ["display"] = "ok", ["storage"] = "ok", ["clock"] = "ok",
            ["journal"] = new JsonObject { ["open"] = new JsonArray(), ["review"] = references, ["more"] = 0 },
            ["settings"] = new JsonObject { ["applied"] = 0 },
        }.ToJsonString();
        var reply = await device.SendAsync(device.Sign(HeartbeatPath, body, requestTime: clock.GetUtcNow().ToUnixTimeMilliseconds(),
            macKey: RelayKeys.Derive(device.Key, "qr-terminal-hs256/heartbeat/device-to-gateway")));
        Assert.Equal(System.Net.HttpStatusCode.OK, reply.Status);
        return reply;
    }

    private static (string? Status, string? ResultCode) Resolution(DeviceReply answer, string requestId)
    {
        var resolution = answer.Json!["resolutions"]!.AsArray().Single(r => (string?)r!["requestId"] == requestId)!;
        return ((string?)resolution["status"], (string?)resolution["resultCode"]);
    }

    /// <summary>A form post with the page's session cookies, as a page on the console itself could send it.</summary>
    private static async Task<IAPIResponse> PostAsync(IPage page, string url, string token, params (string Name, string Value)[] fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields) form.Set(name, value);
        form.Set("__csrf", token);
        return await page.Context.APIRequest.PostAsync(url, new APIRequestContextOptions { Form = form });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => chromium.CloseAllPagesAsync();
}
