using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>
    /// The outcome of a sale, refund or void as the cashier and the register see it. Made of strings (an edge
    /// object, created once per result).
    /// </summary>
    public sealed class PaymentResult
    {
        public TransactionKind Kind { get; set; }

        public FinalStatus Status { get; set; }

        /// <summary>The Antom result code or an engine code (<see cref="EngineCodes"/>), e.g. "INVALID_PAYMENT_CODE".</summary>
        public string ResultCode { get; set; }

        /// <summary>Short human reason for the screen, e.g. "Invalid code: ask the customer to refresh the code".</summary>
        public string Reason { get; set; }

        /// <summary>Antom's paymentId of the sale (of the refunded/voided sale for refunds and voids).</summary>
        public string PaymentId { get; set; }

        /// <summary>paymentRequestId (sales) or refundRequestId (refunds); the sale's paymentRequestId for voids.</summary>
        public string RequestId { get; set; }

        /// <summary>The register's reference.</summary>
        public string Reference { get; set; }

        public long AmountMinor { get; set; }

        public string Currency { get; set; }

        /// <summary>Paid sales: the wallet that paid as Antom names it (pspName, e.g. ALIPAYCN); empty when not given.</summary>
        public string WalletName { get; set; }

        /// <summary>Sales: confirmed refunds so far.</summary>
        public long RefundedMinor { get; set; }

        /// <summary>Sales: voided after payment.</summary>
        public bool Voided { get; set; }

        /// <summary>A failed void: refund instead (CANCEL_WINDOW_EXCEED).</summary>
        public bool SuggestRefund { get; set; }

        /// <summary>The final code is a configuration problem (keys, contract, gateway).</summary>
        public bool ConfigurationError { get; set; }

        /// <summary>Journal number of the transaction (0 for a request refused before it was journaled).</summary>
        public long Number { get; set; }

        public long FinishedEpochMs { get; set; }

        /// <summary>Builds the result of a journaled transaction.</summary>
        public static PaymentResult From(TransactionRecord r, string reason)
        {
            PaymentResult result = new PaymentResult();
            result.Kind = r.Kind;
            result.Status = r.Status;
            result.ResultCode = r.ResultCode.ToString();
            result.Reason = reason;
            result.PaymentId = r.PaymentId.ToString();
            result.RequestId = r.Kind == TransactionKind.Void ? r.TargetRequestId.ToString() : r.RequestId.ToString();
            result.Reference = r.Reference.ToString();
            result.AmountMinor = r.AmountMinor;
            result.Currency = r.Currency.ToString();
            result.RefundedMinor = r.RefundedMinor;
            result.WalletName = r.WalletName.ToString();
            result.Voided = r.HasFlag(TransactionRecord.FlagVoided);
            result.SuggestRefund = r.HasFlag(TransactionRecord.FlagSuggestRefund);
            result.ConfigurationError = r.HasFlag(TransactionRecord.FlagConfigurationError);
            result.Number = r.Number;
            result.FinishedEpochMs = r.FinishedEpochMs;
            return result;
        }

        /// <summary>A request refused before anything was journaled or sent.</summary>
        public static PaymentResult Refused(TransactionKind kind, string code, string reason)
        {
            PaymentResult result = new PaymentResult();
            result.Kind = kind;
            result.Status = FinalStatus.Failed;
            result.ResultCode = code;
            result.Reason = reason;
            return result;
        }
    }
}
