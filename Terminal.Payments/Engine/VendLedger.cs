using Terminal.Core.Ports;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// The journal as a vending channel sees it: the oldest paid vend that is not settled, and the steps that move
    /// it on, each committed BEFORE the action it allows (docs/vending.md section 3). Worker thread only, like the
    /// engine it belongs to. A step whose commit fails returns false with the journal reloaded to its durable
    /// state: the channel must then not do what the step would have allowed.
    /// <code>
    /// while (ledger.Next()) { ledger.RecordPulse(1, false) ... ledger.Vended(false); }
    /// </code>
    /// </summary>
    public sealed class VendLedger
    {
        private readonly PaymentEngine _engine;
        private readonly TransactionJournal _journal;
        private readonly ILog _log;
        private long _number;

        internal VendLedger(PaymentEngine engine, TransactionJournal journal, ILog log)
        {
            _engine = engine;
            _journal = journal;
            _log = log;
        }

        /// <summary>Journal number of the vend in hand (0 before <see cref="Next"/> found one).</summary>
        public long Number
        {
            get { return _number; }
        }

        public VendState State
        {
            get { return Record() == null ? VendState.None : Record().Vend; }
        }

        /// <summary>The sale's amount, minor units.</summary>
        public long AmountMinor
        {
            get { return Record() == null ? 0 : Record().AmountMinor; }
        }

        /// <summary>MDB: the machine's item number.</summary>
        public int Item
        {
            get { return Record() == null ? 0 : Record().VendItem; }
        }

        /// <summary>Pulses: the credit in pulses.</summary>
        public int CreditUnits
        {
            get { return Record() == null ? 0 : Record().CreditUnits; }
        }

        /// <summary>Pulses: how many may be out already.</summary>
        public int CreditDone
        {
            get { return Record() == null ? 0 : Record().CreditDone; }
        }

        /// <summary>Takes the oldest open vend; false when every vend is settled.</summary>
        public bool Next()
        {
            TransactionRecord r = _journal.FindOpenVend();
            _number = r == null ? 0 : r.Number;
            return r != null;
        }

        /// <summary>
        /// Pulse <paramref name="done"/> may go out now (write-ahead: after a power cut it counts as delivered, so
        /// at most that one pulse can be lost and none doubled). <paramref name="resumed"/> marks a credit
        /// continued after a power cut.
        /// </summary>
        public bool RecordPulse(int done, bool resumed)
        {
            TransactionRecord r = Record();
            if (r == null || done < 1 || done > r.CreditUnits)
            {
                return false;
            }

            r.Vend = VendState.Delivering;
            r.CreditDone = done;
            if (resumed)
            {
                r.Flags |= TransactionRecord.FlagCreditResumed;
            }

            return _engine.CommitOrReload();
        }

        /// <summary>MDB: VEND APPROVED may be sent now.</summary>
        public bool Approve()
        {
            return Move(VendState.Approved, null);
        }

        /// <summary>
        /// Every pulse is out, or the machine confirmed the vend: settled. <paramref name="creditResumed"/> marks a
        /// credit continued after a power cut (also when its last pulse was the one in flight: nothing was left to send).
        /// </summary>
        public bool Vended(bool creditResumed)
        {
            TransactionRecord r = Record();
            if (r != null && r.CreditUnits > 0)
            {
                r.CreditDone = r.CreditUnits;
            }

            if (r != null && creditResumed)
            {
                r.Flags |= TransactionRecord.FlagCreditResumed;
            }

            return Move(VendState.Vended, null);
        }

        /// <summary>The outcome cannot be known: settled for the terminal, flagged for a person (logged with why).</summary>
        public bool Review(string why)
        {
            return Move(VendState.Review, why);
        }

        /// <summary>
        /// Nothing was delivered: returns the payment automatically, exactly once (its result is reported like any
        /// refund's). Null when there was nothing left to refund.
        /// </summary>
        public PaymentResult Refund()
        {
            TransactionRecord r = Record();
            return r == null ? null : _engine.RefundVend(r);
        }

        private bool Move(VendState state, string why)
        {
            TransactionRecord r = Record();
            if (r == null)
            {
                return false;
            }

            r.Vend = state;
            if (why != null && _log != null)
            {
                _log.Write(LogLevel.Warning, "vend " + r.Number + " needs review: " + why);
            }

            return _engine.CommitOrReload();
        }

        /// <summary>The record in hand, found again by number (a reload may have refilled the pool).</summary>
        private TransactionRecord Record()
        {
            if (_number == 0)
            {
                return null;
            }

            for (int i = _journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = _journal.Get(i);
                if (r.Number == _number)
                {
                    return r;
                }
            }

            return null;
        }
    }
}
