using System.Collections.Concurrent;
using System.Diagnostics;
using Terminal.AntomEmulator;
using Terminal.Firmware.App;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Simulator.Backend;
using Terminal.Transactions;
using Terminal.Vending.Config;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// <c>chaos N --vending pulse</c>: N vends of a coin-op machine (docs/vending.md) through the real firmware,
/// gateway and Antom emulator, with faults injected into the gateway's Antom traffic (<see cref="FaultPlan"/>) and
/// the terminal's power cut at a random moment of a third of the vends. In the first half each customer presents a
/// fresh payment code at the fixed price's offer; in the second half the machine has no fixed price and each customer
/// types a price of one to three pulses at the keypad (a vend through <c>PulseVending.RequestVend</c>), then presents
/// the code. The wallet approves or declines it. Afterwards every vend is checked against the emulator's record
/// of that code's payment and the pulses the machine's coin input counted during it: a paid vend is credited once
/// (a cut may lose the one pulse in flight, never add one), an unpaid one never; more pulses than paid for is a
/// double credit and fails the run, as does a vend that never settles.
/// </summary>
public sealed class VendingChaosRun
{
    private const int SettleWaitMs = 30000;
    private const int UpstreamAttemptTimeoutMs = 300;
    private const int PowerOffMs = 100;

    private readonly Session _session;
    private readonly ChaosOptions _options;
    private readonly EmulatorWallet _wallet;
    private readonly Random _random;
    private readonly TextWriter _out;
    private readonly ConcurrentQueue<PaymentResult> _results = new();

    private VendingChaosRun(Session session, ChaosOptions options, TextWriter output)
    {
        _session = session;
        _options = options;
        _wallet = session.Wallet!;
        _random = new Random(options.Seed);
        _out = output;
    }

