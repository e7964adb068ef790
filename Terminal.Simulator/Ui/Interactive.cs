using Terminal.AntomEmulator;
using Terminal.Core.Money;
using Terminal.Firmware.Diagnostics;
using Terminal.SimulatedDevices.Mdb;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Register;
using Terminal.Simulator.Rendering;
using Terminal.Transactions;

namespace Terminal.Simulator.Ui;

/// <summary>
/// The interactive terminal: you are the cashier (keys), the cash register (host-link commands) and the customer
/// (the emulator's wallet) at once. Each command is one of those roles; the terminal's OLED, status and host-link
/// events are printed as they happen.
/// </summary>
public sealed class Interactive
{
    public const string Help = """
        Register (host link):  sale <amount> [mpm|cpm] [ref]   abort   refund <ref> <amount>   void <ref>
                               last   status   diag   ping   selftest
        Customer (wallet):     pay   decline   walkaway (never pays: time jumps past the expiry)
                               code ok|decline|slow   confirm (a slow code)   scan <code> (any text, e.g. a URL)
        Cashier (keys):        ok (acknowledge the result)   cancel (the C key)
                               keys <keys> on the 4x4 keypad, e.g. keys 1250A (12.50, OK: the customer pays either way)
                                 0-9 amount   A or # OK   B or * back   C cancel   D menu (PIN 1234 unless terminal.json sets menuPin)
                                 menu: 1 refund  2 void last  3 last result  4 totals  5 end of day  6 reprint  7 info  8 self-test  9 PIN
                               paper out|in (the printer's roll)   Receipts print as text and as PNG in data/receipts/.
        Device:                powercut (cut the power mid-operation, reboot from storage)   png <file>   screen
        Machine (--vending):   select <item> <price> (MDB: the customer chooses)   jam (MDB: the next vend fails)
                               vend <price> (pulse: a price button)   machine (what the machine counted)
                               keys (pulse): C stops the offer, then e.g. keys C300A: a vend of 3.00 credited in pulses
        Updates (gateway):     update (version running, update state)   update <version> (bundle + rollout to this terminal)
                               update pause|resume|abort (the newest rollout)
        Other:                 records (the emulator's payments)   help   quit
        Scripts (stdin):       await <EVENT> (e.g. await RESULT)   wait <ms>
        Amounts are in dollars: sale 12.50 mpm. References are made up for you when you leave them out.
        """;

    private readonly Session _session;
    private readonly Output _out;
    private readonly TextReader _input;
    private readonly PictureStyle _style;
    private readonly UpdateCommand _updates;
    private HostLinkClient? _register;
    private string? _lastQrText;
    private bool _resultPageHintShown;
    private int _references;

    public Interactive(Session session, Output output, TextReader input, PictureStyle style)
    {
        _session = session;
        _out = output;
        _input = input;
        _style = style;
        _updates = new UpdateCommand(session, _out);
    }

    public int Run()
    {
        _register = _session.Terminal.Register;
        if (_register != null)
        {
            _register.LineReceived = OnLine;
        }
        else
        {
            _session.Tap.Line = (line, fromFirmware) => _out.Background((fromFirmware ? "  terminal → register: " : "  register → terminal: ") + line);
        }

        using CodeFileFeeder? feeder = _session.Options.CodeFile == null ? null : new CodeFileFeeder(_session.Terminal, _out, _session.Options.CodeFile);
        _out.Line("Booting the terminal firmware...");
        _session.Terminal.Boot();
        using var viewer = new ScreenViewer(_session.Terminal, _out, _style, _session.Wallet != null);
        using var countertop = new CountertopViewer(_session.Terminal, _out, Path.GetFullPath(_session.Options.DataFolder));
        // Boot recovery of a sale left open may take the CPM budget; the prompt is there meanwhile (sales are BUSY).
        _session.Terminal.WaitIdle(2000);
        Thread.Sleep(100);
        _out.Line();
        _out.Line(Help);
        _out.Prompting = true;
        while (true)
        {
            _out.Prompt();
            string? line = _input.ReadLine();
            if (line == null)
            {
                _out.Prompting = false;
                return 0;
            }

            string[] words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            if (words[0] is "quit" or "exit" or "q")
            {
                _out.Prompting = false;
                return 0;
            }

            try
            {
                Execute(words);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or ArgumentException or IOException or FormatException)
            {
                _out.Line("  ! " + e.Message);
            }
        }
    }

