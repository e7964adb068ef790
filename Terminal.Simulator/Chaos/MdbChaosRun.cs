using System.Collections.Concurrent;
using System.Diagnostics;
using Terminal.AntomEmulator;
using Terminal.Core.Ports;
using Terminal.Firmware.App;
using Terminal.Host;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.SimulatedDevices.Mdb;
using Terminal.Simulator.Backend;
using Terminal.Transactions;
using Terminal.Vending.Config;

namespace Terminal.Simulator.Chaos;

/// <summary>
/// <c>chaos N --vending mdb</c> (docs/vending.md section 8): N vends of an MDB vending machine through the real
/// firmware, the Qibixx bridge model and the machine's controller (<see cref="VmcSimulator"/>), paid through the
/// gateway and the Antom emulator with faults in the gateway's Antom traffic (<see cref="FaultPlan"/>). Each customer
/// chooses an item and presents a fresh payment code that the wallet approves or declines; some items jam (VEND
/// FAILURE after approval), some machines give up early (VEND CANCEL while the payment runs, the code shown late or
/// never), and a third of the vends have the terminal's power cut at a random moment. Every vend is then judged from
/// the emulator's record of that code's payment and its refunds, what the machine saw on the bus and the vend's state
/// in the terminal's journal: a vended item was paid once and never refunded; a paid item not vended was refunded in
/// full by exactly one refund request (or, when the terminal cannot know whether the machine vended, flagged for
/// review); an approval without payment, two approvals, two refunds or a paid vend left unrefunded fails the run.
/// </summary>
public sealed class MdbChaosRun
{
    private const int SettleWaitMs = 60000;
    private const int UpstreamAttemptTimeoutMs = 300;
    private const int PowerOffMs = 100;

    /// <summary>An impatient machine's wait for VEND APPROVED or DENIED (the reader announces 10 s).</summary>
    private const int ImpatientMachineMs = 700;

    /// <summary>Every item costs 1.50 (MDB units of 0.01 with scale factor 1).</summary>
    private const int Price = 150;

    private readonly Session _session;
    private readonly ChaosOptions _options;
    private readonly EmulatorWallet _wallet;
    private readonly Random _random;
    private readonly TextWriter _out;
    private readonly VmcSimulator _vmc;
    private readonly string _journalFolder;

    private MdbChaosRun(Session session, ChaosOptions options, TextWriter output)
    {
        _session = session;
        _options = options;
        _wallet = session.Wallet!;
        _random = new Random(options.Seed);
        _out = output;
        _vmc = session.Terminal.Machine!.Controller!;
        _journalFolder = Path.Combine(Path.GetFullPath(options.DataFolder), "terminal-flash");
    }