    public static async Task<int> RunAsync(TextWriter output, ChaosOptions options)
    {
        output.WriteLine($"Vending chaos run: {options.Sales} pulse vends, {options.FaultRate:P0} of Antom requests faulted, power cuts, seed {options.Seed}.");
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = options.DataFolder,
                Persistent = false,
                DeviceId = "CHAOSV01",
                DisplayName = "Chaos vending",
                Timings = TerminalTimings.Chaos,
                AppSettings = new TerminalAppSettings { LoopWaitMs = 2, ScanTimeoutMs = 10000, ScanRetriggerMs = 1000 },
                Seed = options.Seed,
                UpstreamAttemptTimeoutMs = UpstreamAttemptTimeoutMs,
                UpstreamTotalTimeoutMs = 3 * UpstreamAttemptTimeoutMs,
                LogLevel = Terminal.Core.Ports.LogLevel.Warning,
                Vending = VendingSection.Pulse,
                MachineEvents = _ => { },
            });
            VendingSection vending = session.Terminal.Config.Vending;
            vending.SaleMode = VendingSection.Cpm;
            vending.HoldMs = 0;
            var run = new VendingChaosRun(session, options, output);
            session.Terminal.ResultObserver = run._results.Enqueue;
            session.Terminal.Boot();
            FaultPlan.Install(session.Backend!.Emulator.Faults, EmbeddedBackend.MerchantClientId, options.FaultRate, UpstreamAttemptTimeoutMs);
            var clock = Stopwatch.StartNew();
            List<Vend> vends = run.RunVends((int)(vending.Price / vending.PulseValue));
            session.Backend.Emulator.Faults.Clear();
            clock.Stop();
            return run.Check(vends, session.Backend.Emulator.Records, clock.Elapsed) ? 0 : 1;
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

    private List<Vend> RunVends(int units)
    {
        var vends = new List<Vend>();
        var coins = _session.Terminal.Machine!.Coins!;
        int keypadFrom = (_options.Sales / 2) + 1;
        for (int i = 1; i <= _options.Sales; i++)
        {
            bool pays = _random.NextDouble() < 0.8;
            bool keypad = i >= keypadFrom;
            var vend = new Vend(i, keypad ? _random.Next(1, 4) : units, _random.Next(3) == 0) { Keypad = keypad };
            vends.Add(vend);
            if (!(keypad ? StartAtKeypad(vend, i == keypadFrom) : WaitOffer()))
            {
                vend.Note = keypad ? "the keypad vend did not start within " + SettleWaitMs + " ms" : "no offer within " + SettleWaitMs + " ms";
                break;
            }

            _results.Clear();
            int before = coins.Pulses;
            vend.Code = _wallet.IssuePaymentCode(pays ? PaymentCodeOutcome.Success : PaymentCodeOutcome.Decline());
            _session.Terminal.Scanner!.Present(vend.Code);
            if (vend.PowerCut)
            {
                Thread.Sleep(_random.Next(0, 450));
                _session.Terminal.PowerCut();

                // Off for a moment, as a real supply and boot are (the machine sees the line inactive meanwhile).
                Thread.Sleep(PowerOffMs);
                _session.Terminal.Boot();
            }
            else if (!WaitResult())
            {
                vend.Note = "no result within " + SettleWaitMs + " ms";
            }

            // Settled when the next offer is up (or, typing prices, the desk is free): the desk takes none before
            // the credit is delivered.
            vend.Settled = keypad ? WaitIdle() : WaitOffer();
            vend.Credited = coins.Pulses - before;
            vend.Terminal = _results.Where(r => r.Kind == TransactionKind.SalePaymentCode).Select(r => (FinalStatus?)r.Status).LastOrDefault();
            if (i % 50 == 0 || i == _options.Sales)
            {
                _out.WriteLine($"  {i} vends, {coins.Pulses} pulses counted");
            }
        }

        return vends;
    }

    /// <summary>
    /// The customer types the vend's price at the keypad and OK; the first time, the fixed price is switched off and
    /// its offer stopped (C). C first puts the last result away. True once the desk waits for the customer's code.
    /// </summary>
    private bool StartAtKeypad(Vend vend, bool first)
    {
        VendingSection vending = _session.Terminal.Config.Vending;
        if (first)
        {
            vending.Price = 0;
            if (!WaitOffer())
            {
                return false;
            }

            _session.Terminal.Type("C");
            if (!WaitIdle())
            {
                return false;
            }
        }

        _session.Terminal.Type("C" + (vend.Units * vending.PulseValue).ToString(System.Globalization.CultureInfo.InvariantCulture) + "A");
        return WaitOffer();
    }

    /// <summary>The desk is free (boot recovery and any credit done).</summary>
    private bool WaitIdle()
    {
        long deadline = Environment.TickCount64 + SettleWaitMs;
        while (_session.Terminal.App.Desk.IsBusy || _session.Terminal.App.Phase != DeskPhase.Idle)
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(2);
        }

        return true;
    }

    /// <summary>The offer is up: the desk is waiting for a code (the previous vend, if any, is settled).</summary>
    private bool WaitOffer()
    {
        long deadline = Environment.TickCount64 + SettleWaitMs;
        while (_session.Terminal.App.Phase != DeskPhase.Scanning)
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(2);
        }

        return true;
    }

    private bool WaitResult()
    {
        long deadline = Environment.TickCount64 + SettleWaitMs;
        while (!_results.Any(r => r.Kind == TransactionKind.SalePaymentCode))
        {
            if (Environment.TickCount64 > deadline)
            {
                return false;
            }

            Thread.Sleep(2);
        }

        return true;
    }

    private bool Check(List<Vend> vends, EmulatorRecords records, TimeSpan duration)
    {
        Dictionary<string, PaymentRecord> byCode = records.Payments()
            .Where(p => p.ClientId == EmbeddedBackend.MerchantClientId && p.PaymentMethodId != null)
            .GroupBy(p => p.PaymentMethodId!)
            .ToDictionary(g => g.Key, g => g.Single());
        var verdicts = new Dictionary<string, int>();
        int problems = 0;
        foreach (Vend v in vends)
        {
            byCode.TryGetValue(v.Code ?? "", out PaymentRecord? payment);
            string verdict = Verdict(payment?.Status == PaymentStatus.Success, v.Units, v.Credited, v.PowerCut, v.Settled, v.Terminal);
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            if (verdict.StartsWith("MISMATCH", StringComparison.Ordinal) || verdict == "UNSETTLED")
            {
                problems++;
                _out.WriteLine($"  vend {v.Number}: {verdict}; Antom {payment?.Status.ToString() ?? "no payment"}, terminal {v.Terminal?.ToString() ?? "no result"}, "
                    + $"{v.Credited} of {v.Units} pulses{(v.Keypad ? ", keypad" : "")}{(v.PowerCut ? ", power cut" : "")}{(v.Note == null ? "" : ", " + v.Note)}");
            }
        }

        int paid = vends.Count(v => v.Code != null && byCode.TryGetValue(v.Code, out PaymentRecord? p) && p.Status == PaymentStatus.Success);
        int charged = byCode.Values.Count(p => p.Status == PaymentStatus.Success);
        _out.WriteLine($"{vends.Count} vends in {duration.TotalSeconds:0.0} s: {paid} paid, {vends.Count(v => v.PowerCut)} with a power cut, {vends.Count(v => v.Keypad)} priced at the keypad, "
            + $"{_session.Terminal.Machine!.Coins!.Pulses} pulses counted, coin input violations {_session.Terminal.Machine.Coins.Violations}");
        foreach (KeyValuePair<string, int> verdict in verdicts.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            _out.WriteLine($"  {verdict.Key,-40} {verdict.Value}");
        }

        int violations = _session.Terminal.Machine.Coins.Violations;
        if (violations > 0)
        {
            problems++;
            _out.WriteLine($"  MISMATCH: the coin input saw {violations} pulse(s) out of its timing, which a machine misreads");
        }

        if (charged != paid)
        {
            problems++;
            _out.WriteLine($"  MISMATCH: Antom holds {charged} paid codes, the run's vends {paid}");
        }

        _out.WriteLine(problems == 0 ? "PASSED: every paid vend credited once, none credited twice or for nothing" : $"FAILED: {problems} problem(s)");
        return problems == 0;
    }

    /// <summary>
    /// One vend's verdict from what Antom holds (<paramref name="paid"/>), the pulses the machine counted and what the
    /// terminal reported; "MISMATCH ..." and "UNSETTLED" fail the run.
    /// </summary>
    internal static string Verdict(bool paid, int units, int credited, bool powerCut, bool settled, FinalStatus? terminal)
    {
        int owed = paid ? units : 0;
        if (credited > owed)
        {
            return paid ? "MISMATCH double credit" : "MISMATCH credit without payment";
        }

        if (!settled)
        {
            return "UNSETTLED";
        }

        if (!paid)
        {
            return terminal == FinalStatus.Success ? "MISMATCH terminal paid, Antom not" : "ok, not paid, nothing credited";
        }

        if (credited == owed)
        {
            return "ok, paid and credited";
        }

        if (powerCut && credited == owed - 1)
        {
            return "ok, cut: the pulse in flight lost";
        }

        return terminal == FinalStatus.NeedsReview && credited == 0 ? "review, paid, outcome unknown to the terminal" : "MISMATCH paid, not credited";
    }

    private sealed class Vend(int number, int units, bool powerCut)
    {
        public int Number { get; } = number;

        public int Units { get; } = units;

        public bool PowerCut { get; } = powerCut;

        public bool Keypad { get; init; }

        public string? Code { get; set; }

        public int Credited { get; set; }

        public bool Settled { get; set; }

        public FinalStatus? Terminal { get; set; }

        public string? Note { get; set; }
    }
}
