using System.Collections.Concurrent;
using System.Diagnostics;
using Terminal.AntomEmulator;
using Terminal.Countertop;
using Terminal.Firmware.App;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Simulator.Backend;
using Terminal.Simulator.Devices;
using Terminal.Simulator.Register;
using Terminal.Transactions;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// <c>chaos N</c>: N sales through the real firmware, gateway and Antom emulator with faults injected into the
/// gateway's Antom traffic, mixed with refunds, voids, aborts, customers who decline or walk away, and power cuts
/// in the middle of sales, over a network that loses a share of the terminal's exchanges with the gateway. Some sales
/// are typed at the keypad and paid either way (QR or payment code, sometimes both at once), some of those cancelled
/// with the keypad's cancel key, some refunded from the merchant menu (PIN, refund), with power cuts in the middle of
/// keypad sales and menu refunds. The simulator is only the register, the cashier and the customer; every decision
/// is the firmware's.
/// At the end each sale's final status on the terminal is compared with the emulator's own record
/// (<see cref="ChaosChecker"/>); a mismatch, an unfinished sale or an unaccounted charge fails the run.
/// </summary>
public sealed class ChaosRun
{
    private const int ResultWaitMs = 30000;
    private const int UpstreamAttemptTimeoutMs = 300;

    private readonly Session _session;
    private readonly ChaosOptions _options;
    private readonly HostLinkClient _register;
    private readonly EmulatorWallet _wallet;
    private readonly Random _random;
    private readonly TextWriter _out;
    private readonly ConcurrentDictionary<string, string> _requestIds = new();
    private readonly List<ChaosSale> _sales = new();
    private readonly FleetChaos _fleet;
    private int _menuRefunds;
    private string? _forcedQr;

    // RESULT lines that arrived while the customer was still waiting for an earlier event (the sale ended early).
    private readonly List<HostLinkLine> _early = new();

    private readonly KeypadSaleStart _keypadStart = new();
    private readonly KeypadCashier _cashier;

    private ChaosRun(Session session, ChaosOptions options, TextWriter output)
    {
        _session = session;
        _options = options;
        _register = session.Terminal.Register!;
        _wallet = session.Wallet!;
        _random = new Random(options.Seed);
        _out = output;
        _cashier = new KeypadCashier(session.Terminal, ResultWaitMs);
        _fleet = new FleetChaos(session, options, EmbeddedBackend.MerchantClientId, UpstreamAttemptTimeoutMs);
    }

    public static async Task<int> RunAsync(TextWriter output, ChaosOptions options)
    {
        ChaosReport report = await RunChaosAsync(output, options);
        return report.Passed ? 0 : 1;
    }

