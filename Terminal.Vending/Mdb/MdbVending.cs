using System.Threading;
using Terminal.Core.Config;
using Terminal.Core.Ports;
using Terminal.Drivers.MdbBridge;
using Terminal.Payments.Journal;
using Terminal.Payments.Engine;
using Terminal.Transactions;
using Terminal.Vending.Config;

namespace Terminal.Vending.Mdb
{
    /// <summary>
    /// The terminal as the MDB cashless device of a vending machine, through the bridge (docs/vending.md
    /// section 5; MDB/ICP 4.x section 7). The machine (VMC) resets and sets the device up, enables it; with
    /// <c>mdbSession</c> "begin" the terminal opens a session with funds available (MDB level 1) so the customer
    /// can choose; the machine's VEND REQUEST (item, price) becomes a vend sale on the desk; the payment's outcome
    /// becomes VEND APPROVED or VEND DENIED; the machine's VEND SUCCESS settles the vend, its VEND FAILURE (or a
    /// vend request it cancelled or timed out while the payment went through) refunds it automatically, exactly
    /// once; a restart after approval, or no outcome in time, flags the vend for review.
    /// <para>
    /// Timeouts on both sides: the machine waits <c>mdbResponseTimeS</c> for an answer and then cancels; the
    /// terminal stops the payment a margin before that, so it answers DENIED itself; after approving it waits
    /// <c>mdbVendTimeoutMs</c> for the machine's outcome.
    /// </para>
    /// <para>
    /// Threads: <see cref="Poll"/> reads the bridge on the main loop; <see cref="Settle"/> runs on the desk's
    /// worker, approves through the bridge (its writes are serialised) and waits for the outcome the main loop
    /// reads; results arrive on the reporting thread. One lock guards the session state below.
    /// </para>
    /// </summary>
    public sealed class MdbVending : IVendChannel, IResultSubscriber
    {
        /// <summary>How long before the machine's answer time the terminal stops a payment and answers DENIED itself.</summary>
        public const int AnswerMarginMs = 5000;

        /// <summary>Step of the worker's wait for the machine's vend outcome.</summary>
        private const int OutcomeStepMs = 20;

        private const int OutcomeNone = 0;
        private const int OutcomeSuccess = 1;
        private const int OutcomeFailure = 2;
        private const int OutcomeGone = 3;

        private readonly VendingSection _config;
        private readonly TransactionDesk _desk;
        private readonly MdbBridge _bridge;
        private readonly IClock _clock;
        private readonly ISleeper _sleeper;
        private readonly ILog _log;
        private readonly int _currencyNumeric;
        private readonly TransactionKind _mode;

        // Guards everything below.
        private readonly object _gate = new object();
        private BridgeEvent _status;
        private bool _waiting;
        private bool _aborted;
        private bool _needSession;
        private int _requestItem;
        private long _requestAmount;
        private long _requestAt;
        private bool _approved;
        private int _outcome;

        /// <param name="currency">The engine's currency: the machine's prices are read in it (decimal places = its exponent).</param>
        public MdbVending(VendingSection config, string currency, TransactionDesk desk, MdbBridge bridge, IClock clock, ISleeper sleeper, ILog log)
        {
            if (config == null || desk == null || bridge == null || clock == null || sleeper == null)
            {
                throw new System.ArgumentNullException(config == null ? "config" : desk == null ? "desk" : bridge == null ? "bridge" : clock == null ? "clock" : "sleeper");
            }

            _currencyNumeric = MdbCurrency.NumericOf(currency);
            if (_currencyNumeric < 0)
            {
                throw new ConfigException("currency", "no MDB currency code is known for " + currency);
            }

            _config = config;
            _desk = desk;
            _bridge = bridge;
            _clock = clock;
            _sleeper = sleeper;
            _log = log;
            _mode = config.SaleMode == VendingSection.Cpm ? TransactionKind.SalePaymentCode : TransactionKind.SaleOrderCode;
            _status = BridgeEvent.Offline;
        }