    private void Execute(string[] w)
    {
        switch (w[0])
        {
            case "help":
            case "?":
                _out.Line(Help);
                break;
            case "sale":
                Sale(w);
                break;
            case "abort":
                Send("ABORT");
                break;
            case "refund":
                Need(w, 3, "refund <ref> <amount>, e.g. refund R0001 5.00");
                Send($"REFUND REF {w[1]} {Minor(w[2])}");
                break;
            case "void":
                Need(w, 2, "void <ref>");
                Send($"VOID REF {w[1]}");
                break;
            case "last":
            case "status":
            case "diag":
            case "ping":
            case "selftest":
                Send(w[0].ToUpperInvariant());
                break;
            case "pay":
                PayOrder(decline: false);
                break;
            case "decline":
                Decline();
                break;
            case "walkaway":
            case "expire":
                Walkaway();
                break;
            case "code":
                IssueCode(w.Length > 1 ? w[1] : "ok");
                break;
            case "confirm":
                Confirm();
                break;
            case "scan":
                Need(w, 2, "scan <code>");
                Present(string.Join(' ', w, 1, w.Length - 1));
                break;
            case "ok":
                _session.Terminal.App.PressOk();
                break;
            case "cancel":
                _session.Terminal.App.PressCancel();
                break;
            case "keys":
                Need(w, 2, "keys <keys>, e.g. keys 1250A");
                _session.Terminal.Type(string.Concat(w.Skip(1)).ToUpperInvariant());
                break;
            case "paper":
                Need(w, 2, "paper out|in");
                _session.Terminal.Printer.PaperOut = w[1] == "out";
                _out.Line(w[1] == "out" ? "  The printer's roll is empty: receipts wait for a reprint from the menu (6)." : "  A new roll is in.");
                break;
            case "powercut":
                PowerCut();
                break;
            case "png":
                Need(w, 2, "png <file>");
                Png(w[1]);
                break;
            case "screen":
                _out.Line(ScreenViewer.Describe(_session.Terminal, _style, _session.Wallet != null));
                break;
            case "records":
                Records();
                break;
            case "update":
                _updates.Run(w);
                break;
            case "select":
                Need(w, 3, "select <item> <price>, e.g. select 12 1.50");
                Controller().Select(int.Parse(w[1], System.Globalization.CultureInfo.InvariantCulture), (int)Minor(w[2]));
                _out.Line($"  customer: presses item {w[1]} on the machine");
                break;
            case "jam":
                Controller().FailNextVend = true;
                _out.Line("  machine: the next approved vend will jam (VEND FAILURE)");
                break;
            case "vend":
                Need(w, 2, "vend <price>, e.g. vend 2.00");
                Vend(Minor(w[1]));
                break;
            case "machine":
                Machine();
                break;
            case "await":
                Need(w, 2, "await <EVENT> [seconds], e.g. await RESULT");
                Await(w[1].ToUpperInvariant(), w.Length > 2 ? int.Parse(w[2], System.Globalization.CultureInfo.InvariantCulture) : 60);
                break;
            case "wait":
                Need(w, 2, "wait <milliseconds>");
                Thread.Sleep(Math.Clamp(int.Parse(w[1], System.Globalization.CultureInfo.InvariantCulture), 0, 600000));
                break;
            default:
                _out.Line($"  ! unknown command \"{w[0]}\" (help lists them)");
                break;
        }
    }

    private void Sale(string[] w)
    {
        Need(w, 2, "sale <amount> [mpm|cpm] [ref], e.g. sale 12.50 mpm");
        string mode = w.Length > 2 ? w[2].ToUpperInvariant() : "MPM";
        if (mode is not ("MPM" or "CPM"))
        {
            throw new ArgumentException("the mode is mpm (the customer scans a QR) or cpm (you scan the customer's code)");
        }

        string reference = w.Length > 3 ? w[3] : NewReference();
        _lastQrText = null;
        Send($"SALE {Minor(w[1])} USD {mode} {reference}");
    }

    private string NewReference()
    {
        _references++;
        return "R" + DateTime.Now.ToString("MMddHHmmss") + _references.ToString("D2");
    }

