using Terminal.Payments.Engine;

namespace Terminal.Transactions
{
    /// <summary>
    /// A final result as the desk publishes it: the engine's result, and the reference, amount and currency of the
    /// job it ends where the result itself carries none (a request refused before it was journaled). Made once per
    /// result and shared by every subscriber; read only.
    /// </summary>
    public sealed class DeskResult
    {
        internal DeskResult(PaymentResult payment, bool needsReview, string reference, long amountMinor, string currency, int sequence)
        {
            Payment = payment;
            Sequence = sequence;
            NeedsReview = needsReview;
            Reference = IsEmpty(payment.Reference) ? reference : payment.Reference;
            AmountMinor = payment.AmountMinor > 0 ? payment.AmountMinor : amountMinor;
            Currency = IsEmpty(payment.Currency) ? currency : payment.Currency;
        }

        /// <summary>The engine's result (or the desk's own, for a sale that ended before the engine saw it).</summary>
        public PaymentResult Payment { get; private set; }

        /// <summary>
        /// The desk's count of results published since start-up, this one included (1, 2, ...); 0 for a result the
        /// desk did not publish (the journal's last at start-up, a resolution). See <see cref="TransactionDesk.ResultsPublished"/>.
        /// </summary>
        public int Sequence { get; private set; }

        /// <summary>The outcome could not be confirmed: a person must check it (announced as such before the result).</summary>
        public bool NeedsReview { get; private set; }

        /// <summary>The register's reference: the result's, else the job's.</summary>
        public string Reference { get; private set; }

        /// <summary>Minor units: the result's, else the job's.</summary>
        public long AmountMinor { get; private set; }

        /// <summary>ISO 4217: the result's, else the job's (the terminal's currency for a result of no job).</summary>
        public string Currency { get; private set; }

        private static bool IsEmpty(string s)
        {
            return s == null || s.Length == 0;
        }
    }
}