    public static async Task<int> RunAsync(TextWriter output, ChaosOptions options)
    {
        output.WriteLine($"Vending chaos run: {options.Sales} MDB vends, {options.FaultRate:P0} of Antom requests faulted, jams, impatient machines, power cuts, seed {options.Seed}.");
        try
        {
            await using Session session = await Session.StartAsync(new SessionOptions
            {
                DataFolder = options.DataFolder,
                Persistent = false,
                DeviceId = "CHAOSM01",
                DisplayName = "Chaos MDB",
                Timings = TerminalTimings.Chaos,
                AppSettings = new TerminalAppSettings { LoopWaitMs = 2, ScanTimeoutMs = 10000, ScanRetriggerMs = 1000 },
                Seed = options.Seed,
                UpstreamAttemptTimeoutMs = UpstreamAttemptTimeoutMs,
                UpstreamTotalTimeoutMs = 3 * UpstreamAttemptTimeoutMs,
                LogLevel = LogLevel.Warning,
                Vending = VendingSection.Mdb,
                MachineEvents = _ => { },
            });
            VendingSection vending = session.Terminal.Config.Vending;
            vending.SaleMode = VendingSection.Cpm;
            vending.MdbResponseTimeS = 10;
            vending.MdbVendTimeoutMs = 5000;
            var run = new MdbChaosRun(session, options, output);
            run._vmc.PollIntervalMs = 10;
            run._vmc.DispenseMs = 100;
            session.Terminal.Boot();
            if (run._vmc.WaitFor("BEGIN SESSION", 0, SettleWaitMs) < 0)
            {
                output.WriteLine("FAILED: the machine never opened a session");
                return 1;
            }

            FaultPlan.Install(session.Backend!.Emulator.Faults, EmbeddedBackend.MerchantClientId, options.FaultRate, UpstreamAttemptTimeoutMs);
            var clock = Stopwatch.StartNew();
            List<Vend> vends = run.RunVends();
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

    private List<Vend> RunVends()
    {
        var vends = new List<Vend>();
        for (int i = 1; i <= _options.Sales; i++)
        {
            bool pays = _random.NextDouble() < 0.75;
            var vend = new Vend(i)
            {
                Jam = _random.NextDouble() < 0.25,
                Impatient = _random.NextDouble() < 0.15,
                PowerCut = _random.Next(3) == 0,
                Declined = !pays,
            };
            int codeAfter = vend.Impatient ? _random.Next(0, 2 * ImpatientMachineMs) : 0;
            int cutAfter = _random.Next(0, 1500);
            vends.Add(vend);

            _vmc.FailNextVend = vend.Jam;
            _vmc.ApprovalTimeoutMs = vend.Impatient ? ImpatientMachineMs : 0;
            int mark = _vmc.EventCount;
            _vmc.Select(10 + (i % 20), Price);
            if (_vmc.WaitFor("VEND REQUEST", mark, SettleWaitMs) < 0)
            {
                vend.Note = "the machine never asked; its bus: " + string.Join(" | ", _vmc.EventsSince(Math.Max(0, mark - 12)).Select(e => e.What)) + "; machine " + _vmc.State;
                break;
            }

            long asked = Environment.TickCount64;
            vend.Code = _wallet.IssuePaymentCode(pays ? PaymentCodeOutcome.Success : PaymentCodeOutcome.Decline());
            bool shown = false;
            bool cut = !vend.PowerCut;
            int cutMark = -1;
            while (!shown || !cut)
            {
                long since = Environment.TickCount64 - asked;
                if (!shown && since >= codeAfter && (cut || codeAfter <= cutAfter))
                {
                    // The customer holds the phone up once the terminal asks for it, or late (to an impatient
                    // machine, or a terminal that lost power): then at any moment, even after the terminal stopped
                    // asking, while the scanner's window may still be open. That code must never pay a later vend.
                    WaitScanning(asked + codeAfter + 2000);
                    _session.Terminal.Scanner!.Present(vend.Code);
                    vend.ShownAfterMs = Environment.TickCount64 - asked;

                    shown = true;
                }
                else if (!cut && since >= cutAfter && (shown || cutAfter < codeAfter))
                {
                    _session.Terminal.PowerCut();
                    cutMark = _vmc.EventCount;
                    Thread.Sleep(PowerOffMs);
                    _session.Terminal.Boot();
                    cut = true;
                }
                else
                {
                    Thread.Sleep(1);
                }
            }

            vend.Settled = WaitSettled(mark, cutMark);
            _session.Terminal.Scanner!.Remove();
            (long At, string What)[] bus = _vmc.EventsSince(mark);
            vend.Bus = string.Join(" | ", bus.Select(e => (e.At - bus[0].At) + " " + e.What));
            vend.Approvals = bus.Count(e => e.What.StartsWith("VEND APPROVED", StringComparison.Ordinal));
            vend.Vended = bus.Any(e => e.What.StartsWith("VEND SUCCESS", StringComparison.Ordinal));
            vend.Failed = bus.Any(e => e.What.StartsWith("VEND FAILURE", StringComparison.Ordinal));
            vend.Cancelled = bus.Any(e => e.What.StartsWith("VEND CANCEL", StringComparison.Ordinal));
            vend.Denied = bus.Any(e => e.What.StartsWith("VEND DENIED", StringComparison.Ordinal));
            vend.Journal = JournalState(vend.Code);
            if (i % 50 == 0 || i == _options.Sales)
            {
                _out.WriteLine($"  {i} vends, machine: {_vmc.Vends} vended, {_vmc.Failures} failed, {_vmc.Denials} denied, {_vmc.Cancels} cancelled");
            }
        }

        return vends;
    }

    /// <summary>Until the terminal scans for this vend's code, or <paramref name="untilMs"/> (it stopped asking, or a cut terminal is booting).</summary>
    private void WaitScanning(long untilMs)
    {
        while (_session.Terminal.App.Phase != DeskPhase.Scanning && Environment.TickCount64 < untilMs)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// The vend is over for both sides: the machine has a new session and the terminal's desk is free. After a power
    /// cut (<paramref name="cutMark"/>: the machine's event count at the cut, or -1) that session must come after the
    /// restarted terminal set its reader up again: the bridge keeps the machine's session open while the terminal
    /// boots, and the terminal's reset of its reader (JUST RESET, MDB/ICP 4.x section 7.4.1) would otherwise end the
    /// next vend's request.
    /// </summary>
    private bool WaitSettled(int mark, int cutMark)
    {
        long deadline = Environment.TickCount64 + SettleWaitMs;
        while (Environment.TickCount64 < deadline)
        {
            (long At, string What)[] bus = _vmc.EventsSince(mark);
            int request = Array.FindLastIndex(bus, e => e.What.StartsWith("VEND REQUEST", StringComparison.Ordinal));
            int after = request;
            if (cutMark >= 0)
            {
                int enabled = Array.FindLastIndex(bus, e => e.What.StartsWith("READER ENABLED", StringComparison.Ordinal));
                after = enabled >= cutMark - mark ? Math.Max(request, enabled) : -1;
            }

            bool session = request >= 0 && after >= 0 && Array.FindIndex(bus, after, e => e.What.StartsWith("BEGIN SESSION", StringComparison.Ordinal)) > after;
            if (session && !_session.Terminal.App.Desk.IsBusy && _vmc.State == VmcState.SessionIdle)
            {
                return true;
            }

            Thread.Sleep(5);
        }

        return false;
    }

    /// <summary>
    /// The vend's state in the terminal's journal (the sale charged with <paramref name="code"/>), or null. Read from a
    /// copy of the terminal's storage folder taken while its desk is free: opening the store tidies its folder, which
    /// must never happen to the live one.
    /// </summary>
    private VendState? JournalState(string code)
    {
        string copy = _journalFolder + "-copy";
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(copy))
                {
                    Directory.Delete(copy, recursive: true);
                }

                Directory.CreateDirectory(copy);
                foreach (string file in Directory.GetFiles(_journalFolder))
                {
                    File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
                }

                var journal = new TransactionJournal(new FolderStorage(copy), new NullLog(), 50);
                if (journal.Load())
                {
                    for (int i = 0; i < journal.Count; i++)
                    {
                        TransactionRecord r = journal.Get(i);
                        if (r.IsSale && r.PaymentCode.EqualsAscii(code))
                        {
                            return r.Vend;
                        }
                    }

                    return null;
                }
            }
            catch (IOException)
            {
                // A file replaced while it was copied: try again.
            }

            Thread.Sleep(20);
        }

        return null;
    }

