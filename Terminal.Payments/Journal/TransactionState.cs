namespace Terminal.Payments.Journal
{
    /// <summary>
    /// Journaled position of a transaction. Each state is written BEFORE the action it allows, so recovery from
    /// any state must assume that action may have happened (once, several times, or not at all).
    /// </summary>
    public enum TransactionState
    {
        None = 0,

        /// <summary>Request id, amount and code are fixed; the pay request may have been sent.</summary>
        PayPending = 1,

        /// <summary>Order code created (paymentId known); the customer may be paying.</summary>
        OrderCreated = 2,

        /// <summary>Cancel decided; cancel may have been sent. Only a final state follows.</summary>
        CancelPending = 3,

        /// <summary>Refund request id and amount fixed; the refund may have been sent.</summary>
        RefundPending = 4,

        /// <summary>Void (cancel of a sale) decided; cancel may have been sent.</summary>
        VoidPending = 5,

        /// <summary>Finished; <see cref="TransactionRecord.Status"/> says how.</summary>
        Final = 9,
    }
}
