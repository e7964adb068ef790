using Terminal.Core.Ports;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.Transactions
{
    /// <summary>
    /// What an <see cref="IDeskLinkTask"/> may use while it runs on the worker between transactions: the worker's HTTP
    /// buffers, the journal (read), and the one write the device link makes to it, a resolution. Valid only during
    /// <see cref="IDeskLinkTask.Run"/>, on the worker thread.
    /// </summary>
    public sealed class DeskLink
    {
        private readonly TransactionDesk _desk;
        private readonly PaymentEngine _engine;

        internal DeskLink(TransactionDesk desk, PaymentEngine engine)
        {
            _desk = desk;
            _engine = engine;
        }

        /// <summary>The worker's request and response buffers (the engine's, free between transactions).</summary>
        public HttpExchange Exchange
        {
            get { return _engine.Exchange; }
        }

        /// <summary>The journal, for reading; only the engine writes it.</summary>
        public TransactionJournal Journal
        {
            get { return _engine.Journal; }
        }

        /// <summary>False when the journal could not be read at start (the terminal refuses transactions).</summary>
        public bool JournalUsable
        {
            get { return _engine.JournalUsable; }
        }

        /// <summary>A front end queued a request meanwhile: optional work should end soon.</summary>
        public bool JobWaiting
        {
            get { return _desk.IsBusy; }
        }

        /// <summary>The desk is stopping: return at once.</summary>
        public bool Stopping
        {
            get { return _desk.Stopping; }
        }

        /// <summary>
        /// Records the gateway's final status of a transaction this terminal had for review (see
        /// <see cref="PaymentEngine.Resolve"/>), updates LAST when it is that transaction, and tells the resolution
        /// subscribers. False when nothing changed.
        /// </summary>
        public bool Resolve(TransactionKind kind, string requestId, FinalStatus status, string resultCode)
        {
            PaymentResult result = _engine.Resolve(kind, requestId, status, resultCode);
            if (result == null)
            {
                return false;
            }

            _desk.Resolved(result);
            return true;
        }
    }
}
