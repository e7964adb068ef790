using Terminal.Payments.Journal;

namespace Terminal.Transactions
{
    /// <summary>
    /// One piece of work for the desk's worker, as a front end asked for it: created when the request is accepted
    /// and never changed after the worker took it (the payment code is filled in before a customer-presented sale
    /// is released). The desk holds the latest job; the worker holds the one it runs, which may already be older
    /// when the next request has been accepted.
    /// </summary>
    public sealed class TransactionJob
    {
        internal TransactionJob(JobKind kind, TransactionKind mode, long amountMinor, string currency, string reference)
            : this(kind, mode, amountMinor, currency, reference, false)
        {
        }

        internal TransactionJob(JobKind kind, TransactionKind mode, long amountMinor, string currency, string reference, bool eitherWay)
        {
            Kind = kind;
            Mode = mode;
            AmountMinor = amountMinor;
            Currency = currency;
            Reference = reference;
            EitherWay = eitherWay;
        }

        public JobKind Kind { get; private set; }

        /// <summary>Sales: order code or payment code; refunds and voids: <see cref="TransactionKind.Refund"/> or <see cref="TransactionKind.Void"/>.</summary>
        public TransactionKind Mode { get; private set; }

        /// <summary>Sale or refund amount in minor units (0 for a void and for recovery).</summary>
        public long AmountMinor { get; private set; }

        /// <summary>ISO 4217 code; null for recovery.</summary>
        public string Currency { get; private set; }

        /// <summary>The register's reference of the sale (refunds and voids: of the sale they act on).</summary>
        public string Reference { get; private set; }

        /// <summary>A vending sale: once paid, the desk's vend channel delivers the goods or credit before the desk is free.</summary>
        public bool IsVend { get; internal set; }

        /// <summary>Vends on an MDB machine: the item number the machine asked for.</summary>
        public int VendItem { get; internal set; }

        /// <summary>Pulse vends: the credit in pulses.</summary>
        public int CreditUnits { get; internal set; }

        /// <summary>The desk published this job's result (a vend's payment), so the worker does not publish it again.</summary>
        internal bool ResultPublished { get; set; }

        /// <summary>Customer-presented sales: the scanned payment code, once read and validated.</summary>
        public string PaymentCode { get; internal set; }

        /// <summary>
        /// A sale the customer pays either way: the order code is shown (Mode is the order code) while the scanner
        /// waits for the customer's payment code; whichever comes first wins.
        /// </summary>
        public bool EitherWay { get; private set; }

        /// <summary>Either-way sales: a valid payment code was read and handed to the engine (the order is being settled).</summary>
        public bool CodeOffered { get; internal set; }

        /// <summary>The transaction kind a result of this job carries.</summary>
        internal TransactionKind ResultKind
        {
            get { return Kind == JobKind.Refund ? TransactionKind.Refund : Kind == JobKind.Void ? TransactionKind.Void : Mode; }
        }

        /// <summary>The word STATUS and BUSY details use for it.</summary>
        internal string Word
        {
            get
            {
                switch (Kind)
                {
                    case JobKind.Refund:
                        return "REFUND";
                    case JobKind.Void:
                        return "VOID";
                    case JobKind.Recover:
                        return "RECOVERING";
                    default:
                        return IsVend ? "VEND" : "SALE";
                }
            }
        }
    }
}