    public static async Task<ChaosReport> RunChaosAsync(TextWriter output, ChaosOptions options)
    {
        output.WriteLine($"Chaos run: {options.Sales} sales, {options.FaultRate:P0} of Antom requests faulted, {options.NetworkDropRate:P0} of the terminal's exchanges lost on the network, seed {options.Seed}.");
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = options.DataFolder,
                Persistent = false,
                DeviceId = "CHAOS001",
                DisplayName = "Chaos",
                Timings = TerminalTimings.Chaos,
                AppSettings = new TerminalAppSettings { LoopWaitMs = 2, ScanTimeoutMs = 10000, ScanRetriggerMs = 1000 },
                OrderCodeLifetime = TimeSpan.FromMinutes(2),
                Seed = options.Seed,
                UpstreamAttemptTimeoutMs = UpstreamAttemptTimeoutMs,
                UpstreamTotalTimeoutMs = 3 * UpstreamAttemptTimeoutMs,
                LogLevel = Terminal.Core.Ports.LogLevel.Warning,
                NetworkDropRate = options.NetworkDropRate,
            });
            var run = new ChaosRun(session, options, output);
            session.Terminal.ResultObserver = run.Observe;
            session.Terminal.Boot();
            if (!session.Terminal.WaitIdle(ResultWaitMs))
            {
                throw new TimeoutException("the terminal did not finish booting");
            }

            FaultPlan.Install(session.Backend!.Emulator.Faults, EmbeddedBackend.MerchantClientId, options.FaultRate, UpstreamAttemptTimeoutMs);
            var clock = Stopwatch.StartNew();
            run.RunSales();
            session.Backend.Emulator.Faults.Clear();
            long upstreamRequests = session.Backend.Gateway.Metrics.RsaSignTotals.Count; // before the settling and the checker's own inquiries
            ChaosFleet fleet = await Task.Run(() => run._fleet.Finish(run._sales));
            clock.Stop();

            var gatewayAnswers = await GatewayInquiry.AskAsync(session.Backend.Gateway, session.Options.DeviceId, run._sales);
            ChaosReport report = ChaosChecker.Check(run._sales, session.Backend.Emulator.Records, EmbeddedBackend.MerchantClientId, clock.Elapsed,
                session.Backend.Emulator.Faults.History().GroupBy(f => f.Kind.ToString()).ToDictionary(g => g.Key, g => g.Count()), options, gatewayAnswers,
                run._fleet.Problems)
                with
                {
                    Fleet = fleet,
                    UpstreamRequests = upstreamRequests,
                    NetworkDropsBefore = session.Network?.DroppedBefore ?? 0,
                    NetworkDropsAfter = session.Network?.DroppedAfter ?? 0,
                    OutlivedCuts = session.Terminal.OutlivedCuts,
                };
            ChaosPrinter.Print(output, report, options.PrintTable || options.Sales <= 40);
            return report;
        }
        finally
        {
            try
            {
                Directory.Delete(options.DataFolder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private void Observe(PaymentResult r)
    {
        if (!string.IsNullOrEmpty(r.RequestId) && !string.IsNullOrEmpty(r.Reference))
        {
            _requestIds[Key(r.Kind, r.Reference)] = r.RequestId;
        }
    }

    private static string Key(TransactionKind kind, string reference) =>
        (kind == TransactionKind.Refund ? "R:" : kind == TransactionKind.Void ? "V:" : "S:") + reference;

    private void RunSales()
    {
        var progress = Stopwatch.StartNew();
        for (int i = 1; i <= _options.Sales; i++)
        {
            _fleet.BeforeSale(i, _options.Sales);
            ChaosScenario drawn = ChaosScenarios.Pick(_random, _options.Scenarios);
            ChaosScenario scenario = _fleet.ForcesReview(i) ? ChaosScenario.MpmReviewPaidLater : drawn;
            long amount = _random.Next(100, 50000);
            var sale = new ChaosSale(i, $"C{_options.Seed}-{i:D5}", scenario, amount);
            _sales.Add(sale);
            long started = Stopwatch.GetTimestamp();
            if (scenario.IsKeypad())
            {
                RunKeypadSale(sale);
            }
            else
            {
                RunSale(sale);
            }

            sale.Duration = Stopwatch.GetElapsedTime(started);
            if (sale.Terminal == "SUCCESS" && scenario.IsKeypad() && _random.NextDouble() < _options.MenuRefundRate)
            {
                // A third of them refund the whole sale; with MenuRefundPowerCuts every third loses the power on the way.
                _menuRefunds++;
                long part = _random.Next(3) == 0 ? amount : Math.Max(1, amount / (2 + _random.Next(3)));
                sale.Refunds.Add(RunMenuRefund(sale, part, cut: _options.MenuRefundPowerCuts && _menuRefunds % 3 == 0));
            }
            else if (sale.Terminal == "SUCCESS" && scenario == ChaosScenario.MpmVoidAfterNotification)
            {
                sale.Void = RunFollowUp(sale, "VOID", $"VOID REF {sale.Reference}", amount);
            }
            else if (sale.Terminal == "SUCCESS")
            {
                double r = _random.NextDouble();
                if (r < 0.12)
                {
                    long part = Math.Max(1, amount / (2 + _random.Next(3)));
                    sale.Refunds.Add(RunFollowUp(sale, "REFUND", $"REFUND REF {sale.Reference} {part}", part));
                }
                else if (r < 0.18)
                {
                    sale.Void = RunFollowUp(sale, "VOID", $"VOID REF {sale.Reference}", amount);
                }
            }

            if (scenario != ChaosScenario.MpmReviewPaidLater && (sale.Terminal == "NEEDS_REVIEW" || sale.Refunds.Any(r => r.Terminal == "NEEDS_REVIEW") || sale.Void?.Terminal == "NEEDS_REVIEW"))
            {
                // The gateway's job and the heartbeat settle it now, while the record is the terminal's newest.
                _fleet.SettleReviews(rounds: 3);
            }

            if (i % 100 == 0 || i == _options.Sales)
            {
                _out.WriteLine($"  {i} sales, {progress.Elapsed.TotalSeconds:0.0} s, {i / progress.Elapsed.TotalSeconds:0.0} sales/s");
            }
        }
    }

    private void RunSale(ChaosSale sale)
    {
        _register.ClearEvents();
        _early.Clear();
        HostLinkReply reply = Request($"SALE {sale.AmountMinor} USD {(sale.Scenario.IsMpm() ? "MPM" : "CPM")} {sale.Reference}");
        if (!reply.Ok)
        {
            sale.Terminal = "REFUSED " + reply.Error;
            return;
        }

        try
        {
            ActAsCustomer(sale);
        }
        catch (TimeoutException e)
        {
            sale.Note = e.Message;
            _session.WithheldInquiries.Release();
        }

        HostLinkLine? result = WaitResult("SALE", sale.Reference);
        _session.WithheldInquiries.Release();
        if (result == null)
        {
            sale.Terminal = "UNFINISHED";
            Unstick();
        }
        else
        {
            HostLinkResultLine r = HostLinkResultLine.From(result, 2);
            sale.Terminal = r.Outcome;
            sale.ReasonCode = r.ReasonCode;
        }

        sale.RequestId = _requestIds.TryGetValue(Key(TransactionKind.SaleOrderCode, sale.Reference), out string? id) ? id : null;
        if (sale.Scenario == ChaosScenario.MpmReviewPaidLater)
        {
            _fleet.ForcedSaleEnded(sale, _forcedQr);
            _forcedQr = null;
        }
    }

    /// <summary>
    /// A sale typed at the keypad: the amount and OK, then the customer (or the cashier's cancel key, or the power) acts
    /// on the either-way sale whose reference the terminal chose; the result is acknowledged with the keypad.
    /// </summary>
    private void RunKeypadSale(ChaosSale sale)
    {
        _register.ClearEvents();
        _early.Clear();
        SimulatedTerminal terminal = _session.Terminal;

        int pressesBefore = terminal.App.Keypad?.Presses ?? 0;
        _cashier.StartSale(sale.AmountMinor);

        HostLinkLine? first = _register.WaitForEvent(_keypadStart.IsStart, ResultWaitMs);
        if (first == null)
        {
            sale.Terminal = "UNFINISHED";
            sale.Note = "no QR and no result within " + (ResultWaitMs / 1000) + " s of the keypad's OK; " + KeypadState(terminal, pressesBefore);
            Unstick();
            return;
        }

        sale.Reference = _keypadStart.Take(first);
        if (first.Name == "RESULT")
        {
            sale.Note = "ended before a QR was shown";
            _early.Add(first);
        }
        else
        {
            ActOnKeypadSale(sale, first.Word(3)!);
        }

        HostLinkLine? result = WaitResult("SALE", sale.Reference);
        if (result == null)
        {
            sale.Terminal = "UNFINISHED";
            sale.Note = "no sale RESULT within " + (ResultWaitMs / 1000) + " s after the QR; " + DeskState(terminal.App);
            Unstick();
        }
        else
        {
            HostLinkResultLine r = HostLinkResultLine.From(result, 2);
            sale.Terminal = r.Outcome;
            sale.ReasonCode = r.ReasonCode;
        }

        sale.RequestId = _requestIds.TryGetValue(Key(TransactionKind.SaleOrderCode, sale.Reference), out string? id) ? id : null;
        Acknowledge();
    }

    /// <summary>What the terminal shows and does when a keypad sale did not start: the evidence for the report.</summary>
    private static string KeypadState(SimulatedTerminal terminal, int pressesBefore)
    {
        CountertopFrontEnd? countertop = terminal.App.Countertop;
        return $"keys read {(terminal.App.Keypad?.Presses ?? 0) - pressesBefore}, typed {countertop?.EnteredMinor}, "
            + $"menu {(countertop?.InMenu == true ? "open" : "closed")}, refused keys {countertop?.RefusedKeys}, " + DeskState(terminal.App);
    }

    /// <summary>The screen, the desk and its last result: the evidence for a sale that did not end.</summary>
    private static string DeskState(TerminalApp app)
    {
        DeskResult? last = app.Desk.Last;
        return $"screen {app.Screen}, desk {app.Desk.Status()}, "
            + $"last result {(last == null ? "none" : last.Payment.Kind + " " + last.Payment.Reference + " " + last.Payment.Status)}";
    }

    /// <summary>The customer (or the cashier's cancel key, or the power) acts on the keypad sale whose QR shows.</summary>
    private void ActOnKeypadSale(ChaosSale sale, string qr)
    {
        SimulatedTerminal terminal = _session.Terminal;
        switch (sale.Scenario)
        {
            case ChaosScenario.KeypadPayQr:
                _wallet.PayOrderCode(qr);
                break;
            case ChaosScenario.KeypadPayCode:
                Thread.Sleep(_random.Next(0, 30));
                terminal.Scanner!.Present(_wallet.IssuePaymentCode(PaymentCodeOutcome.Success));
                break;
            case ChaosScenario.KeypadBothWays:
                // Both within the same moment: the code is in front of the scanner as the order is paid.
                terminal.Scanner!.Present(_wallet.IssuePaymentCode(PaymentCodeOutcome.Success));
                _wallet.PayOrderCode(qr);
                break;
            case ChaosScenario.KeypadCancel:
                Thread.Sleep(_random.Next(0, 40));
                terminal.Type("C");
                break;
            case ChaosScenario.KeypadPowerCut:
                Thread.Sleep(_random.Next(0, 30));
                terminal.PowerCut();
                sale.PowerCut = true;
                if (_random.Next(2) == 0)
                {
                    _wallet.PayOrderCode(qr);
                }

                terminal.Boot();
                JumpPastRecoveryBudget(_session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5));
                break;
        }
    }

    /// <summary>
    /// The merchant refunds <paramref name="amount"/> of the keypad sale just paid from the menu
    /// (<see cref="KeypadCashier.RefundNewestSale"/>). With <paramref name="cut"/> the power
    /// goes once the refund has reached Antom, before the terminal hears the answer: the journal must finish it
    /// exactly once at boot.
    /// </summary>
    private ChaosFollowUp RunMenuRefund(ChaosSale sale, long amount, bool cut)
    {
        var followUp = new ChaosFollowUp("REFUND", amount) { FromMenu = true };
        _register.ClearEvents();
        _early.Clear();
        SimulatedTerminal terminal = _session.Terminal;
        var records = _session.Backend!.Emulator.Records;
        int refundsBefore = records.Refunds().Count;
        _cashier.RefundNewestSale(amount, whole: amount == sale.AmountMinor);
        if (cut)
        {
            // The cut comes once Antom has the refund, or once the terminal has given up on reaching it (the result is out).
            SpinWait.SpinUntil(() => records.Refunds().Count > refundsBefore || terminal.App.Phase == DeskPhase.Idle, ResultWaitMs);
            Thread.Sleep(_random.Next(0, 20));
            terminal.PowerCut();
            followUp.PowerCut = true;
            terminal.Boot();
        }

        HostLinkLine? result = WaitResult("REFUND", sale.Reference);
        if (result == null)
        {
            followUp.Terminal = "UNFINISHED";
            Unstick();
        }
        else
        {
            HostLinkResultLine r = HostLinkResultLine.From(result, 2);
            followUp.Terminal = r.Outcome;
            followUp.ReasonCode = r.ReasonCode;
        }

        followUp.RequestId = _requestIds.TryRemove(Key(TransactionKind.Refund, sale.Reference), out string? id) ? id : null;
        Acknowledge();
        return followUp;
    }

    private void Acknowledge() => _cashier.Acknowledge();

    /// <summary>The customer (and, for some scenarios, the cashier or the power) acts on the sale.</summary>
    private void ActAsCustomer(ChaosSale sale)
    {
        switch (sale.Scenario)
        {
            case ChaosScenario.MpmPay:
                _wallet.PayOrderCode(WaitQr(sale));
                break;
            case ChaosScenario.MpmDecline:
                _wallet.DeclineOrderCode(WaitQr(sale));
                break;
            case ChaosScenario.MpmWalkAway:
                WaitQr(sale);
                Thread.Sleep(_random.Next(0, 40));
                _session.AdvanceTime(_session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5));
                break;
            case ChaosScenario.MpmAbort:
                WaitQr(sale);
                Thread.Sleep(_random.Next(0, 40));
                Request("ABORT");
                break;
            case ChaosScenario.MpmPayWhileAborting:
                string qr = WaitQr(sale);
                _register.Send("ABORT");
                _wallet.PayOrderCode(qr);
                break;
            case ChaosScenario.CpmPay:
                Scan(sale, PaymentCodeOutcome.Success);
                break;
            case ChaosScenario.CpmDecline:
                Scan(sale, PaymentCodeOutcome.Decline());
                break;
            case ChaosScenario.CpmSlowConfirm:
            case ChaosScenario.CpmSlowDecline:
                string code = Scan(sale, PaymentCodeOutcome.RequiresConfirmation);
                WaitEvent("PROCESSING", sale.Reference);
                Thread.Sleep(_random.Next(5, 60));
                bool confirm = sale.Scenario == ChaosScenario.CpmSlowConfirm;
                Persist(() => confirm ? _wallet.ConfirmPaymentCode(code) : _wallet.DeclinePaymentCode(code));
                break;
            case ChaosScenario.CpmAbortBeforeScan:
                WaitEvent("WAITING_FOR_CUSTOMER", sale.Reference);
                Request("ABORT");
                break;
            case ChaosScenario.PowerCutMpm:
                string lost = WaitQr(sale);
                Thread.Sleep(_random.Next(0, 30));
                _session.Terminal.PowerCut();
                sale.PowerCut = true;
                if (_random.Next(2) == 0)
                {
                    _wallet.PayOrderCode(lost);
                }

                _session.Terminal.Boot();
                JumpPastRecoveryBudget(_session.Options.OrderCodeLifetime + TimeSpan.FromSeconds(5));
                break;
            case ChaosScenario.MpmCancelAfterNotification:
                // The cancel must come after the payment: the terminal learns nothing of it until the sale's result.
                string paid = WaitQr(sale);
                _session.WithheldInquiries.Withhold();
                _wallet.PayOrderCode(paid);
                WaitForNotification(paid);
                Request("ABORT");
                break;
            case ChaosScenario.MpmReviewPaidLater:
                string abandoned = WaitQr(sale);
                _fleet.BlockCancels();
                _forcedQr = abandoned;
                Request("ABORT");
                break;
            case ChaosScenario.MpmVoidAfterNotification:
                string voided = WaitQr(sale);
                _wallet.PayOrderCode(voided);
                WaitForNotification(voided);
                break;
            case ChaosScenario.PowerCutCpm:
                string scanned = Scan(sale, PaymentCodeOutcome.RequiresConfirmation);
                WaitEvent("PROCESSING", sale.Reference);
                Thread.Sleep(_random.Next(0, 30));
                _session.Terminal.PowerCut();
                sale.PowerCut = true;
                if (_random.Next(2) == 0)
                {
                    _wallet.ConfirmPaymentCode(scanned);
                }

                _session.Terminal.Boot();
                JumpPastRecoveryBudget(TimeSpan.FromMilliseconds(_session.Terminal.Config.Engine.CpmBudgetMs + 1000));
                break;
        }
    }

    /// <summary>Waits until the gateway has recorded Antom's final notification of the order behind <paramref name="codeValue"/>.</summary>
    private void WaitForNotification(string codeValue)
    {
        var backend = _session.Backend!;
        var waited = Stopwatch.StartNew();
        while (waited.ElapsedMilliseconds < ResultWaitMs)
        {
            var payment = backend.Emulator.Records.Payments().FirstOrDefault(p => p.CodeValue == codeValue);
            if (payment != null && backend.Gateway.Store.FindFinalNotificationAsync(payment.PaymentRequestId, null).GetAwaiter().GetResult() != null)
            {
                return;
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException("the gateway never recorded the notification");
    }

    /// <summary>
    /// A sale nobody pays keeps boot recovery polling before it closes: an order code until its expiry, a payment
    /// code for the CPM budget. Once recovery has made its first inquiry, jump the clock past that instead of waiting.
    /// </summary>
    private void JumpPastRecoveryBudget(TimeSpan by)
    {
        Thread.Sleep(50);
        _session.AdvanceTime(by);
    }

    /// <summary>
    /// The customer acts in the wallet; if the terminal's pay has not reached Antom yet (a fault delayed it), the
    /// customer tries again a moment later, as a person looking at the wallet would.
    /// </summary>
    private static void Persist(Func<WalletResult> act)
    {
        for (int i = 0; i < 20 && act() is WalletResult.UnknownCode or WalletResult.NotAwaitingCustomer; i++)
        {
            Thread.Sleep(20);
        }
    }

    private ChaosFollowUp RunFollowUp(ChaosSale sale, string kind, string request, long amount)
    {
        var followUp = new ChaosFollowUp(kind, amount);
        _register.ClearEvents();
        _early.Clear();
        HostLinkReply reply = Request(request);
        if (!reply.Ok)
        {
            followUp.Terminal = "REFUSED " + reply.Error;
            return followUp;
        }

        HostLinkLine? result = WaitResult(kind, sale.Reference);
        if (result == null)
        {
            followUp.Terminal = "UNFINISHED";
            Unstick();
        }
        else
        {
            HostLinkResultLine r = HostLinkResultLine.From(result, 2);
            followUp.Terminal = r.Outcome;
            followUp.ReasonCode = r.ReasonCode;
        }

        TransactionKind k = kind == "REFUND" ? TransactionKind.Refund : TransactionKind.Void;
        followUp.RequestId = _requestIds.TryRemove(Key(k, sale.Reference), out string? id) ? id : null;
        return followUp;
    }

    private string Scan(ChaosSale sale, PaymentCodeOutcome outcome)
    {
        WaitEvent("WAITING_FOR_CUSTOMER", sale.Reference);
        string code = _wallet.IssuePaymentCode(outcome);
        _session.Terminal.Scanner!.Present(code);
        return code;
    }

    private string WaitQr(ChaosSale sale) => WaitEvent("SHOW_QR", sale.Reference).Word(3)!;

    private HostLinkLine WaitEvent(string name, string reference)
    {
        HostLinkLine? line = _register.WaitForEvent(l => (l.Name == name && l.Word(2) == reference) || (l.Name == "RESULT" && l.Word(3) == reference), ResultWaitMs);
        if (line != null && line.Name == name)
        {
            return line;
        }

        if (line != null)
        {
            _early.Add(line);
        }

        throw new TimeoutException($"no {name} before the sale ended");
    }

    private HostLinkLine? WaitResult(string kind, string reference)
    {
        HostLinkLine? early = _early.Find(l => l.Word(2) == kind && l.Word(3) == reference);
        if (early != null)
        {
            _early.Remove(early);
            return early;
        }

        return _register.WaitForEvent(l => l.Name == "RESULT" && l.Word(2) == kind && l.Word(3) == reference, ResultWaitMs);
    }

    private HostLinkReply Request(string request)
    {
        for (int attempt = 0; ; attempt++)
        {
            HostLinkReply reply = _register.Request(request, ResultWaitMs);
            if (reply.Error != "BUSY" || attempt >= 3)
            {
                return reply;
            }

            // Recovery after a reboot answers BUSY until it is done.
            _session.Terminal.WaitIdle(ResultWaitMs);
        }
    }

    /// <summary>A transaction that never ended: stop it and make sure the terminal is idle for the next sale.</summary>
    private void Unstick()
    {
        _register.Send("ABORT");
        if (!_session.Terminal.WaitIdle(ResultWaitMs))
        {
            _session.Terminal.Reboot();
            _session.Terminal.WaitIdle(ResultWaitMs);
        }
    }
}
