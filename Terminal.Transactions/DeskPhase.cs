namespace Terminal.Transactions
{
    /// <summary>
    /// What the transaction desk is doing; decides which requests are taken and which are BUSY. Only
    /// <see cref="TransactionDesk"/> changes it.
    /// </summary>
    public enum DeskPhase
    {
        /// <summary>Before <see cref="TransactionDesk.Start"/>.</summary>
        Booting = 0,

        /// <summary>Finishing transactions a power cut or crash left open; no new sale until done.</summary>
        Recovering = 1,

        /// <summary>Ready for a sale, refund or void.</summary>
        Idle = 2,

        /// <summary>A customer-presented sale waits for the cashier to scan the customer's payment code.</summary>
        Scanning = 3,

        /// <summary>The worker thread runs a sale, refund or void with the payment service.</summary>
        Running = 4,

        /// <summary>After <see cref="TransactionDesk.Stop"/>.</summary>
        Stopped = 5,
    }
}
