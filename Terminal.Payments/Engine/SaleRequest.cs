using Terminal.Payments.Journal;

namespace Terminal.Payments.Engine
{
    /// <summary>A sale the register asks for.</summary>
    public sealed class SaleRequest
    {
        /// <summary><see cref="TransactionKind.SaleOrderCode"/> (show a QR) or <see cref="TransactionKind.SalePaymentCode"/> (scanned code).</summary>
        public TransactionKind Mode { get; set; }

        /// <summary>Amount in minor units (USD 1.00 = 100), positive.</summary>
        public long AmountMinor { get; set; }

        /// <summary>ISO 4217 code; null for the terminal's configured currency.</summary>
        public string Currency { get; set; }

        /// <summary>
        /// The register's reference of this sale (printable ASCII, at most 64): sent as referenceOrderId and used
        /// to find the sale again. A reference names ONE sale: asking again for a reference that was paid returns
        /// that payment instead of charging twice. Empty: the paymentRequestId serves as reference.
        /// </summary>
        public string Reference { get; set; }

        /// <summary>The customer's scanned payment code (customer-presented mode only).</summary>
        public string PaymentCode { get; set; }

        /// <summary>
        /// A vending sale: once paid, the goods or credit are owed and journaled as such in the same commit as the
        /// SUCCESS (docs/vending.md section 3). Vends carry no register reference.
        /// </summary>
        public bool Vend { get; set; }

        /// <summary>Vends on an MDB machine: the item number the machine asked for (0..65535).</summary>
        public int VendItem { get; set; }

        /// <summary>Pulse vends: the credit in pulses (1..<see cref="Journal.TransactionRecord.MaxCreditUnits"/>); 0 for MDB.</summary>
        public int CreditUnits { get; set; }

        /// <summary>
        /// An order-code sale during which the customer may present a payment code instead
        /// (<see cref="PaymentEngine.OfferPaymentCode"/>): whichever way pays first wins, the other is closed.
        /// </summary>
        public bool AcceptsPaymentCode { get; set; }
    }
}
