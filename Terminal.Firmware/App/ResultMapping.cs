using Terminal.Firmware.HostLink;
using Terminal.Firmware.Journal;
using Terminal.Firmware.Money;
using Terminal.Firmware.Payments;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.App
{
    /// <summary>How an engine result reads on the host link and on the screen (edge code: allocates strings).</summary>
    public static class ResultMapping
    {
        /// <summary>
        /// The RESULT/LAST form of a result. <paramref name="reference"/>, <paramref name="amountMinor"/> and
        /// <paramref name="currency"/> fill in what a refused result (never journaled) does not carry.
        /// </summary>
        public static HostLinkResult ToHostLink(PaymentResult result, string reference, long amountMinor, string currency)
        {
            HostLinkResult h = new HostLinkResult();
            h.Kind = KindOf(result.Kind);
            h.Reference = IsEmpty(result.Reference) ? reference : result.Reference;
            h.Outcome = OutcomeOf(result.Status);
            h.AmountMinor = result.AmountMinor > 0 ? result.AmountMinor : amountMinor;
            h.Currency = IsEmpty(result.Currency) ? currency : result.Currency;
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

        /// <summary>The headline a result screen shows; no status is never shown as success.</summary>
        public static ResultKind ScreenKindOf(FinalStatus status)
        {
            switch (status)
            {
                case FinalStatus.Success:
                    return ResultKind.Success;
                case FinalStatus.Failed:
                    return ResultKind.Declined;
                case FinalStatus.Cancelled:
                    return ResultKind.Cancelled;
                default:
                    return ResultKind.NeedsReview;
            }
        }

        /// <summary>"12.50" for (1250, "USD"): the figures the screens show beside the currency; never throws.</summary>
        public static string AmountText(long minor, string currency)
        {
            if (minor <= 0)
            {
                return null;
            }

            if (currency == null || Currency.Exponent(currency) < 0)
            {
                return minor.ToString();
            }

            string text = Amount.Format(minor, currency);
            int space = text.IndexOf(' ');
            return space > 0 ? text.Substring(0, space) : text;
        }

        /// <summary>"12.50 USD"; never throws.</summary>
        public static string AmountWithCurrency(long minor, string currency)
        {
            if (currency == null || Currency.Exponent(currency) < 0)
            {
                return minor.ToString() + (currency == null ? string.Empty : " " + currency);
            }

            return Amount.Format(minor, currency);
        }

        private static bool IsEmpty(string s)
        {
            return s == null || s.Length == 0;
        }
    }
}
