namespace Terminal.Transactions
{
    /// <summary>What a <see cref="TransactionJob"/> asks the worker to do.</summary>
    public enum JobKind
    {
        None = 0,

        /// <summary>Boot recovery: finish every transaction the journal holds open.</summary>
        Recover = 1,

        /// <summary>A sale, order code (MPM) or payment code (CPM).</summary>
        Sale = 2,

        /// <summary>A refund of a journaled sale.</summary>
        Refund = 3,

        /// <summary>A void (cancel) of a journaled sale.</summary>
        Void = 4,
    }
}
