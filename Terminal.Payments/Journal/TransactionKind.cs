namespace Terminal.Payments.Journal
{
    /// <summary>What a journaled transaction does.</summary>
    public enum TransactionKind
    {
        None = 0,

        /// <summary>Merchant-presented mode: the terminal shows an order code (inStorePaymentScenario OrderCode).</summary>
        SaleOrderCode = 1,

        /// <summary>Customer-presented mode: the terminal sends the scanned payment code (PaymentCode).</summary>
        SalePaymentCode = 2,

        /// <summary>Refund of a paid sale (refund, then inquiryRefund until final).</summary>
        Refund = 3,

        /// <summary>Cancel of a paid or unresolved sale (cancel API).</summary>
        Void = 4,
    }
}
