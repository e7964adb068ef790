using System.Threading;
using Terminal.Core.Ports;
using Terminal.Payments.Journal;
using Terminal.Transactions;
using Terminal.Vending.Config;

namespace Terminal.Vending.Pulse
{
    /// <summary>
    /// A coin-op machine's payment front end (docs/vending.md section 4): at idle it offers the configured price
    /// (the order QR on the display, "scan to pay", or a scan session for the customer's code); once a vend is paid
    /// the desk hands it to <see cref="PulseCredit"/>, which credits the machine. After a result the screen holds
    /// it for <see cref="VendingSection.HoldMs"/>, then the next offer starts.
    /// <para>
    /// Threads: <see cref="Poll"/> and <see cref="RequestVend"/> on the main loop; results arrive on whichever
    /// thread reports them. A keypad or price buttons join through <see cref="RequestVend"/>.
    /// </para>
    /// </summary>
    public sealed class PulseVending : IResultSubscriber
    {
        /// <summary>Wait before the next offer when the last one could not even start (no network, storage).</summary>
        public const int RetryMs = 15000;

        private readonly VendingSection _config;
        private readonly TransactionDesk _desk;
        private readonly PulseCredit _credit;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly object _gate = new object();
        private long _nextOffer;

        // Results heard, and the sequence of the newest: the desk is free for the next request before its
        // subscribers hear a result, so an offer waits until every result the desk published was heard here.
        private int _heard;
        private int _newestHeard;

        /// <param name="credit">The vend channel that sends the pulses (the desk uses it; this front end reports it).</param>
        public PulseVending(VendingSection config, TransactionDesk desk, PulseCredit credit, IClock clock, ILog log)
        {
            if (config == null || desk == null || credit == null || clock == null)
            {
                throw new System.ArgumentNullException(config == null ? "config" : desk == null ? "desk" : credit == null ? "credit" : "clock");
            }

            _config = config;
            _desk = desk;
            _credit = credit;
            _clock = clock;
            _log = log;
        }

        /// <summary>Pulses sent since start-up (DIAG).</summary>
        public long PulsesSent
        {
            get { return _credit.PulsesSent; }
        }

        /// <summary>
        /// Main loop: offers the fixed price again once the desk is idle, every result it published was heard here
        /// and the newest was shown long enough,
        /// unless another front end <paramref name="holdsScreen"/> (the keypad's amount entry or menu: a price being
        /// typed is not taken away by the next offer).
        /// </summary>
        public void Poll(bool holdsScreen)
        {
            if (_config.Price <= 0 || holdsScreen || _desk.Phase != DeskPhase.Idle || _desk.IsBusy || !Due())
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
        /// Offers a vend of <paramref name="amountMinor"/> (the fixed price, or a price typed at the keypad, whose
        /// OK calls this): refused before anything is charged unless it is a whole number of pulses within the
        /// per-sale bound.
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

        /// <summary>
        /// Any result, whoever started its sale: the next offer waits until it has been shown (an offer in the gap
        /// would take the screen from the result, and a machine's cancel would meet a new offer). A result heard
        /// after a newer one (published from two threads) counts as heard but does not restart the hold.
        /// </summary>
        public void OnResult(DeskResult result)
        {
            int waitMs = result.Payment.Number == 0 && result.Payment.Status == FinalStatus.Failed ? RetryMs : _config.HoldMs;
            Monitor.Enter(_gate);
            try
            {
                _heard++;
                if (result.Sequence > _newestHeard)
                {
                    _newestHeard = result.Sequence;
                    _nextOffer = _clock.MonotonicMs() + waitMs;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        // Every published result heard and the newest held long enough (or the retry wait after a failed offer over).
        private bool Due()
        {
            int published = _desk.ResultsPublished;
            Monitor.Enter(_gate);
            try
            {
                return _heard >= published && _clock.MonotonicMs() >= _nextOffer;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>The next offer in <paramref name="waitMs"/>.</summary>
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

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