    private static long Minor(string amount)
    {
        try
        {
            return Amount.Parse(amount, "USD");
        }
        catch (AmountFormatException e)
        {
            throw new ArgumentException($"amount \"{amount}\": {e.Message} (write dollars, e.g. 12.50)");
        }
    }

    private void Send(string request)
    {
        if (_register == null)
        {
            throw new InvalidOperationException(_session.Terminal.Config.HostLink.Enabled
                ? "the host link is on a real serial port: the register there sends the commands"
                : "the host link is off (an MDB machine has no register): the machine starts each vend (select)");
        }

        _out.Line($"  register → {request}");
        _register.ClearEvents();
        _register.Send(request);
    }

    private EmulatorWallet Wallet() =>
        _session.Wallet ?? throw new InvalidOperationException("no simulated wallet with a remote gateway: pay with a real wallet app");

    private void PayOrder(bool decline)
    {
        EmulatorWallet wallet = Wallet();
        string? code = _lastQrText ?? _session.OpenOrder()?.CodeValue;
        if (code == null)
        {
            _out.Line("  ! no QR code is waiting to be paid. Start one with: sale 12.50 mpm");
            return;
        }

        WalletResult result = decline ? wallet.DeclineOrderCode(code) : wallet.PayOrderCode(code);
        _out.Line(result switch
        {
            WalletResult.Completed => decline ? "  customer: scanned the QR; the wallet declined (not enough balance)" : "  customer: scanned the QR and paid",
            WalletResult.Expired => "  customer: too late, the order code has expired",
            WalletResult.NotAwaitingCustomer => "  customer: this order is no longer waiting (already paid, declined or closed)",
            _ => "  customer: the wallet does not know this QR code",
        });
        if (result == WalletResult.Completed && wallet.CustomerRedirectUrl(code) is { } resultPage)
        {
            _out.Line("  customer: the wallet opens the store's result page: " + resultPage);
            if (!_resultPageHintShown)
            {
                _out.Line("            (open it in a browser; its certificate is the embedded gateway's own, data/" + EmbeddedBackend.CaFileName + ")");
                _resultPageHintShown = true;
            }
        }
    }

    private void Decline()
    {
        PaymentRecord? waiting = _session.WaitingPaymentCode();
        if (waiting != null)
        {
            WalletResult r = Wallet().DeclinePaymentCode(waiting.PaymentMethodId!);
            _out.Line(r == WalletResult.Completed ? "  customer: declined the payment in the wallet" : "  customer: nothing to decline (" + r + ")");
            return;
        }

        PayOrder(decline: true);
    }

    private void Confirm()
    {
        var waiting = _session.WaitingPaymentCode();
        if (waiting == null)
        {
            _out.Line("  ! no payment is waiting for the customer's confirmation (use: code slow)");
            return;
        }

        WalletResult r = Wallet().ConfirmPaymentCode(waiting.PaymentMethodId!);
        _out.Line(r == WalletResult.Completed ? "  customer: confirmed the payment in the wallet" : "  customer: could not confirm (" + r + ")");
    }