    private bool Check(List<Vend> vends, EmulatorRecords records, TimeSpan duration)
    {
        Dictionary<string, PaymentRecord> byCode = records.Payments()
            .Where(p => p.ClientId == EmbeddedBackend.MerchantClientId && p.PaymentMethodId != null)
            .GroupBy(p => p.PaymentMethodId!)
            .ToDictionary(g => g.Key, g => g.Single());
        ILookup<string, string> refundIds = records.Refunds()
            .Where(r => r.ClientId == EmbeddedBackend.MerchantClientId)
            .ToLookup(r => r.PaymentId, r => r.RefundRequestId);
        var verdicts = new Dictionary<string, int>();
        int problems = 0;
        foreach (Vend v in vends)
        {
            byCode.TryGetValue(v.Code ?? "", out PaymentRecord? payment);
            bool paid = payment?.Status == PaymentStatus.Success;
            int refunds = payment == null ? 0 : refundIds[payment.PaymentId].Distinct().Count();
            string verdict = Verdict(paid, Price, payment?.RefundedValue ?? 0, refunds, v.Approvals, v.Vended, v.Journal == VendState.Review, v.Settled);
            verdict = Outcome(v, paid) ?? verdict;
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            if (verdict.StartsWith("MISMATCH", StringComparison.Ordinal) || verdict == "UNSETTLED" || _options.PrintTable)
            {
                problems += verdict.StartsWith("MISMATCH", StringComparison.Ordinal) || verdict == "UNSETTLED" ? 1 : 0;
                _out.WriteLine($"  vend {v.Number}: {verdict}; Antom {payment?.Status.ToString() ?? "no payment"} refunded {payment?.RefundedValue ?? 0} by {refunds}, "
                    + $"machine {v.Approvals} approval(s){(v.Vended ? ", vended" : "")}{(v.Failed ? ", failed" : "")}{(v.Cancelled ? ", cancelled" : "")}, journal {v.Journal?.ToString() ?? "-"}"
                    + $"{(v.Jam ? ", jam" : "")}{(v.Impatient ? ", impatient" : "")}{(v.PowerCut ? ", power cut" : "")}{(v.Note == null ? "" : ", " + v.Note)}; code shown after {(v.ShownAfterMs < 0 ? "-" : v.ShownAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture))} ms; bus: {v.Bus}");
            }
        }

        int paidVends = vends.Count(v => v.Code != null && byCode.TryGetValue(v.Code, out PaymentRecord? p) && p.Status == PaymentStatus.Success);
        int charged = byCode.Values.Count(p => p.Status == PaymentStatus.Success);
        int refunded = byCode.Values.Count(p => p.RefundedValue > 0);
        _out.WriteLine($"{vends.Count} vends in {duration.TotalSeconds:0.0} s: {paidVends} paid, {refunded} refunded, {vends.Count(v => v.PowerCut)} with a power cut; "
            + $"machine {_vmc.Vends} vended, {_vmc.Failures} failed, {_vmc.Denials} denied, {_vmc.Cancels} cancelled; bridge refused {_session.Terminal.Machine!.Bridge!.ProtocolErrors} command(s)");
        foreach (KeyValuePair<string, int> verdict in verdicts.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            _out.WriteLine($"  {verdict.Key,-48} {verdict.Value}");
        }

        if (charged != paidVends)
        {
            problems++;
            _out.WriteLine($"  MISMATCH: Antom holds {charged} paid codes, the run's vends {paidVends}");
        }

        int vendedByRun = vends.Count(v => v.Vended);
        if (vendedByRun != _vmc.Vends)
        {
            problems++;
            _out.WriteLine($"  MISMATCH: the machine vended {_vmc.Vends} items, the run's vends {vendedByRun}");
        }

        _out.WriteLine(problems == 0
            ? "PASSED: every vended item paid once, every paid item not vended refunded once (or flagged), nothing approved twice or for nothing"
            : $"FAILED: {problems} problem(s)");
        return problems == 0;
    }

