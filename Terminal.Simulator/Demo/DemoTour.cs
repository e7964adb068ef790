using Terminal.AntomEmulator;
using Terminal.Firmware.App;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Ui;
using Terminal.Simulator.Register;
using Terminal.Simulator.Rendering;

namespace Terminal.Simulator.Demo;

/// <summary>One step of the tour: what the terminal was expected to end with, and what it did.</summary>
/// <remarks><see cref="Expected"/> may list alternatives, e.g. "SALE FAIL|CANCELLED".</remarks>
public sealed record DemoStep(string Title, string Reference, string Expected, string Actual)
{
    public bool Ok
    {
        get
        {
            string[] words = Expected.Split(' ');
            return words.Length == 2 && words[1].Split('|').Any(outcome => words[0] + " " + outcome == Actual);
        }
    }
}

/// <summary>The tour's outcome.</summary>
public sealed record DemoReport(IReadOnlyList<DemoStep> Steps, TimeSpan Duration)
{
    public bool AllOk => Steps.Count > 0 && Steps.All(s => s.Ok);
}

/// <summary>
/// <c>demo</c>: a scripted end-to-end tour through the real firmware, gateway and Antom emulator, printing every
/// screen and host-link event: an order-code sale paid by the simulated wallet, a payment-code sale (after a web
/// link is refused), a declined code, a customer who never pays, a partial refund, a void, a power cut in the
/// middle of a sale with recovery on reboot, and the standalone countertop: a keypad sale with its receipt and a
/// refund from the merchant menu; it closes the day with the gateway's totals, checked against what it did, and the
/// reconciliation with the emulator's report. Headless; expiry comes from moving the clock, not from waiting.
/// </summary>
public sealed class DemoTour
{
    private const int WaitMs = 20000;

    private readonly Session _session;
    private readonly Output _out;
    private readonly HostLinkClient _register;
    private readonly EmulatorWallet _wallet;
    private readonly List<DemoStep> _steps = new();
    private readonly DemoEndOfDay _endOfDay;

    private DemoTour(Session session, Output output)
    {
        _endOfDay = new DemoEndOfDay(session.Backend!);
        _session = session;
        _out = output;
        _register = session.Terminal.Register!;
        _wallet = session.Wallet!;
    }

    /// <summary>Runs the tour in a fresh data folder (deleted afterwards); returns 0 when every step ended as expected.</summary>
    public static async Task<int> RunAsync(TextWriter writer, string dataFolder, PictureStyle style)
    {
        DemoReport report = await RunTourAsync(writer, dataFolder, style);
        return report.AllOk ? 0 : 1;
    }

