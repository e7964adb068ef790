using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>Outcomes the terminal had for review and the gateway resolved (docs/fleet-link.md, "Resolutions").</summary>
    public sealed partial class PaymentEngine
    {
        /// <summary>
        /// Records the final status the gateway found for a transaction this terminal ended as NeedsReview: the sale
        /// with paymentRequestId <paramref name="requestId"/> (<see cref="TransactionKind.SaleOrderCode"/> or
        /// <see cref="TransactionKind.SalePaymentCode"/>), the refund with that refundRequestId, or the newest void of
        /// the sale with that paymentRequestId. Only a NeedsReview record changes, and only to Success, Failed or
        /// Cancelled, in one journal commit (a resolved void marks its sale voided, as a confirmed void does; a
        /// resolved refund adds to the sale's refunded amount). Returns the record's new result, or null when there
        /// is nothing to change (unknown id, already final, a status that is not final) or the commit failed (the
        /// record then stays for review, and the next heartbeat reports it again). Worker thread only.
        /// </summary>
        public PaymentResult Resolve(TransactionKind kind, string requestId, FinalStatus status, string resultCode)
        {
            if (!_journalUsable || requestId == null || !_lookup.SetAscii(requestId) || _lookup.IsEmpty)
            {
                return null;
            }

            if (status != FinalStatus.Success && status != FinalStatus.Failed && status != FinalStatus.Cancelled)
            {
                return null;
            }

            TransactionRecord rec = FindForReview(kind);
            if (rec == null)
            {
                return null;
            }

            TransactionRecord sale = kind == TransactionKind.Refund || kind == TransactionKind.Void ? _journal.FindSaleByRequestId(rec.TargetRequestId) : null;
            rec.Status = status;
            rec.Flags |= TransactionRecord.FlagResolvedByGateway;
            if (resultCode == null || !rec.ResultCode.SetAscii(resultCode))
            {
                rec.ResultCode.SetAscii(status == FinalStatus.Success ? EngineCodes.GatewayConfirmed : EngineCodes.GatewayFailed);
            }

            if (status == FinalStatus.Success && sale != null && kind == TransactionKind.Refund)
            {
                sale.RefundedMinor += rec.AmountMinor;
            }

            if (status == FinalStatus.Success && sale != null && kind == TransactionKind.Void)
            {
                sale.Flags |= TransactionRecord.FlagVoided;
                if (sale.Status == FinalStatus.NeedsReview)
                {
                    sale.Status = FinalStatus.Cancelled;
                }
            }

            if (!_journal.Commit())
            {
                _journal.Load();
                Log(Core.Ports.LogLevel.Error, "engine: resolution not journaled; the transaction stays for review");
                return null;
            }

            Log(Core.Ports.LogLevel.Info, "engine: transaction " + rec.Number + " resolved by the gateway: " + StatusName(status) + " " + rec.ResultCode.ToString());
            return PaymentResult.From(rec, ReasonOf(rec));
        }

        /// <summary>The final NeedsReview record of this kind whose id is in the lookup field, or null.</summary>
        private TransactionRecord FindForReview(TransactionKind kind)
        {
            for (int i = _journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = _journal.Get(i);
                if (!r.IsFinal || r.Status != FinalStatus.NeedsReview)
                {
                    continue;
                }

                bool match = kind == TransactionKind.Void
                    ? r.Kind == TransactionKind.Void && r.TargetRequestId.Equals(_lookup)
                    : kind == TransactionKind.Refund
                        ? r.Kind == TransactionKind.Refund && r.RequestId.Equals(_lookup)
                        : r.IsSale && r.RequestId.Equals(_lookup);
                if (match)
                {
                    return r;
                }
            }

            return null;
        }
    }
}
