using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Firmware.HostLink
{
    /// <summary>How a published result reads in RESULT and LAST (edge code: allocates the line's object).</summary>
    public static class HostLinkResultMapping
    {
        public static HostLinkResult From(DeskResult published)
        {
            PaymentResult result = published.Payment;
            HostLinkResult h = new HostLinkResult();
            h.Kind = KindOf(result.Kind);
            h.Reference = published.Reference;
            h.Outcome = OutcomeOf(result.Status);
            h.AmountMinor = published.AmountMinor;
            h.Currency = published.Currency;
            h.PaymentId = IsEmpty(result.PaymentId) ? null : result.PaymentId;
            h.ReasonCode = IsEmpty(result.ResultCode) ? null : result.ResultCode;
            h.Message = result.Reason;
            return h;
        }

        public static HostLinkKind KindOf(TransactionKind kind)
        {
            switch (kind)
            {
                case TransactionKind.Refund:
                    return HostLinkKind.Refund;
                case TransactionKind.Void:
                    return HostLinkKind.Void;
                default:
                    return HostLinkKind.Sale;
            }
        }

        /// <summary>FAIL for anything that is not one of the other three (a refused request has Failed).</summary>
        public static HostLinkOutcome OutcomeOf(FinalStatus status)
        {
            switch (status)
            {
                case FinalStatus.Success:
                    return HostLinkOutcome.Success;
                case FinalStatus.Cancelled:
                    return HostLinkOutcome.Cancelled;
                case FinalStatus.NeedsReview:
                    return HostLinkOutcome.NeedsReview;
                default:
                    return HostLinkOutcome.Fail;
            }
        }

        private static bool IsEmpty(string s)
        {
            return s == null || s.Length == 0;
        }
    }
}
