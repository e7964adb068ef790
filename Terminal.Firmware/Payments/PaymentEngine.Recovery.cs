using Terminal.Firmware.Ports;

namespace Terminal.Firmware.Payments
{
    /// <summary>Boot recovery: every unfinished journaled transaction is inquired and finished.</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Finishes every transaction the journal holds as unfinished (after a power cut or crash) and reports each
        /// through the events. A sale is inquired with its original id (never paid again) for up to the CPM budget
        /// and cancelled if still open; a cancel, refund or void continues where it was. Returns how many were
        /// finished. Not abortable.
        /// </summary>
        public int RecoverAll()
        {
            if (!_journalUsable)
            {
                return 0;
            }

            int finished = 0;
            int limit = _journal.Count;
            TransactionRecord rec;
            while (finished < limit && (rec = _journal.FindUnfinished()) != null)
            {
                Log(LogLevel.Info, "engine: recovering transaction " + rec.Number);
                try
                {
                    RecoverOne(rec);
                }
                catch (System.Exception e)
                {
                    Log(LogLevel.Error, "engine: recovery of " + rec.Number + " stopped by " + e.Message);
                    if (!rec.IsFinal)
                    {
                        Finish(rec, FinalStatus.NeedsReview, EngineCodes.InternalError, 0);
                    }
                }

                finished++;
            }

            return finished;
        }

        private void RecoverOne(TransactionRecord rec)
        {
            if (rec.IsSale && (rec.State == TransactionState.PayPending || rec.State == TransactionState.OrderCreated))
            {
                Processing();
                Verdict v = PollPayment(rec, Mono() + _config.CpmBudgetMs, false, false, 0);
                Conclude(rec, v, true, EngineCodes.Unresolved);
                return;
            }

            if (rec.IsSale && rec.State == TransactionState.CancelPending)
            {
                CancelAndConclude(rec, rec.CancelReason, CodeFor(rec.CancelReason));
                return;
            }

            if (rec.Kind == TransactionKind.Refund && rec.State == TransactionState.RefundPending)
            {
                Processing();
                RunRefund(rec, false);
                return;
            }

            if (rec.Kind == TransactionKind.Void && rec.State == TransactionState.VoidPending)
            {
                RunVoid(rec);
                return;
            }

            Finish(rec, FinalStatus.NeedsReview, EngineCodes.InternalError, 0);
        }

        private static string CodeFor(CancelReason reason)
        {
            switch (reason)
            {
                case CancelReason.Aborted:
                    return EngineCodes.Aborted;
                case CancelReason.Timeout:
                    return EngineCodes.Timeout;
                case CancelReason.CannotDisplay:
                    return EngineCodes.CodeTooLong;
                default:
                    return EngineCodes.Unresolved;
            }
        }
    }
}
