using System;
using System.Threading;
using Terminal.Core.Ports;
using Terminal.Drivers.Scanner;
using Terminal.Payments.Config;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.Transactions
{
    /// <summary>
    /// The transaction desk: the one place that takes sales, aborts, refunds and voids from the terminal's front
    /// ends (the host link, the vending front ends of Terminal.Vending; a keypad menu later), decides what is
    /// BUSY, owns the phase, runs one job at a time on its worker thread with the payment engine, and publishes
    /// progress and every final result to its subscribers (screens, host link; printer, buzzer, heartbeat later).
    /// <code>
    /// TransactionDesk desk = new TransactionDesk(config, http, mac, storage, clock, sleeper, random, log, scanner, timings);
    /// desk.AddResultSubscriber(screens); desk.AddProgressSubscriber(screens); ...
    /// desk.Open();    // the journal: LAST and what is left open
    /// desk.Start();   // boot recovery on the worker, then Idle
    /// // main loop: front ends call StartSale/Abort/Refund/Void, then ReleaseQueuedJob(), PollScanner()
    /// </code>
    /// <para>
    /// Threads: front ends and the main-loop methods run on the main-loop thread; the worker runs the engine and
    /// reports its results. The phase and the job slot are guarded by one lock, never held while a subscriber is
    /// called. A job is released to the worker only by <see cref="ReleaseQueuedJob"/>, after the request's answer
    /// has been sent, so OK comes before the events it causes.
    /// </para>
    /// <para>
    /// Rules: a new transaction only when Idle with nothing queued; a customer-presented sale scans and validates
    /// the code first and goes to the engine only with a valid one; every accepted job ends with exactly one
    /// published result (an exception escaping the engine ends a running one as NEEDS_REVIEW, never as success or
    /// failure).
    /// </para>
    /// </summary>
    public sealed class TransactionDesk
    {
        /// <summary>The STATUS word when nothing runs.</summary>
        public const string IdleStatus = "IDLE";

        private const string StageProcessing = "PROCESSING";
        private const string StageWaiting = "WAITING_FOR_CUSTOMER";
        private const string StageCancelling = "CANCELLING";
        private const string StageScanning = "SCANNING";
        private const string StageVending = "VENDING";

        private readonly PaymentsConfig _config;
        private readonly IClock _clock;
        private readonly ISleeper _sleeper;
        private readonly DeskLink _link;
        private readonly ILog _log;
        private readonly PaymentEngine _engine;
        private readonly Gm65Scanner _scanner;
        private readonly CodeScan _scan;
        private readonly DeskWorker _worker;
        private readonly DeskSubscribers _subscribers;
        private IVendChannel _vendChannel;

        // Guards everything below.
        private readonly object _gate = new object();
        private DeskPhase _phase;
        private TransactionJob _job;
        private bool _jobPending;
        private bool _jobReleased;
        private bool _jobAbort;
        private bool _announceScan;
        private bool _scanArmed;
        private string _codeToOffer;
        private string _stage;

        // The last result reported (to report a result the engine returned without an event exactly once) and its
        // published form (LAST).
        private PaymentResult _lastReported;
        private DeskResult _last;
        private int _resultsPublished;

        private int _stop;

        /// <param name="scanner">The GM65, or null when none is fitted (customer-presented sales are refused).</param>
        public TransactionDesk(
            PaymentsConfig config,
            IHttpExchange http,
            IMac mac,
            IDurableStorage storage,
            IClock clock,
            ISleeper sleeper,
            IRandom random,
            ILog log,
            Gm65Scanner scanner,
            DeskTimings timings)
        {
            if (config == null)
            {
                throw new ArgumentNullException("config");
            }

            if (timings == null)
            {
                throw new ArgumentNullException("timings");
            }

            _config = config;
            _clock = clock;
            _sleeper = sleeper;
            _log = log;
            _subscribers = new DeskSubscribers(log);
            _worker = new DeskWorker(this, log, timings.WorkerIdleWaitMs);
            _engine = new PaymentEngine(config, http, mac, storage, clock, sleeper, random, log, _worker);
            _link = new DeskLink(this, _engine);
            _worker.Use(_engine, _link);
            _scanner = scanner;
            if (scanner != null)
            {
                _scan = new CodeScan(scanner, timings.ScanTimeoutMs, timings.ScanRetriggerMs);
            }

            _phase = DeskPhase.Booting;
        }

        /// <summary>What the desk is doing now.</summary>
        public DeskPhase Phase
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _phase;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>
        /// True unless Idle with nothing queued. The worker may still be returning from the engine call whose
        /// result was just published; the engine touches nothing after reporting, so a new request is taken then
        /// and waits in the slot.
        /// </summary>
        public bool IsBusy
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return IsBusyUnderGate();
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>The last final result (kept in the journal across reboots), or null when there is none.</summary>
        public DeskResult Last
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _last;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>
        /// Results published since start-up. Counted as the desk frees itself for the next request, before the
        /// subscribers hear the result: a front end that has heard fewer is in that gap (the last
        /// <see cref="DeskResult.Sequence"/>).
        /// </summary>
        public int ResultsPublished
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _resultsPublished;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>Exceptions caught at the worker's top level.</summary>
        public int WorkerFaults
        {
            get { return _worker.Faults; }
        }

        /// <summary>Adds a subscriber to every final result; only before <see cref="Start"/>.</summary>
        public void AddResultSubscriber(IResultSubscriber subscriber)
        {
            _subscribers.Add(subscriber);
        }

        /// <summary>Adds a subscriber to every step before a result; only before <see cref="Start"/>.</summary>
        public void AddProgressSubscriber(IProgressSubscriber subscriber)
        {
            _subscribers.Add(subscriber);
        }

        /// <summary>Adds a subscriber to every resolution of a transaction left for review; only before <see cref="Start"/>.</summary>
        public void AddResolutionSubscriber(IResolutionSubscriber subscriber)
        {
            _subscribers.Add(subscriber);
        }

        /// <summary>Adds device-link work the worker does between transactions; only before <see cref="Start"/>.</summary>
        public void AddLinkTask(IDeskLinkTask task)
        {
            _worker.Add(task);
        }

        /// <summary>What link tasks get on the worker (tests run a task on their own thread with it).</summary>
        internal DeskLink Link
        {
            get { return _link; }
        }

        /// <summary>Link tasks that threw (caught and logged by the worker).</summary>
        public int LinkTaskFaults
        {
            get { return _worker.LinkFaults; }
        }

        /// <summary>
        /// Where paid vends go (the pulse output or the MDB session); only before <see cref="Start"/>. Without one,
        /// <see cref="StartVend"/> is refused and a vend a restart left unsettled is flagged for review.
        /// </summary>
        public void UseVendChannel(IVendChannel channel)
        {
            _vendChannel = channel;
        }

        /// <summary>
        /// Loads the journal and the last result from storage; false when it was empty or unreadable (the terminal
        /// starts with no transactions). Never throws for storage: a failure is logged.
        /// </summary>
        public bool Open()
        {
            try
            {
                bool loaded = _engine.Open();
                if (!loaded)
                {
                    Log(LogLevel.Warning, "app: journal empty or unreadable; starting with no transactions");
                }

                PaymentResult last = _engine.Last();
                Monitor.Enter(_gate);
                try
                {
                    _last = last == null ? null : new DeskResult(last, false, null, 0, null, 0);
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                return loaded;
            }
            catch (Exception e)
            {
                Log(LogLevel.Error, "app: journal load failed: " + e.Message);
                return false;
            }
        }

        /// <summary>Starts the worker, which first finishes whatever a power cut left open (no sale before that).</summary>
        public void Start()
        {
            Monitor.Enter(_gate);
            try
            {
                _phase = DeskPhase.Recovering;
                Queue(new TransactionJob(JobKind.Recover, TransactionKind.None, 0, null, null));
                _jobReleased = true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _worker.Start();
        }

        /// <summary>
        /// Stops the worker (a running sale is asked to abort) and waits at most <paramref name="waitMs"/> for it;
        /// false when it did not end in time.
        /// </summary>
        public bool Stop(int waitMs)
        {
            Interlocked.Exchange(ref _stop, 1);
            _engine.RequestAbort();
            _worker.Signal();
            _sleeper.Wake();
            bool ended = _worker.Join(waitMs);
            Monitor.Enter(_gate);
            try
            {
                _phase = DeskPhase.Stopped;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            return ended;
        }

        /// <summary>
        /// Starts a sale of <paramref name="amountMinor"/> in <paramref name="mode"/> (<see cref="TransactionKind.SaleOrderCode"/>
        /// or <see cref="TransactionKind.SalePaymentCode"/>). A payment-code sale first waits for the code at the scanner.
        /// </summary>
        public DeskAnswer StartSale(long amountMinor, string currency, TransactionKind mode, string reference, out string detail)
        {
            return StartSale(amountMinor, currency, mode, false, reference, 0, 0, false, out detail);
        }

        /// <summary>
        /// Starts a sale the customer pays either way: the order code is created and shown while the scanner waits
        /// for the customer's payment code; whichever comes first wins and the other is closed (the order is settled
        /// before a code is charged: <see cref="PaymentEngine.OfferPaymentCode"/>). Without a scanner it is an
        /// order-code sale.
        /// </summary>
        public DeskAnswer StartEitherWaySale(long amountMinor, string currency, string reference, out string detail)
        {
            return StartSale(amountMinor, currency, TransactionKind.SaleOrderCode, _scanner != null, reference, 0, 0, false, out detail);
        }

        private DeskAnswer StartSale(long amountMinor, string currency, TransactionKind mode, bool eitherWay, string reference, int creditUnits, int item, bool vend, out string detail)
        {
            detail = null;
            TransactionJob job;
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    detail = BusyDetail();
                    return DeskAnswer.Busy;
                }

                // Read now, not at start: the currency is a remote setting, applied between transactions.
                string sells = _config.Engine.Currency;
                if (currency != sells)
                {
                    detail = "this terminal sells in " + sells;
                    return DeskAnswer.Refused;
                }

                if (mode == TransactionKind.SalePaymentCode && _scanner == null)
                {
                    detail = "no scanner fitted: use MPM";
                    return DeskAnswer.Refused;
                }

                job = new TransactionJob(JobKind.Sale, mode, amountMinor, currency, reference, eitherWay);
                job.IsVend = vend;
                job.CreditUnits = creditUnits;
                job.VendItem = item;
                Queue(job);
                if (eitherWay)
                {
                    // The scanner waits for a code as long as the order does; the order's end disarms it.
                    _phase = DeskPhase.Running;
                    _stage = StageProcessing;
                    _scanArmed = true;
                    _scan.Begin(Mono(), long.MaxValue / 4);
                }
                else if (mode == TransactionKind.SalePaymentCode)
                {
                    // The code is read first; the engine gets the job only with a valid code.
                    _jobPending = false;
                    _phase = DeskPhase.Scanning;
                    _stage = StageScanning;
                    _announceScan = true;
                    _scan.Begin(Mono());
                }
                else
                {
                    _phase = DeskPhase.Running;
                    _stage = StageProcessing;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.Accepted(job);
            return DeskAnswer.Accepted;
        }

        /// <summary>
        /// Starts a vending sale of <paramref name="amountMinor"/> in the terminal's currency: a sale as
        /// <see cref="StartSale"/> takes it, without a reference (each vend is a new sale), whose goods or credit
        /// the vend channel delivers once it is paid; the desk stays busy until the vend is settled.
        /// </summary>
        /// <param name="creditUnits">Pulse vends: the credit in pulses; 0 for MDB.</param>
        /// <param name="item">MDB vends: the machine's item number; 0 for pulses.</param>
        public DeskAnswer StartVend(long amountMinor, TransactionKind mode, int creditUnits, int item, out string detail)
        {
            if (_vendChannel == null)
            {
                detail = "vending is not set up on this terminal";
                return DeskAnswer.Refused;
            }

            return StartSale(amountMinor, _config.Engine.Currency, mode, false, string.Empty, creditUnits, item, true, out detail);
        }

        /// <summary>Aborts the sale in progress; its result follows (CANCELLED, or SUCCESS if it was already paid).</summary>
        public DeskAnswer Abort(out string detail)
        {
            detail = null;
            Monitor.Enter(_gate);
            try
            {
                if (_phase == DeskPhase.Scanning)
                {
                    _scan.Abort();
                    return DeskAnswer.Accepted;
                }

                if (_phase == DeskPhase.Running && _job.Kind == JobKind.Sale)
                {
                    _jobAbort = true;
                    _scanArmed = false;
                    _codeToOffer = null;
                    _engine.RequestAbort();
                    return DeskAnswer.Accepted;
                }

                if (_phase == DeskPhase.Running)
                {
                    detail = "a refund or void cannot be stopped; its result follows";
                    return DeskAnswer.Refused;
                }

                if (_phase == DeskPhase.Recovering)
                {
                    detail = "finishing transactions left open by a restart";
                    return DeskAnswer.Refused;
                }

                return DeskAnswer.NoSale;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Refunds a journaled sale named by exactly one of <paramref name="reference"/> or <paramref name="paymentId"/>.</summary>
        public DeskAnswer Refund(string reference, string paymentId, long amountMinor, out string detail)
        {
            return StartRefundOrVoid(JobKind.Refund, reference, paymentId, amountMinor, out detail);
        }

        /// <summary>Voids a journaled sale named by exactly one of <paramref name="reference"/> or <paramref name="paymentId"/>.</summary>
        public DeskAnswer Void(string reference, string paymentId, out string detail)
        {
            return StartRefundOrVoid(JobKind.Void, reference, paymentId, 0, out detail);
        }

        /// <summary>
        /// One line on what the desk is doing: a state word, then details (docs/host-link.md), e.g.
        /// <c>SALE A-1001 WAITING_FOR_CUSTOMER</c>; <see cref="IdleStatus"/> when idle.
        /// </summary>
        public string Status()
        {
            Monitor.Enter(_gate);
            try
            {
                switch (_phase)
                {
                    case DeskPhase.Booting:
                        return "BOOTING";
                    case DeskPhase.Recovering:
                        return "RECOVERING";
                    case DeskPhase.Scanning:
                        return _job.Word + Named(_job.Reference) + " SCANNING";
                    case DeskPhase.Running:
                        return _job.Word + Named(_job.Reference) + " " + (_stage == null ? StageProcessing : _stage);
                    case DeskPhase.Stopped:
                        return "STOPPED";
                    default:
                        return IdleStatus;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>
        /// Main loop, after the front ends' answers of this pass: lets the worker take the queued job, and announces
        /// that a customer-presented sale waits for the code.
        /// </summary>
        public void ReleaseQueuedJob()
        {
            bool signal = false;
            TransactionJob scanning = null;
            Monitor.Enter(_gate);
            try
            {
                if (_jobPending && !_jobReleased)
                {
                    _jobReleased = true;
                    signal = true;
                }

                if (_announceScan)
                {
                    _announceScan = false;
                    scanning = _phase == DeskPhase.Scanning ? _job : null;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (signal)
            {
                _worker.Signal();
            }

            if (scanning != null)
            {
                _subscribers.WaitingForCustomer(scanning, scanning.Reference);
            }
        }

        /// <summary>
        /// Main loop: reads the scanner (always, so that stale codes never pile up in the port) and, while a
        /// customer-presented sale waits, triggers it, refuses what is not a payment code, hands a valid code to the
        /// worker, or ends the sale as CANCELLED on abort or timeout.
        /// </summary>
        public void PollScanner()
        {
            if (_scanner == null)
            {
                return;
            }

            ScanOutcome outcome = _scanner.Poll(0);
            ScanStep step;
            string problem = null;
            TransactionJob job;
            Monitor.Enter(_gate);
            try
            {
                if (_phase == DeskPhase.Running && _codeToOffer != null)
                {
                    job = _job;
                    step = ScanStep.CodeRead;
                }
                else if (_phase == DeskPhase.Running && _scanArmed)
                {
                    job = _job;
                    step = _scan.Step(outcome, Mono());
                    if (step == ScanStep.CodeRead)
                    {
                        _scanArmed = false;
                        _codeToOffer = _scanner.CodeToString();
                    }
                    else if (step == ScanStep.CodeRefused || step == ScanStep.ReadIncomplete)
                    {
                        problem = _scan.Problem;
                    }
                }
                else if (_phase != DeskPhase.Scanning)
                {
                    return;
                }
                else
                {
                    job = null;
                    step = ScanStep.Wait;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (job != null)
            {
                EitherWayScan(job, step, problem);
                return;
            }

            Monitor.Enter(_gate);
            try
            {
                if (_phase != DeskPhase.Scanning)
                {
                    return;
                }

                job = _job;
                step = _scan.Step(outcome, Mono());
                if (step == ScanStep.CodeRead)
                {
                    job.PaymentCode = _scanner.CodeToString();
                    _jobPending = true;
                    _jobReleased = true;
                    _phase = DeskPhase.Running;
                    _stage = StageProcessing;
                }
                else if (step == ScanStep.CodeRefused || step == ScanStep.ReadIncomplete)
                {
                    problem = _scan.Problem;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (step == ScanStep.Trigger || step == ScanStep.CodeRefused)
            {
                _scanner.Trigger();
            }

            if (step == ScanStep.CodeRead)
            {
                _subscribers.CodeRead(job);
                _worker.Signal();
            }
            else if (problem != null)
            {
                _subscribers.CodeRefused(job, problem);
            }
            else if (step == ScanStep.Aborted || step == ScanStep.TimedOut)
            {
                EndScanWithoutCode(job, step == ScanStep.Aborted);
            }
        }

        /// <summary>
        /// Copies the open accounting period's counters and the last closed period's (the journal keeps them across
        /// reboots); false while a transaction runs (they are moving then).
        /// </summary>
        public bool ReadTotals(DayTotals open, DayTotals closed)
        {
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    return false;
                }

                _engine.ReadTotals(open, closed);
                return true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>
        /// End of day: closes the accounting period in one journal commit and copies what it counted into
        /// <paramref name="closed"/>. Busy while a transaction runs; Refused when the journal could not be written
        /// (the period stays open). Runs on the caller's thread, holding off every other request meanwhile.
        /// </summary>
        public DeskAnswer CloseDay(DayTotals closed, out string detail)
        {
            detail = null;
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    detail = BusyDetail();
                    return DeskAnswer.Busy;
                }

                if (!_engine.CloseDay())
                {
                    detail = "the journal could not be written: the day stays open";
                    return DeskAnswer.Refused;
                }

                closed.CopyFrom(_engine.Journal.ClosedTotals);
                return DeskAnswer.Accepted;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>
        /// The <paramref name="newest"/>-th newest finished transaction in the journal (0 = the newest), sales only
        /// when <paramref name="salesOnly"/>; null when there is none or a transaction runs.
        /// </summary>
        public PaymentResult Recent(int newest, bool salesOnly)
        {
            Monitor.Enter(_gate);
            try
            {
                return IsBusyUnderGate() ? null : _engine.Recent(newest, salesOnly);
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>The sale the journal holds under <paramref name="reference"/>; null when none or a transaction runs.</summary>
        public PaymentResult FindSale(string reference)
        {
            Monitor.Enter(_gate);
            try
            {
                return IsBusyUnderGate() ? null : _engine.FindByReference(reference);
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>
        /// A register reference for a sale the terminal starts itself: <paramref name="prefix"/> and the journal's
        /// next transaction number, moved on past any the journal already holds (a reference names one sale).
        /// Null while a transaction runs.
        /// </summary>
        public string NewReference(string prefix)
        {
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    return null;
                }

                long number = _engine.Journal.NextNumber;
                string reference = prefix + number;
                while (_engine.FindByReference(reference) != null)
                {
                    reference = prefix + (++number);
                }

                return reference;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        // ---- the worker's side ----

        internal bool Stopping
        {
            get { return Interlocked.CompareExchange(ref _stop, 0, 0) != 0; }
        }

        /// <summary>Worker: the released job, once; null when there is none.</summary>
        internal TransactionJob TakeJob()
        {
            Monitor.Enter(_gate);
            try
            {
                if (!_jobPending || !_jobReleased)
                {
                    return null;
                }

                _jobPending = false;
                return _job;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Worker: reports a result the engine returned without an event, then frees the desk.</summary>
        internal void EndJob(TransactionJob job, PaymentResult result)
        {
            bool report;
            Monitor.Enter(_gate);
            try
            {
                report = result != null && result != _lastReported && !job.ResultPublished && !Stopping;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (report)
            {
                Report(result, result.Status == FinalStatus.NeedsReview);
            }

            FreeDesk(job);
        }

        /// <summary>
        /// Worker: an exception escaped the engine (it catches its own): the outcome of a running sale, refund or
        /// void is unknown, so it is reported for review, never as success or failure.
        /// </summary>
        internal void EndJobAfterFault(TransactionJob job)
        {
            if (job == null)
            {
                return;
            }

            bool report;
            Monitor.Enter(_gate);
            try
            {
                report = job == _job && _phase == DeskPhase.Running && !Stopping;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (report)
            {
                PaymentResult r = new PaymentResult();
                r.Kind = job.ResultKind;
                r.Status = FinalStatus.NeedsReview;
                r.ResultCode = EngineCodes.InternalError;
                r.Reason = EngineCodes.ReasonFor(EngineCodes.InternalError);
                r.Reference = job.Reference;
                r.AmountMinor = job.AmountMinor;
                r.Currency = job.Currency;
                Report(r, true);
            }

            FreeDesk(job);
        }

        /// <summary>
        /// Worker, after a vend's payment and after boot recovery: hands every paid vend that is not settled to the
        /// vend channel (or flags it for review when there is none). A channel that leaves a vend open (its commit
        /// failed) ends the round; the next job's round tries again.
        /// </summary>
        internal void SettleVends(bool afterRestart)
        {
            VendLedger ledger = _engine.Vends;
            for (int round = 0; round < 4 && ledger.Next(); round++)
            {
                long number = ledger.Number;
                Monitor.Enter(_gate);
                try
                {
                    if (_phase == DeskPhase.Running)
                    {
                        _stage = StageVending;
                    }
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                if (_vendChannel == null)
                {
                    ledger.Review("vending is off on this terminal: the credit was not delivered");
                }
                else
                {
                    _vendChannel.Settle(ledger, afterRestart);
                }

                if (ledger.Next() && ledger.Number == number)
                {
                    Log(LogLevel.Error, "desk: vend " + number + " is still open (storage?); trying again after the next job");
                    return;
                }
            }
        }

        /// <summary>Worker: the engine is talking to the payment service.</summary>
        internal void EngineProcessing(TransactionJob job)
        {
            RepeatAbortIfAsked();
            string reference;
            Monitor.Enter(_gate);
            try
            {
                _stage = StageProcessing;
                reference = EventReference();
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.Processing(job, reference);
        }

        /// <summary>Worker: the order code to show.</summary>
        internal void EngineShowQr(TransactionJob job, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            RepeatAbortIfAsked();
            string reference;
            Monitor.Enter(_gate);
            try
            {
                reference = EventReference();
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.ShowQr(job, reference, codeValue, offset, count, amountMinor, currency, expiresInMs);
        }

        /// <summary>Worker: the order code is shown; waiting for the customer to pay.</summary>
        internal void EngineWaiting(TransactionJob job)
        {
            RepeatAbortIfAsked();
            string reference;
            Monitor.Enter(_gate);
            try
            {
                _stage = StageWaiting;
                reference = EventReference();
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.WaitingForCustomer(job, reference);
        }

        /// <summary>Worker: closing the order or cancelling the payment.</summary>
        internal void EngineCancelling(TransactionJob job)
        {
            Monitor.Enter(_gate);
            try
            {
                _stage = StageCancelling;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.Cancelling(job);
        }

        /// <summary>
        /// Publishes a final result: LAST first, the desk freed for the next request when the result ends the
        /// current job (so a register that answers RESULT with a new SALE is never told BUSY), then the subscribers.
        /// </summary>
        internal void Report(PaymentResult result, bool needsReview)
        {
            DeskResult published;
            Monitor.Enter(_gate);
            try
            {
                bool mine = BelongsToJob(result);
                _resultsPublished++;
                published = new DeskResult(result, needsReview, mine ? _job.Reference : null, mine ? _job.AmountMinor : 0, mine ? _job.Currency : _config.Engine.Currency, _resultsPublished);
                _lastReported = result;
                _last = published;
                if (mine)
                {
                    _job.ResultPublished = true;
                }

                if (mine && _job.IsVend && result.Status == FinalStatus.Success)
                {
                    // Paid: the desk stays busy while the vend channel delivers (freed when the job ends).
                    _stage = StageVending;
                }
                else if (mine)
                {
                    _phase = DeskPhase.Idle;
                    _stage = null;
                    _scanArmed = false;
                    if (_codeToOffer != null)
                    {
                        Log(LogLevel.Info, "desk: a payment code came as sale " + _job.Reference + " ended; it was not used");
                        _codeToOffer = null;
                    }
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.Result(published);
        }

        /// <summary>
        /// Worker, between transactions: whether link work may run now (Idle, nothing queued, not stopping).
        /// </summary>
        internal bool IdleForLink()
        {
            Monitor.Enter(_gate);
            try
            {
                return _phase == DeskPhase.Idle && !_jobPending && !Stopping;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Worker: a transaction left for review was resolved; LAST follows when it is that one, then the subscribers hear it.</summary>
        internal void Resolved(PaymentResult result)
        {
            DeskResult published = new DeskResult(result, false, null, 0, null, 0);
            Monitor.Enter(_gate);
            try
            {
                if (_last != null && _last.Payment.Number == result.Number && _last.Payment.Kind == result.Kind)
                {
                    _last = published;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.Resolved(published);
        }

        // ---- under _gate ----

        private DeskAnswer StartRefundOrVoid(JobKind kind, string reference, string paymentId, long amountMinor, out string detail)
        {
            detail = null;
            TransactionJob job;
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    detail = BusyDetail();
                    return DeskAnswer.Busy;
                }

                // Safe here: the engine is done with its last operation (its result was reported) and only the
                // main loop queues jobs.
                string saleReference = paymentId != null ? FindReferenceByPaymentId(paymentId) : (_engine.FindByReference(reference) != null ? reference : null);
                if (saleReference == null)
                {
                    detail = "no sale with this " + (paymentId != null ? "payment id" : "reference") + " in the terminal's journal";
                    return DeskAnswer.NotFound;
                }

                job = new TransactionJob(kind, kind == JobKind.Refund ? TransactionKind.Refund : TransactionKind.Void, amountMinor, _config.Engine.Currency, saleReference);
                Queue(job);
                _phase = DeskPhase.Running;
                _stage = StageProcessing;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _subscribers.Accepted(job);
            return DeskAnswer.Accepted;
        }

        /// <summary>Under _gate: the register reference of the journaled sale with this paymentId.</summary>
        private string FindReferenceByPaymentId(string paymentId)
        {
            for (int i = _engine.Journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = _engine.Journal.Get(i);
                if (r.IsSale && r.PaymentId.EqualsAscii(paymentId))
                {
                    return r.Reference.IsEmpty ? null : r.Reference.ToString();
                }
            }

            return null;
        }

        /// <summary>Under _gate: puts a new job in the slot, to be released to the worker.</summary>
        private void Queue(TransactionJob job)
        {
            _job = job;
            _jobPending = true;
            _jobReleased = false;
            _jobAbort = false;
            _stage = null;
        }

        private static string Named(string reference)
        {
            return reference == null || reference.Length == 0 ? string.Empty : " " + reference;
        }

        private bool IsBusyUnderGate()
        {
            return _phase != DeskPhase.Idle || _jobPending;
        }

        private string BusyDetail()
        {
            switch (_phase)
            {
                case DeskPhase.Recovering:
                    return "finishing transactions left open by a restart";
                case DeskPhase.Booting:
                    return "starting up";
                case DeskPhase.Scanning:
                    return "waiting for the customer's payment code";
                case DeskPhase.Running:
                    return _job.Word + Named(_job.Reference) + " in progress";
                default:
                    return "finishing the previous transaction";
            }
        }

        /// <summary>Whether the result ends the sale, refund or void the desk is busy with.</summary>
        private bool BelongsToJob(PaymentResult result)
        {
            if (_phase != DeskPhase.Running && _phase != DeskPhase.Scanning)
            {
                return false;
            }

            if (result.Number == 0)
            {
                return true;
            }

            JobKind kind = result.Kind == TransactionKind.Refund ? JobKind.Refund : result.Kind == TransactionKind.Void ? JobKind.Void : JobKind.Sale;
            return kind == _job.Kind && result.Reference == _job.Reference;
        }

        /// <summary>The reference events name: the job's, or none during boot recovery.</summary>
        private string EventReference()
        {
            return _phase == DeskPhase.Running ? _job.Reference : null;
        }

        // ---- without the lock ----

        /// <summary>
        /// Repeats the cashier's abort into the engine: an abort that arrived before the engine started the sale
        /// (which clears old abort requests) must still stop it.
        /// </summary>
        private void RepeatAbortIfAsked()
        {
            bool abort;
            Monitor.Enter(_gate);
            try
            {
                abort = _jobAbort && _phase == DeskPhase.Running && _job.Kind == JobKind.Sale;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (abort)
            {
                _engine.RequestAbort();
            }
        }

        private void FreeDesk(TransactionJob job)
        {
            Monitor.Enter(_gate);
            try
            {
                if (job == _job && (_phase == DeskPhase.Running || _phase == DeskPhase.Recovering))
                {
                    _phase = DeskPhase.Idle;
                    _stage = null;
                    _scanArmed = false;
                    _codeToOffer = null;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>
        /// Main loop, an either-way sale's scanner: a valid code goes to the engine, which settles the order first;
        /// a code the engine no longer takes (the order was paid or ended meanwhile) is not used.
        /// </summary>
        private void EitherWayScan(TransactionJob job, ScanStep step, string problem)
        {
            if (step == ScanStep.Trigger || step == ScanStep.CodeRefused)
            {
                _scanner.Trigger();
            }

            if (problem != null)
            {
                _subscribers.CodeRefused(job, problem);
                return;
            }

            if (step != ScanStep.CodeRead)
            {
                return;
            }

            string code;
            Monitor.Enter(_gate);
            try
            {
                code = _codeToOffer;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            // False until the worker has started the sale (the code then settles it before any order is made), and
            // again once the sale is over: the desk then no longer runs it and forgets the code (Report, FreeDesk).
            if (code == null || !_engine.OfferPaymentCode(code))
            {
                return;
            }

            Monitor.Enter(_gate);
            try
            {
                _codeToOffer = null;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            job.CodeOffered = true;
            _subscribers.CodeRead(job);
        }

        private void EndScanWithoutCode(TransactionJob job, bool aborted)
        {
            PaymentResult r = new PaymentResult();
            r.Reference = job.Reference;
            r.AmountMinor = job.AmountMinor;
            r.Currency = job.Currency;
            r.Kind = TransactionKind.SalePaymentCode;
            r.Status = FinalStatus.Cancelled;
            r.ResultCode = aborted ? EngineCodes.Aborted : DeskCodes.NoCode;
            r.Reason = aborted ? EngineCodes.ReasonFor(EngineCodes.Aborted) : "No payment code scanned: nothing was charged";
            Report(r, false);
        }

        private long Mono()
        {
            return _clock.MonotonicMs();
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
