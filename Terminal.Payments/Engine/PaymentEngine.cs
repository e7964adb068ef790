using Terminal.Core.Ports;
using Terminal.Core.Text;
using Terminal.Payments.Antom;
using Terminal.Payments.Config;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// The payment state machine: sales (order code and payment code), refunds, voids and boot recovery, each
    /// transition journaled BEFORE the action it allows (docs/architecture.md section 6; docs/antom-protocol.md 4.1 and 4.3).
    /// </summary>
    /// <remarks>
    /// <para>Threading: one worker thread calls <see cref="Open"/>, <see cref="RecoverAll"/>, <see cref="RunSale"/>,
    /// <see cref="Refund"/>, <see cref="Void"/>, <see cref="Last"/> and <see cref="FindByReference"/>; these block
    /// (HTTP, sleeps through <see cref="ISleeper"/>) and must not overlap. <see cref="RequestAbort"/> is the only
    /// member that is safe from any other thread. Events fire on the worker thread.</para>
    /// <para>Guarantees: one paymentRequestId per sale (a reference that was paid or is unresolved never gets a
    /// second one); a pay is only ever repeated with the same id, amount and code; SUCCESS only from a verified
    /// answer that names our request id; timeouts and unknown answers lead to inquiry, then cancel, then
    /// NeedsReview, never to failure. Memory: buffers are allocated in the constructor; the polling loop
    /// allocates nothing.</para>
    /// </remarks>
    public sealed partial class PaymentEngine
    {
        /// <summary>Pay attempts for an order code whose answer stays unknown (legacy in-store SDK: 3).</summary>
        private const int OrderCreateAttempts = 3;

        /// <summary>
        /// Times a payment-code pay is sent again (same bytes) while polling finds no such order: a pay whose
        /// answer was lost may never have arrived (HTTP 5xx before processing, a dropped connection).
        /// </summary>
        private const int PayResubmits = 2;

        /// <summary>Longest time an order code is polled, whatever its expiry says.</summary>
        private const long MaxOrderWaitMs = 3600000;

        private readonly PaymentsConfig _config;
        private readonly AntomClient _client;
        private readonly TransactionJournal _journal;
        private readonly IClock _clock;
        private readonly ISleeper _sleeper;
        private readonly ILog _log;
        private readonly IPaymentEvents _events;
        private readonly RequestIdGenerator _ids;
        private readonly PollSchedule _poll;
        private readonly RetrySchedule _cancelSchedule;
        private readonly TextField _code = new TextField(TransactionRecord.IdCapacity);
        private readonly TextField _lookup = new TextField(TransactionRecord.IdCapacity);
        private readonly DayTotals _totalsBefore = new DayTotals();
        private readonly DayTotals _closedBefore = new DayTotals();
        private int _failureFlags;
        private int _abort;
        private bool _journalUsable;

        public PaymentEngine(
            PaymentsConfig config,
            IHttpExchange http,
            IMac mac,
            IDurableStorage storage,
            IClock clock,
            ISleeper sleeper,
            IRandom random,
            ILog log,
            IPaymentEvents events)
        {
            _config = config;
            _clock = clock;
            _sleeper = sleeper;
            _log = log;
            _events = events;
            _client = new AntomClient(config, http, mac, clock, log);
            _journal = new TransactionJournal(storage, log, config.Engine.KeepTransactions);
            _ids = new RequestIdGenerator(random);
            _poll = new PollSchedule(config.Engine.PollIntervalMs, config.Engine.MaxBackoffMs > config.Engine.PollIntervalMs ? config.Engine.MaxBackoffMs : config.Engine.PollIntervalMs);
            _cancelSchedule = new RetrySchedule(config.Engine.CancelScheduleMs);
            Vends = new VendLedger(this, _journal, log);
        }

        /// <summary>The paid vends not yet settled, and the steps that settle them (worker thread, between operations).</summary>
        public VendLedger Vends { get; private set; }

        internal AntomClient Client
        {
            get { return _client; }
        }

        /// <summary>
        /// The worker's HTTP buffers. Device-link work on the same worker (the heartbeat) reuses them between
        /// transactions rather than holding a second set (docs/fleet-link.md, "Memory").
        /// </summary>
        public Core.Ports.HttpExchange Exchange
        {
            get { return _client.Exchange; }
        }

        /// <summary>False when the journal exists but could not be read: the engine refuses every operation.</summary>
        public bool JournalUsable
        {
            get { return _journalUsable; }
        }

        /// <summary>The journal, for reading (the desk looks up the sale a refund names); only the engine writes it.</summary>
        public TransactionJournal Journal
        {
            get { return _journal; }
        }

        /// <summary>
        /// Loads the journal (call once at start-up, before <see cref="RecoverAll"/>). False: the journal exists but
        /// cannot be read (written by an incompatible firmware); the engine then refuses every operation rather
        /// than overwrite it, and the terminal must say so.
        /// </summary>
        public bool Open()
        {
            _journalUsable = _journal.Load();
            return _journalUsable;
        }

        /// <summary>
        /// Asks the running operation to stop: a sale not yet paid is closed (order code) or cancelled (payment
        /// code), then reported. A payment already confirmed stays paid. Refunds, voids and recovery are not
        /// interrupted. A request while idle is forgotten when the next operation starts. Safe from any thread.
        /// </summary>
        public void RequestAbort()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 1);
            _sleeper.Wake();
        }

        /// <summary>The newest finished transaction, or null.</summary>
        public PaymentResult Last()
        {
            for (int i = _journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = _journal.Get(i);
                if (r.IsFinal)
                {
                    return PaymentResult.From(r, ReasonOf(r));
                }
            }

            return null;
        }

        /// <summary>
        /// The <paramref name="newest"/>-th newest finished transaction (0 = the newest), only sales when
        /// <paramref name="salesOnly"/>; null when the journal holds no such one. Only while no operation runs.
        /// </summary>
        public PaymentResult Recent(int newest, bool salesOnly)
        {
            for (int i = _journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = _journal.Get(i);
                if (!r.IsFinal || (salesOnly && !r.IsSale))
                {
                    continue;
                }

                if (newest-- == 0)
                {
                    return PaymentResult.From(r, ReasonOf(r));
                }
            }

            return null;
        }

        /// <summary>The newest sale with this register reference (finished or not), or null.</summary>
        public PaymentResult FindByReference(string reference)
        {
            TransactionRecord r = FindSale(reference);
            return r == null ? null : PaymentResult.From(r, r.IsFinal ? ReasonOf(r) : "In progress");
        }

        /// <summary>
        /// Starts a polling phase at the configured interval: the timing is read from the configuration when each phase
        /// starts, so a remote setting applied between transactions takes effect from the next one.
        /// </summary>
        private void ResetPoll()
        {
            _poll.Reset(_config.Engine.PollIntervalMs, _config.Engine.MaxBackoffMs);
        }

        private bool AbortRequested()
        {
            return System.Threading.Interlocked.CompareExchange(ref _abort, 0, 0) != 0;
        }

        private void ClearAbort()
        {
            System.Threading.Interlocked.Exchange(ref _abort, 0);
        }

        private long Mono()
        {
            return _clock.MonotonicMs();
        }

        /// <summary>
        /// Closes the accounting period (end of day): its counters become the last closed period's and a new period
        /// opens at zero, in one journal commit. False when the journal is unusable or the commit failed (nothing
        /// changed then). Called only while no operation runs (the desk holds every request off meanwhile).
        /// </summary>
        public bool CloseDay()
        {
            if (!_journalUsable)
            {
                return false;
            }

            DayTotals open = _journal.Totals;
            DayTotals closed = _journal.ClosedTotals;
            _totalsBefore.CopyFrom(open);
            _closedBefore.CopyFrom(closed);
            long now = _clock.UtcNowMs();
            closed.CopyFrom(open);
            closed.ClosedEpochMs = now;
            open.Open(closed.Period + 1, now);
            if (_journal.Commit())
            {
                Log(LogLevel.Info, "engine: period " + closed.Period + " closed: " + closed.SaleCount + " sales, " + closed.RefundCount + " refunds, " + closed.VoidCount + " voids");
                return true;
            }

            open.CopyFrom(_totalsBefore);
            closed.CopyFrom(_closedBefore);
            return false;
        }

        /// <summary>Copies the open period's counters and the last closed period's; only while no operation runs.</summary>
        public void ReadTotals(DayTotals open, DayTotals closed)
        {
            open.CopyFrom(_journal.Totals);
            closed.CopyFrom(_journal.ClosedTotals);
        }

        /// <summary>Sleeps until the monotonic time; false when an abort (or an offered payment code) ended the wait (abortable waits only).</summary>
        private bool SleepUntil(long until, bool abortable)
        {
            while (true)
            {
                if (abortable && (AbortRequested() || CodeOffered()))
                {
                    return false;
                }

                long left = until - Mono();
                if (left <= 0)
                {
                    return true;
                }

                _sleeper.Sleep(left > int.MaxValue ? int.MaxValue : (int)left);
            }
        }

        /// <summary>Newest sale with the reference; the newest sale of all for an empty reference.</summary>
        private TransactionRecord FindSale(string reference)
        {
            if (reference == null || reference.Length == 0)
            {
                for (int i = _journal.Count - 1; i >= 0; i--)
                {
                    if (_journal.Get(i).IsSale)
                    {
                        return _journal.Get(i);
                    }
                }

                return null;
            }

            if (!_lookup.SetAscii(reference))
            {
                return null;
            }

            return _journal.FindSaleByReference(_lookup);
        }

        /// <summary>Ends the transaction: journal, then report. Returns what was reported.</summary>
        private PaymentResult Finish(TransactionRecord rec, FinalStatus status, string code, int flags)
        {
            rec.ResultCode.SetAscii(code);
            return FinishRecord(rec, status, flags);
        }

        private PaymentResult Finish(TransactionRecord rec, FinalStatus status, TextField code, int flags)
        {
            rec.ResultCode.Set(code);
            return FinishRecord(rec, status, flags);
        }

        private PaymentResult FinishRecord(TransactionRecord rec, FinalStatus status, int flags)
        {
            // Unreported until the events have returned: a power cut between the final commit and the report leaves
            // the flag in the journal, and boot reports the result then (ReportUnreported).
            Close(rec, status, flags | TransactionRecord.FlagUnreported);
            PaymentResult result = PaymentResult.From(rec, ReasonOf(rec));
            Log(status == FinalStatus.Success ? LogLevel.Info : LogLevel.Warning, "engine: transaction " + rec.Number + " ended " + StatusName(status) + " " + result.ResultCode);
            Report(rec, result);
            return result;
        }

        /// <summary>
        /// Hands a final result to the events, then journals it as reported (one more commit: without it, the next
        /// boot would report the last transaction again, receipt and all).
        /// </summary>
        private void Report(TransactionRecord rec, PaymentResult result)
        {
            if (_events != null)
            {
                if (result.Status == FinalStatus.NeedsReview)
                {
                    _events.OnNeedsReview(result);
                }
                else
                {
                    _events.OnResult(result);
                }
            }

            rec.Flags &= ~TransactionRecord.FlagUnreported;
            if (!_journal.Commit())
            {
                Log(LogLevel.Error, "engine: result of " + rec.Number + " reported but not journaled as reported; the next boot reports it again");
            }
        }

        /// <summary>
        /// Journals the final state, its counters in the period's totals moving in the same commit, without
        /// reporting it (the caller reports, or the transaction continues as another: an order closed for a code).
        /// </summary>
        private void Close(TransactionRecord rec, FinalStatus status, int flags)
        {
            rec.State = TransactionState.Final;
            rec.Status = status;
            rec.Flags |= flags;
            rec.FinishedEpochMs = _clock.UtcNowMs();
            if (rec.Vend == VendState.Pending)
            {
                // The goods or credit are owed from the very commit that records the payment (docs/vending.md 3).
                rec.Vend = status == FinalStatus.Success ? VendState.CreditDue : VendState.Closed;
            }

            Count(rec, status);
            if (!_journal.Commit())
            {
                Log(LogLevel.Error, "engine: final state not journaled; recovery will repeat the inquiry");
            }
        }

        /// <summary>
        /// Counts a final state in the open period: money that moved (paid sales, confirmed refunds, voids of paid
        /// sales) and outcomes that need a person. A void of a sale that never counted as paid moves no counter.
        /// </summary>
        private void Count(TransactionRecord rec, FinalStatus status)
        {
            DayTotals totals = _journal.Totals;
            if (status == FinalStatus.NeedsReview)
            {
                totals.ReviewCount++;
            }
            else if (status != FinalStatus.Success)
            {
                return;
            }
            else if (rec.IsSale)
            {
                totals.SaleCount++;
                totals.SaleMinor += rec.AmountMinor;
            }
            else if (rec.Kind == TransactionKind.Refund)
            {
                totals.RefundCount++;
                totals.RefundMinor += rec.AmountMinor;
            }
            else if (rec.Kind == TransactionKind.Void)
            {
                TransactionRecord sale = _journal.FindSaleByRequestId(rec.TargetRequestId);
                if (sale == null || sale.Status == FinalStatus.Success)
                {
                    totals.VoidCount++;
                    totals.VoidMinor += rec.AmountMinor;
                }
            }
        }

        private static string ReasonOf(TransactionRecord r)
        {
            if (r.Status == FinalStatus.Success)
            {
                if (r.Kind == TransactionKind.Refund)
                {
                    return "Refunded";
                }

                if (r.Kind == TransactionKind.Void)
                {
                    return "Voided";
                }

                return r.HasFlag(TransactionRecord.FlagVoided) ? "Approved, then voided" : "Approved";
            }

            return EngineCodes.ReasonFor(r.ResultCode.ToString(), r.Kind);
        }

        internal static string StatusName(FinalStatus status)
        {
            switch (status)
            {
                case FinalStatus.Success:
                    return "SUCCESS";
                case FinalStatus.Failed:
                    return "FAILED";
                case FinalStatus.Cancelled:
                    return "CANCELLED";
                case FinalStatus.NeedsReview:
                    return "NEEDS_REVIEW";
                default:
                    return "NONE";
            }
        }

        /// <summary>Flags a final failure carries: configuration errors are marked for the operator.</summary>
        private static int FlagsFor(ResultAction action)
        {
            return action == ResultAction.ConfigurationError ? TransactionRecord.FlagConfigurationError : 0;
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