    private void Walkaway()
    {
        Wallet();
        TimeSpan jump = _session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5);
        _session.AdvanceTime(jump);
        _out.Line($"  customer: walked away. The clock jumped {jump.TotalSeconds:0} s: the order expires, the terminal closes it.");
    }

    private void IssueCode(string kind)
    {
        PaymentCodeOutcome outcome = kind switch
        {
            "ok" => PaymentCodeOutcome.Success,
            "decline" => PaymentCodeOutcome.Decline(),
            "slow" => PaymentCodeOutcome.RequiresConfirmation,
            _ => throw new ArgumentException("code ok | code decline | code slow"),
        };
        string code = Wallet().IssuePaymentCode(outcome);
        _out.Line($"  customer: opens the wallet's payment code {code} ({kind})");
        Present(code);
    }

    private void Present(string code)
    {
        if (_session.Terminal.Scanner == null)
        {
            throw new InvalidOperationException("a real scanner is connected: hold the code in front of it");
        }

        _session.Terminal.Scanner.Present(code);
        _out.Line(_session.Terminal.Scanner.HasPendingCode
            ? "  scanner: code held in front of the scanner; it is read at the next scan"
            : "  scanner: read " + code);
    }

    private void PowerCut()
    {
        _out.Line("  device: POWER CUT");
        _session.Terminal.PowerCut();
        Thread.Sleep(300);
        _out.Line("  device: power back on, booting from storage");
        _session.Terminal.Boot();
    }

    private VmcSimulator Controller() =>
        _session.Terminal.Machine?.Controller ?? throw new InvalidOperationException("no MDB machine: start the simulator with --vending mdb");

    private void Vend(long amount)
    {
        var front = _session.Terminal.App.PulseVending ?? throw new InvalidOperationException("no coin-op machine: start the simulator with --vending pulse");
        DeskAnswer answer = front.RequestVend(amount, out string detail);
        _out.Line(answer == DeskAnswer.Accepted ? "  machine: price button pressed; the terminal offers it" : $"  ! {answer}: {detail}");
    }

    private void Machine()
    {
        SimulatedMachine machine = _session.Terminal.Machine ?? throw new InvalidOperationException("no machine: start the simulator with --vending pulse or --vending mdb");
        if (machine.Coins != null)
        {
            _out.Line($"  machine: {machine.Coins.Pulses} pulse(s) counted, {machine.Coins.Violations} misread, {machine.Coins.Truncated} cut short by a power loss");
            return;
        }

        var vmc = machine.Controller!;
        _out.Line($"  machine (MDB): {vmc.State}; vends {vmc.Vends}, denied {vmc.Denials}, failed {vmc.Failures}, cancelled {vmc.Cancels}; bridge refused {machine.Bridge!.ProtocolErrors} command(s)");
    }

    private void Png(string file)
    {
        _session.Terminal.WaitDisplaySettled();
        SimulatedTerminal terminal = _session.Terminal;
        File.WriteAllBytes(file, terminal.Oled != null
            ? PngWriter.Encode(terminal.Oled.Snapshot(), OledPicture.Width, OledPicture.Height)
            : PngWriter.EncodeRgb565(terminal.DisplayPicture(out int width, out int height), width, height));
        _out.Line($"  wrote {Path.GetFullPath(file)}");
    }

    private void Records()
    {
        var backend = _session.Backend ?? throw new InvalidOperationException("no emulator records with a remote gateway");
        var payments = backend.Emulator.Records.Payments();
        _out.Line($"  emulator: {payments.Count} payment(s); the latest:");
        foreach (PaymentRecord p in payments.TakeLast(10))
        {
            _out.Line($"    {p.PaymentRequestId,-40} {p.Scenario,-11} {Amount.Format(p.Amount.Value, p.Amount.Currency),12} {p.Status,-10} {p.ResultCode} refunded {p.RefundedValue}");
        }
    }

    private void OnLine(HostLinkLine line)
    {
        if (line.IsEvent && line.Name == "SHOW_QR" && line.Word(3) is { } qr && qr != "-")
        {
            _lastQrText = qr;
        }

        string text = (line.IsEvent ? "  terminal event ← " : "  terminal ← ") + line.Text;
        if (line.IsEvent && line.Name == "RESULT")
        {
            HostLinkResultLine r = HostLinkResultLine.From(line, 2);
            text += "\n  what it means: " + Hints.ForResult(r.Outcome, r.ReasonCode);
        }
        else if (!line.IsEvent && line.Word(1) == "ERR")
        {
            text += "\n  what to do: " + Hints.ForError(line.Word(2));
        }
        else if (line.IsEvent && line.Name == "DEVICE" && line.Word(2) == "SCANNER" && line.Word(3) == "NOT_RESPONDING")
        {
            text += "\n  what to do: check the scanner's cable, its 5 V supply and that it runs at 9600 baud.";
        }

        _out.Background(text);
    }

    /// <summary>Scripts: waits for the next event with this name since the last register command.</summary>
    private void Await(string name, int seconds)
    {
        if (_register == null)
        {
            throw new InvalidOperationException("await needs the simulator's own register");
        }

        if (_register.WaitForEvent(l => l.Name == name, seconds * 1000) == null)
        {
            throw new TimeoutException($"no {name} event within {seconds} s");
        }
    }

    private static void Need(string[] w, int count, string usage)
    {
        if (w.Length < count)
        {
            throw new ArgumentException("usage: " + usage);
        }
    }
}