    public static async Task<DemoReport> RunTourAsync(TextWriter writer, string dataFolder, PictureStyle style)
    {
        var started = DateTime.UtcNow;
        var output = new Output(writer);
        output.Line("Terminal simulator demo: the real firmware, gateway and Antom emulator on loopback.");
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = dataFolder,
                Persistent = false,
                DeviceId = "DEMO0001",
                DisplayName = "Demo Cafe",
                Timings = TerminalTimings.Demo,
                OrderCodeLifetime = TimeSpan.FromMinutes(2),
            });
            var tour = new DemoTour(session, output);
            session.Terminal.Register!.LineReceived = tour.Print;
            session.Terminal.Boot();
            using (new ScreenViewer(session.Terminal, output, style, wallet: true))
            {
                session.Terminal.WaitIdle(WaitMs);
                tour.RunSteps();
                session.Terminal.WaitDisplaySettled();
                Thread.Sleep(50);
            }

            tour.Heading("10. End of day: the day's totals (as the console shows them) and the reconciliation with Antom's report");
            tour._steps.AddRange(await tour._endOfDay.CloseAsync(tour.Say));

            var report = new DemoReport(tour._steps, DateTime.UtcNow - started);
            tour.Summary(report);
            return report;
        }
        finally
        {
            TryDelete(dataFolder);
        }
    }

    private void RunSteps()
    {
        // 1. Order code (MPM): the terminal shows the QR, the customer's wallet pays it.
        Heading("1. Order-code sale (MPM): the customer scans the QR and pays");
        Sale("1250", "MPM", "DEMO-MPM-1");
        string qr = WaitFor("SHOW_QR", "DEMO-MPM-1").Word(3)!;
        Say($"customer: scans {qr} and pays in the wallet");
        _wallet.PayOrderCode(qr);
        if (_wallet.CustomerRedirectUrl(qr) is { } resultPage) Say("customer: the wallet opens the store's result page: " + resultPage);
        Expect("Order code paid by the wallet", "DEMO-MPM-1", "SALE SUCCESS");
        _endOfDay.Sold(1250);
        Key();

        // 2. Payment code (CPM): a web link is refused on the spot, then the wallet's payment code is scanned.
        Heading("2. Payment-code sale (CPM): a web link is refused, then the customer's payment code is scanned");
        Sale("320", "CPM", "DEMO-CPM-1");
        WaitFor("WAITING_FOR_CUSTOMER", "DEMO-CPM-1");
        Say("cashier: scans the shop's menu QR by mistake: https://example.com/menu");
        _session.Terminal.Scanner!.Present("https://example.com/menu");
        WaitFor("DEVICE", null);
        string code = _wallet.IssuePaymentCode(PaymentCodeOutcome.Success);
        Say($"customer: shows the wallet's payment code {code}; cashier scans it");
        _session.Terminal.Scanner.Present(code);
        Expect("Payment code charged", "DEMO-CPM-1", "SALE SUCCESS");
        _endOfDay.Sold(320);

        // 3. A declined payment code.
        Heading("3. Payment-code sale declined by the wallet");
        Sale("800", "CPM", "DEMO-CPM-2");
        WaitFor("WAITING_FOR_CUSTOMER", "DEMO-CPM-2");
        string declined = _wallet.IssuePaymentCode(PaymentCodeOutcome.Decline());
        Say($"customer: shows payment code {declined} (not enough balance)");
        _session.Terminal.Scanner.Present(declined);
        Expect("Declined code", "DEMO-CPM-2", "SALE FAIL");
        _endOfDay.Failed();
        Key();

        // 4. The customer never pays: the terminal polls, the order expires, the terminal closes it.
        Heading("4. The customer never pays: the terminal polls until the order expires, then closes it");
        Sale("500", "MPM", "DEMO-MPM-2");
        WaitFor("SHOW_QR", "DEMO-MPM-2");
        Thread.Sleep(700);
        TimeSpan jump = _session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5);
        Say($"customer: walks away. The clock jumps {jump.TotalSeconds:0} s (the order's lifetime) instead of waiting.");
        _session.AdvanceTime(jump);
        // The emulator closes the order at its expiry; the terminal's last inquiry, at or after that expiry, sees it:
        // FAIL ORDER_IS_CLOSED, "Order expired, customer did not pay". Nothing was charged.
        Expect("Unpaid order closed, nothing charged", "DEMO-MPM-2", "SALE FAIL");
        _endOfDay.Failed();
        Key();

        // 5. A partial refund of the first sale.
        Heading("5. Partial refund: 5.00 of the 12.50 order-code sale");
        Send("REFUND REF DEMO-MPM-1 500");
        Expect("Partial refund", "DEMO-MPM-1", "REFUND SUCCESS");
        _endOfDay.Refunded(500);
        Key();

        // 6. A void of the payment-code sale.
        Heading("6. Void: the 3.20 payment-code sale is cancelled and returned");
        Send("VOID REF DEMO-CPM-1");
        Expect("Void", "DEMO-CPM-1", "VOID SUCCESS");
        _endOfDay.Voided(320);
        Key();

        // 7. Power cut in the middle of a sale; the customer pays during the outage; recovery on reboot.
        Heading("7. Power cut while the QR is shown; the customer pays meanwhile; recovery at reboot");
        Sale("775", "MPM", "DEMO-MPM-3");
        string lostQr = WaitFor("SHOW_QR", "DEMO-MPM-3").Word(3)!;
        Thread.Sleep(300);
        Say("device: POWER CUT (the firmware stops wherever it was; its journal says the order was shown)");
        _session.Terminal.PowerCut();
        Say("customer: pays the QR they had already scanned, while the terminal is off");
        _wallet.PayOrderCode(lostQr);
        Say("device: power back on; the firmware boots from storage and first finishes the open sale");
        _session.Terminal.Boot();
        Expect("Sale cut by the power, recovered at boot", "DEMO-MPM-3", "SALE SUCCESS");
        _endOfDay.Sold(775);
        _session.Terminal.WaitIdle(WaitMs);
        HostLinkReply last = _register.Request("LAST", WaitMs);
        Say("register: LAST → " + last);
        Key();

        // 8. The standalone countertop: the amount typed on the keypad, paid either way, a receipt printed.
        Heading("8. Keypad sale: the cashier types 9.80 and OK; the customer pays the QR; the receipt prints");
        int printed = _session.Terminal.Printer.Documents.Count;
        Say("cashier: keys 9 8 0 A (OK) on the keypad: the QR shows while the scanner waits for a payment code");
        _session.Terminal.Type("980A");
        HostLinkLine shown = WaitFor("SHOW_QR", null);
        string keypadSale = shown.Word(2)!;
        Say($"customer: scans {shown.Word(3)} and pays in the wallet");
        _wallet.PayOrderCode(shown.Word(3)!);
        Expect("Keypad sale paid by the wallet", keypadSale, "SALE SUCCESS");
        _endOfDay.Sold(980);
        string? receipt = null;
        SpinWait.SpinUntil(() => (receipt = PrintedReceipt(printed, keypadSale)) != null, WaitMs);
        Say(receipt == null ? "printer: ! no receipt" : "printer: the customer's copy\n    " + receipt.TrimEnd('\n').Replace("\n", "\n    "));

        Say("cashier: presses A (OK) on the keypad");
        _session.Terminal.Type("A");

        // 9. The merchant menu behind the PIN: a partial refund of the keypad sale.
        Heading("9. Merchant menu: PIN, refund 2.00 of the keypad sale");
        Say($"merchant: keys D {SimulatedTerminal.DefaultMenuPin} A (menu, PIN, OK), 1 (refund) A (the newest sale) 2 0 0 A (2.00)");
        _session.Terminal.Type("D" + SimulatedTerminal.DefaultMenuPin + "A1A200A");
        Expect("Refund from the menu", keypadSale, "REFUND SUCCESS");
        _endOfDay.Refunded(200);
        Key();
    }

    /// <summary>The customer's copy of <paramref name="reference"/>'s receipt once printed whole, or null.</summary>
    private string? PrintedReceipt(int after, string reference)
    {
        foreach (var document in _session.Terminal.Printer.Documents.Skip(after))
        {
            string text;
            try
            {
                text = document.ToText();
            }
            catch (InvalidOperationException)
            {
                return null; // the printer is still printing it
            }

            if (text.Contains(reference, StringComparison.Ordinal) && text.Contains("CUSTOMER COPY", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return null;
    }

    private void Heading(string title)
    {
        _session.Terminal.WaitDisplaySettled();
        Thread.Sleep(40);
        _out.Line();
        _out.Line("════ " + title + " " + new string('═', Math.Max(0, 100 - title.Length)));
    }

    private void Say(string text) => _out.Line("  " + text);

    private void Sale(string minor, string mode, string reference) => Send($"SALE {minor} USD {mode} {reference}");

    private void Send(string request)
    {
        _out.Line("  register → " + request);
        HostLinkReply reply = _register.Request(request, WaitMs);
        if (!reply.Ok)
        {
            _out.Line("  ! refused: " + reply + ". " + Hints.ForError(reply.Error));
        }
    }

    private HostLinkLine WaitFor(string name, string? reference)
    {
        HostLinkLine? line = _register.WaitForEvent(l => l.Name == name && (reference == null || l.Word(2) == reference), WaitMs);
        return line ?? throw new TimeoutException($"no {name} event for {reference} within {WaitMs / 1000} s");
    }

    private void Expect(string title, string reference, string expected)
    {
        string actual;
        HostLinkLine? result = _register.WaitForEvent(l => l.Name == "RESULT" && l.Word(3) == reference, WaitMs);
        if (result == null)
        {
            actual = "no RESULT";
        }
        else
        {
            HostLinkResultLine r = HostLinkResultLine.From(result, 2);
            actual = r.Kind + " " + r.Outcome;
        }

        var step = new DemoStep(title, reference, expected, actual);
        _steps.Add(step);
        _session.Terminal.WaitDisplaySettled();
        Thread.Sleep(40);
        _out.Line($"  {(step.Ok ? "✔" : "✘")} {title}: expected {expected}, got {actual}");
    }

    /// <summary>The cashier presses OK on the final screen.</summary>
    private void Key()
    {
        _session.Terminal.WaitDisplaySettled();
        Thread.Sleep(40);
        Say("cashier: presses OK");
        _session.Terminal.App.PressOk();
        long deadline = Environment.TickCount64 + 2000;
        while (_session.Terminal.App.Screen != Terminal.Firmware.Screens.ScreenKind.Idle && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(5);
        }
    }

    private void Print(HostLinkLine line)
    {
        string text = (line.IsEvent ? "  terminal event ← " : "  terminal ← ") + line.Text;
        if (line.IsEvent && line.Name == "RESULT")
        {
            HostLinkResultLine r = HostLinkResultLine.From(line, 2);
            text += "\n  what it means: " + Hints.ForResult(r.Outcome, r.ReasonCode);
        }

        _out.Background(text);
    }

    private void Summary(DemoReport report)
    {
        _out.Line();
        _out.Line("════ Summary " + new string('═', 96));
        foreach (DemoStep s in report.Steps)
        {
            _out.Line($"  {(s.Ok ? "✔" : "✘")} {s.Title,-45} {s.Reference,-12} expected {s.Expected,-16} got {s.Actual}");
        }

        _out.Line($"  {report.Steps.Count(s => s.Ok)} of {report.Steps.Count} steps as expected, in {report.Duration.TotalSeconds:0.0} s (firmware {TerminalApp.Version}).");
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