    /// <summary>
    /// What the machine must have been told when no power cut came between: the reader was not set up again (only a
    /// restarted terminal resets it, so a reset here is an earlier vend's restart that the run did not wait for); a
    /// declined code to a patient machine is answered VEND DENIED; an impatient machine's unpaid vend ends in its VEND
    /// CANCEL or the terminal's VEND DENIED. Null when that holds (or a power cut makes either answer possible).
    /// </summary>
    private static string? Outcome(Vend v, bool paid)
    {
        if (v.PowerCut)
        {
            return null;
        }

        if (v.Bus != null && v.Bus.Contains("READER ENABLED", StringComparison.Ordinal))
        {
            return "MISMATCH the reader was set up again without a power cut";
        }

        if (paid)
        {
            return null;
        }

        if (v.Declined && !v.Impatient && (!v.Denied || v.Approvals > 0))
        {
            return "MISMATCH a declined code was not denied";
        }

        if (v.Impatient && (!(v.Cancelled || v.Denied) || v.Approvals > 0))
        {
            return "MISMATCH an unpaid impatient vend neither cancelled nor denied";
        }

        return null;
    }

    /// <summary>
    /// One MDB vend's verdict from what Antom holds (<paramref name="paid"/>, refunded amount and the number of distinct
    /// refund request ids), what the machine saw (approvals, the item vended) and whether the terminal's journal flags
    /// the vend for review; "MISMATCH ..." and "UNSETTLED" fail the run.
    /// </summary>
    internal static string Verdict(bool paid, long amount, long refunded, int refundRequests, int approvals, bool vended, bool review, bool settled)
    {
        if (approvals > 1)
        {
            return "MISMATCH approved twice";
        }

        if ((approvals > 0 || vended) && !paid)
        {
            return "MISMATCH approved without payment";
        }

        if (refundRequests > 1 || refunded > amount)
        {
            return "MISMATCH refunded twice";
        }

        if (!settled)
        {
            return "UNSETTLED";
        }

        if (!paid)
        {
            return refunded > 0 ? "MISMATCH refund without payment" : "ok, not paid, nothing vended";
        }

        if (vended)
        {
            return refunded == 0 ? "ok, paid and vended" : "MISMATCH vended and refunded";
        }

        if (refunded == amount)
        {
            return approvals > 0 ? "ok, vend failed, refunded once" : "ok, not approved in time, refunded once";
        }

        return review && refunded == 0 ? "review, paid, the machine's outcome unknown" : "MISMATCH paid, not vended, not refunded";
    }

    private sealed class NullLog : ILog
    {
        public void Write(LogLevel level, string message)
        {
        }
    }

    private sealed class Vend(int number)
    {
        public int Number { get; } = number;

        public bool Jam { get; init; }

        public bool Impatient { get; init; }

        public bool PowerCut { get; init; }

        public string? Code { get; set; }

        public bool Settled { get; set; }

        public int Approvals { get; set; }

        public bool Vended { get; set; }

        public bool Failed { get; set; }

        public bool Cancelled { get; set; }

        public bool Denied { get; set; }

        public bool Declined { get; init; }

        public VendState? Journal { get; set; }

        public string? Note { get; set; }

        public long ShownAfterMs { get; set; } = -1;

        public string? Bus { get; set; }
    }
}