        /// <summary>The bridge's last state line (DIAG).</summary>
        public BridgeEvent Status
        {
            get
            {
                Monitor.Enter(_gate);
                try
                {
                    return _status;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
        }

        /// <summary>Milliseconds from the last vend request's line to the terminal's answer (approve or deny) on the bridge.</summary>
        public long LastAnswerMs { get; private set; }

        /// <summary>Whether the last answer was VEND APPROVED.</summary>
        public bool LastAnswerApproved { get; private set; }

        /// <summary>Sets the bridge up and switches the cashless device on (at start-up).</summary>
        public void Start()
        {
            _bridge.Start(_config.MdbAddressByte, _currencyNumeric, _config.MdbScaleFactor, _config.MdbSession == VendingSection.AlwaysIdle, _config.MdbResponseTimeS);
        }

        /// <summary>
        /// Main loop: reads what the bridge reported (waiting at most <paramref name="waitMs"/> for the first
        /// byte) and acts on it; then stops a payment that would outlast the machine's patience.
        /// </summary>
        public void Poll(int waitMs)
        {
            BridgeEvent e;
            int wait = waitMs;
            while ((e = _bridge.Poll(wait)) != BridgeEvent.None)
            {
                wait = 0;
                Handle(e);
            }

            bool late;
            bool begin;
            bool idle = !_desk.IsBusy;
            Monitor.Enter(_gate);
            try
            {
                late = _waiting && !_aborted && _clock.MonotonicMs() - _requestAt > (_config.MdbResponseTimeS * 1000L) - AnswerMarginMs;
                _aborted |= late;
                begin = _needSession && idle && _status == BridgeEvent.Enabled;
                _needSession &= !begin;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (begin)
            {
                // MDB level 1: the reader opens the session, with the most one vend may cost as funds.
                _bridge.BeginSession(_config.MaxPrice);
            }

            if (late)
            {
                Log(LogLevel.Warning, "vending: payment not done within the machine's answer time; stopping it");
                AbortPayment();
            }
        }

        /// <summary>A failed or cancelled vend payment answers the machine VEND DENIED.</summary>
        public void OnResult(DeskResult result)
        {
            PaymentResult payment = result.Payment;
            bool sale = payment.Kind == TransactionKind.SaleOrderCode || payment.Kind == TransactionKind.SalePaymentCode;
            if (!sale || payment.Status == FinalStatus.Success || (payment.Reference != null && payment.Reference.Length > 0))
            {
                return;
            }

            bool deny;
            Monitor.Enter(_gate);
            try
            {
                deny = _waiting;
                _waiting = false;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (deny)
            {
                Answer(false);
            }
        }

        /// <summary>
        /// Worker: the paid vend in hand. Approved only while the machine still waits for this very request (same
        /// item and price) and only after the journal says so; the machine's outcome then settles it. A vend whose
        /// request is gone (cancelled, timed out, or a restart) is refunded; one approved before a restart is
        /// flagged for review (the machine may have vended).
        /// </summary>
        public void Settle(VendLedger ledger, bool afterRestart)
        {
            if (ledger.State != VendState.CreditDue)
            {
                ledger.Review(ledger.State == VendState.Approved ? "restart after VEND APPROVED: the machine's outcome is unknown" : "an MDB vend cannot continue from this state");
                return;
            }

            bool live;
            Monitor.Enter(_gate);
            try
            {
                live = !afterRestart && _waiting && _requestItem == ledger.Item && _requestAmount == ledger.AmountMinor;
                _waiting = false;
                _approved = false;
                _outcome = OutcomeNone;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (!live)
            {
                Log(LogLevel.Warning, "vending: vend " + ledger.Number + " paid but the machine no longer waits for it; refunding");
                ledger.Refund();
                return;
            }

            if (!ledger.Approve())
            {
                Answer(false);
                Log(LogLevel.Error, "vending: approval of vend " + ledger.Number + " not journaled; denied");
                ledger.Refund();
                return;
            }

            Monitor.Enter(_gate);
            try
            {
                _approved = true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            Answer(true);
            int outcome = WaitForOutcome();
            Monitor.Enter(_gate);
            try
            {
                _approved = false;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (outcome == OutcomeSuccess)
            {
                ledger.Vended(false);
            }
            else if (outcome == OutcomeFailure)
            {
                Log(LogLevel.Warning, "vending: the machine reported VEND FAILURE for vend " + ledger.Number + "; refunding");
                ledger.Refund();
            }
            else
            {
                ledger.Review(outcome == OutcomeGone ? "the machine ended the session without VEND SUCCESS or FAILURE" : "no VEND SUCCESS or FAILURE within " + _config.MdbVendTimeoutMs + " ms");
            }
        }

        private int WaitForOutcome()
        {
            long deadline = _clock.MonotonicMs() + _config.MdbVendTimeoutMs;
            while (true)
            {
                Monitor.Enter(_gate);
                try
                {
                    if (_outcome != OutcomeNone)
                    {
                        return _outcome;
                    }
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                long left = deadline - _clock.MonotonicMs();
                if (left <= 0)
                {
                    return OutcomeNone;
                }

                _sleeper.Sleep(left < OutcomeStepMs ? (int)left : OutcomeStepMs);
            }
        }

        private void Handle(BridgeEvent e)
        {
            bool abort = false;
            bool request = false;
            Monitor.Enter(_gate);
            try
            {
                switch (e)
                {
                    case BridgeEvent.Offline:
                    case BridgeEvent.Inactive:
                    case BridgeEvent.Disabled:
                    case BridgeEvent.Enabled:
                        // Out of any session: a request still waiting is gone, an approved vend has no outcome.
                        _status = e;
                        abort = _waiting;
                        _waiting = false;
                        if (_approved && _outcome == OutcomeNone)
                        {
                            _outcome = OutcomeGone;
                        }

                        _needSession = e == BridgeEvent.Enabled && _config.MdbSession == VendingSection.BeginSession;
                        break;
                    case BridgeEvent.SessionIdle:
                        _status = e;
                        break;
                    case BridgeEvent.VendRequest:
                        _status = e;
                        request = true;
                        break;
                    case BridgeEvent.VendCancelled:
                        abort = _waiting;
                        _waiting = false;
                        if (_approved && _outcome == OutcomeNone)
                        {
                            _outcome = OutcomeGone;
                        }

                        break;
                    case BridgeEvent.VendSuccess:
                        if (_approved && _outcome == OutcomeNone)
                        {
                            _outcome = OutcomeSuccess;
                        }

                        break;
                    case BridgeEvent.VendFailure:
                        if (_approved && _outcome == OutcomeNone)
                        {
                            _outcome = OutcomeFailure;
                        }

                        break;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (e == BridgeEvent.VendSuccess || e == BridgeEvent.VendFailure || e == BridgeEvent.VendCancelled || abort)
            {
                _sleeper.Wake();
            }

            if (e == BridgeEvent.Error)
            {
                Log(LogLevel.Warning, "vending: bridge: " + _bridge.LastError);
            }

            if (abort)
            {
                Log(LogLevel.Warning, "vending: the machine cancelled its vend request");
                AbortPayment();
            }

            if (request)
            {
                VendRequested(_bridge.Amount, _bridge.Item);
            }
        }

        /// <summary>
        /// A keypad's amount on an MDB machine: always refused, nothing charged. The machine asks for each item's
        /// price itself; a payment it did not ask for would credit nobody.
        /// </summary>
        public DeskAnswer RequestVend(long amountMinor, out string detail)
        {
            detail = "the vending machine asks for the price: choose the item on the machine";
            return DeskAnswer.Refused;
        }

        private void VendRequested(long amount, int item)
        {
            long now = _clock.MonotonicMs();
            string detail = null;
            DeskAnswer answer = DeskAnswer.Refused;
            if (amount < 1 || amount > _config.MaxPrice)
            {
                detail = "price " + amount + " outside 1.." + _config.MaxPrice + " (minor units)";
            }
            else
            {
                Monitor.Enter(_gate);
                try
                {
                    // Taken before the desk is asked: its result may come back on the worker at once.
                    _waiting = true;
                    _aborted = false;
                    _requestItem = item;
                    _requestAmount = amount;
                    _requestAt = now;
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                answer = _desk.StartVend(amount, _mode, 0, item, out detail);
            }

            if (answer == DeskAnswer.Accepted)
            {
                Log(LogLevel.Info, "vending: vend request item " + item + " for " + amount);
                return;
            }

            Monitor.Enter(_gate);
            try
            {
                _waiting = false;
                _requestAt = now;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            Log(LogLevel.Warning, "vending: vend request item " + item + " denied: " + detail);
            Answer(false);
        }

        private void AbortPayment()
        {
            string detail;
            _desk.Abort(out detail);
        }

        /// <summary>Sends VEND APPROVED or DENIED and notes how long the answer took.</summary>
        private void Answer(bool approve)
        {
            long amount;
            long at;
            Monitor.Enter(_gate);
            try
            {
                amount = _requestAmount;
                at = _requestAt;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (approve)
            {
                _bridge.Approve(amount);
            }
            else
            {
                _bridge.Deny();
            }

            LastAnswerMs = _clock.MonotonicMs() - at;
            LastAnswerApproved = approve;
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
