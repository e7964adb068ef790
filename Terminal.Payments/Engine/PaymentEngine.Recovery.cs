using Terminal.Core.Ports;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>Boot recovery: every unfinished journaled transaction is inquired and finished.</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Finishes every transaction the journal holds as unfinished (after a power cut or crash) and reports each
        /// through the events. A sale is inquired with its original id (never paid again), then closed (cancelled) if
        /// still open: an order code whose order was created until its journaled expiry (at once if already
        /// past), any other sale for up to the CPM budget. A cancel, refund or void continues where it was. Returns
        /// how many were finished. Not abortable.
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

            ReportUnreported();
            return finished;
        }

        /// <summary>
        /// Reports again every final result the journal holds as not reported: the power failed after its final commit
        /// and before its result was out (a register may then hear a RESULT it had already heard: same reference,
        /// same outcome). Oldest first; each is then journaled as reported.
        /// </summary>
        private void ReportUnreported()
        {
            for (int i = 0; i < _journal.Count; i++)
            {
                TransactionRecord rec = _journal.Get(i);
                if (rec.IsFinal && rec.HasFlag(TransactionRecord.FlagUnreported))
                {
                    Log(LogLevel.Warning, "engine: transaction " + rec.Number + " ended before the power failed; reporting it again");
                    Report(rec, PaymentResult.From(rec, ReasonOf(rec)));
                }
            }
        }

        private void RecoverOne(TransactionRecord rec)
        {
            if (rec.Kind == TransactionKind.SaleOrderCode && rec.State == TransactionState.OrderCreated)
            {
                // The order exists and its QR may still be paid: wait for it as the live sale would, then close it.
                Processing();
                Verdict v = PollPayment(rec, Mono() + OrderTimeLeft(rec), false, false, 0);
                Conclude(rec, v, true, EngineCodes.Expired);
                return;
            }

            if (rec.IsSale && (rec.State == TransactionState.PayPending || rec.State == TransactionState.OrderCreated))
            {
                Processing();
                Verdict v = PollPayment(rec, Mono() + _config.Engine.CpmBudgetMs, false, false, 0);
                Conclude(rec, v, true, EngineCodes.Unresolved);
                return;
            }

            if (rec.IsSale && rec.State == TransactionState.CancelPending)
            {
                CancelAndConclude(rec, rec.CancelReason, CodeFor(rec));
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

        /// <summary>
        /// Time left until the journaled order expiry on the device's wall clock: 0 when already past; never more
        /// than the order's whole lifetime (a wall clock set back across the reboot); the CPM budget when a journal
        /// from an older firmware did not record the expiry.
        /// </summary>
        private long OrderTimeLeft(TransactionRecord rec)
        {
            if (rec.OrderExpiresEpochMs <= 0)
            {
                return _config.Engine.CpmBudgetMs;
            }

            long left = rec.OrderExpiresEpochMs - _clock.UtcNowMs();
            long lifetime = rec.OrderExpiresEpochMs - rec.CreatedEpochMs;
            if (lifetime > 0 && left > lifetime)
            {
                left = lifetime;
            }

            if (left > MaxOrderWaitMs)
            {
                left = MaxOrderWaitMs;
            }

            return left > 0 ? left : 0;
        }

        /// <summary>The code a recovered cancel ends with: the one the interrupted live flow would have reported.</summary>
        private static string CodeFor(TransactionRecord rec)
        {
            switch (rec.CancelReason)
            {
                case CancelReason.Aborted:
                    return EngineCodes.Aborted;
                case CancelReason.Timeout:
                    return rec.Kind == TransactionKind.SaleOrderCode ? EngineCodes.Expired : EngineCodes.Timeout;
                case CancelReason.CannotDisplay:
                    return EngineCodes.CodeTooLong;
                case CancelReason.ClosedForCode:
                    return EngineCodes.ClosedForCode;
                default:
                    return EngineCodes.Unresolved;
            }
        }
    }
}
