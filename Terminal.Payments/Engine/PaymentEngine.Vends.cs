using Terminal.Core.Ports;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>The automatic refund of a paid vend whose goods or credit were not delivered (docs/vending.md section 3).</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Returns what is left of the sale's payment. The refund record and the sale's <see cref="VendState.Refunding"/>
        /// are written in ONE commit, and the refund's final commit settles the vend (Refunded, or Review when the
        /// refund failed or stayed unconfirmed), so a power cut anywhere leads to exactly one refund request id:
        /// before the commit nothing was sent and the vend is still owed; after it, boot recovery continues the same
        /// refund. Null when nothing was left to refund (the vend is then settled as refunded).
        /// </summary>
        internal PaymentResult RefundVend(TransactionRecord sale)
        {
            ClearAbort();
            try
            {
                long amount = sale.AmountMinor - sale.RefundedMinor;
                if (sale.Status != FinalStatus.Success || sale.PaymentId.IsEmpty || sale.HasFlag(TransactionRecord.FlagVoided) || amount <= 0)
                {
                    sale.Vend = amount <= 0 || sale.HasFlag(TransactionRecord.FlagVoided) ? VendState.Refunded : VendState.Review;
                    CommitOrReload();
                    return null;
                }

                TransactionRecord rec = BeginRefund(sale, amount);
                sale.Vend = VendState.Refunding;
                if (!_journal.Commit())
                {
                    _journal.Load();
                    return Refuse(TransactionKind.Refund, EngineCodes.StorageError, EngineCodes.ReasonFor(EngineCodes.StorageError));
                }

                Log(LogLevel.Info, "engine: vend " + sale.Number + " not delivered; refunding " + amount);
                Processing();
                return RunRefund(rec, true);
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "engine: vend refund stopped by " + e.GetType().Name + ": " + e.Message);
                return PaymentResult.Refused(TransactionKind.Refund, EngineCodes.InternalError, EngineCodes.ReasonFor(EngineCodes.InternalError));
            }
        }

        /// <summary>Commits; after a failed commit the journal is reloaded, so memory holds the durable state again.</summary>
        internal bool CommitOrReload()
        {
            if (_journal.Commit())
            {
                return true;
            }

            _journal.Load();
            return false;
        }
    }
}
