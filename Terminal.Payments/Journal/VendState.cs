namespace Terminal.Payments.Journal
{
    /// <summary>
    /// Where the goods or credit of a vending sale stand (docs/vending.md section 3). Like
    /// <see cref="TransactionState"/>, each state is journaled BEFORE the action it allows: after a power cut the
    /// terminal must assume that action may have happened. <see cref="None"/> for every sale that is not a vend
    /// (and for every record of journal versions 1 to 3).
    /// </summary>
    public enum VendState
    {
        None = 0,

        /// <summary>A vend sale whose payment is not final yet.</summary>
        Pending = 1,

        /// <summary>Paid (written in the same commit as the SUCCESS): nothing delivered or approved yet.</summary>
        CreditDue = 2,

        /// <summary>Pulses: <see cref="TransactionRecord.CreditDone"/> pulses may be out (pulse N is journaled before it is sent).</summary>
        Delivering = 3,

        /// <summary>MDB: VEND APPROVED may have been sent; the machine's VEND SUCCESS or FAILURE is awaited.</summary>
        Approved = 4,

        /// <summary>Settled: every pulse sent, or the machine confirmed the vend.</summary>
        Vended = 5,

        /// <summary>The automatic refund's record exists (written in the same commit as the refund record).</summary>
        Refunding = 6,

        /// <summary>Settled: the payment was returned in full.</summary>
        Refunded = 7,

        /// <summary>Settled for the terminal: the outcome cannot be known (a person checks the machine and the payment).</summary>
        Review = 8,

        /// <summary>Settled: the payment did not succeed, so nothing is owed.</summary>
        Closed = 9,
    }
}
