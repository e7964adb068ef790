using System.Threading;
using Terminal.Core.Ports;
using Terminal.Drivers.Pulse;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Transactions;
using Terminal.Vending.Config;

namespace Terminal.Vending.Pulse
{
    /// <summary>
    /// A coin-op machine's payment front end (docs/vending.md section 4): at idle it offers the configured price
    /// (the order QR on the display, "scan to pay", or a scan session for the customer's code), and once a vend is
    /// paid it credits the machine in pulses, one per pulse value, each journaled before it goes out. After a
    /// result the screen holds it for <see cref="VendingSection.HoldMs"/>, then the next offer starts.
    /// <para>
    /// Threads: <see cref="Poll"/> and <see cref="RequestVend"/> on the main loop; <see cref="Settle"/> on the
    /// desk's worker (the pulses block the worker only, after the payment, never the main loop); results arrive on
    /// whichever thread reports them. A keypad or price buttons join through <see cref="RequestVend"/>.
    /// </para>
    /// </summary>
    public sealed class PulseVending : IVendChannel, IResultSubscriber
    {
        /// <summary>Wait before the next offer when the last one could not even start (no network, storage).</summary>
        public const int RetryMs = 15000;

        private readonly VendingSection _config;
        private readonly TransactionDesk _desk;
        private readonly PulseOutput _output;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly LedgerJournal _journal = new LedgerJournal();
        private readonly object _gate = new object();
        private long _nextOffer;

        public PulseVending(VendingSection config, TransactionDesk desk, PulseOutput output, IClock clock, ILog log)
        {
            if (config == null || desk == null || output == null || clock == null)
            {
                throw new System.ArgumentNullException(config == null ? "config" : desk == null ? "desk" : output == null ? "output" : "clock");
            }

            _config = config;
            _desk = desk;
            _output = output;
            _clock = clock;
            _log = log;
            output.Release();
        }

        /// <summary>Pulses sent since start-up (DIAG).</summary>
        public long PulsesSent
        {
            get { return _output.Sent; }
        }

        /// <summary>Main loop: offers the fixed price again once the desk is idle and the last result was shown long enough.</summary>
        public void Poll()
        {
            if (_config.Price <= 0 || _desk.Phase != DeskPhase.Idle || _desk.IsBusy || _clock.MonotonicMs() < NextOffer())
            {
                return;
            }

            string detail;
            if (RequestVend(_config.Price, out detail) != DeskAnswer.Accepted)
            {
                OfferAfter(RetryMs);
                Log(LogLevel.Warning, "vending: offer not started: " + detail);
            }
        }

        /// <summary>
        /// Offers a vend of <paramref name="amountMinor"/> (the fixed price, a keypad's or a price button's):
        /// refused before anything is charged unless it is a whole number of pulses within the per-sale bound.
        /// </summary>
        public DeskAnswer RequestVend(long amountMinor, out string detail)
        {
            int pulses = _config.PulsesFor(amountMinor, out detail);
            if (pulses == 0)
            {
                return DeskAnswer.Refused;
            }

            TransactionKind mode = _config.SaleMode == VendingSection.Cpm ? TransactionKind.SalePaymentCode : TransactionKind.SaleOrderCode;
            return _desk.StartVend(amountMinor, mode, pulses, 0, out detail);
        }

        /// <summary>Any result: the next offer waits until it has been seen.</summary>
        public void OnResult(DeskResult result)
        {
            OfferAfter(result.Payment.Number == 0 && result.Payment.Status == FinalStatus.Failed ? RetryMs : _config.HoldMs);
        }

        /// <summary>
        /// Worker: credits the vend in hand. Pulse N is journaled before it goes out, so after a power cut the
        /// journal's count includes the pulse that was in flight: "resume" sends the rest (that one pulse may be
        /// lost, none is doubled), "review" sends nothing more and flags the sale. A credit whose first pulse was
        /// never journaled is simply sent.
        /// </summary>
        public void Settle(VendLedger ledger, bool afterRestart)
        {
            VendState state = ledger.State;
            if (state != VendState.CreditDue && state != VendState.Delivering)
            {
                ledger.Review("a pulse credit cannot continue from " + StateName(state));
                return;
            }

            bool interrupted = state == VendState.Delivering;
            if (interrupted && _config.AfterPowerCut == VendingSection.Review)
            {
                ledger.Review("power cut during the credit after " + ledger.CreditDone + " of " + ledger.CreditUnits + " pulses");
                return;
            }

            int due = ledger.CreditUnits;
            int first = ledger.CreditDone + 1;
            if (interrupted)
            {
                Log(LogLevel.Warning, "vending: resuming credit of vend " + ledger.Number + " at pulse " + first + " of " + due);
            }

            _journal.Use(ledger, interrupted);
            int sent = first > due ? due : _output.Send(first, due, _journal);
            if (sent < due)
            {
                Log(LogLevel.Error, "vending: credit of vend " + ledger.Number + " stopped after " + sent + " of " + due + " pulses (journal not written)");
                return;
            }

            ledger.Vended();
        }

        private long NextOffer()
        {
            Monitor.Enter(_gate);
            try
            {
                return _nextOffer;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private void OfferAfter(int waitMs)
        {
            Monitor.Enter(_gate);
            try
            {
                _nextOffer = _clock.MonotonicMs() + waitMs;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private static string StateName(VendState state)
        {
            return state == VendState.Approved ? "an MDB approval" : state == VendState.Refunding ? "a refund" : "this state";
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }

        /// <summary>Journals each pulse before the output sends it.</summary>
        private sealed class LedgerJournal : IPulseJournal
        {
            private VendLedger _ledger;
            private bool _resumed;

            public void Use(VendLedger ledger, bool resumed)
            {
                _ledger = ledger;
                _resumed = resumed;
            }

            public bool BeforePulse(int number)
            {
                return _ledger.RecordPulse(number, _resumed);
            }
        }
    }
}
