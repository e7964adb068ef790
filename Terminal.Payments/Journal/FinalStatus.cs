namespace Terminal.Payments.Journal
{
    /// <summary>How a transaction ended.</summary>
    public enum FinalStatus
    {
        None = 0,

        /// <summary>A verified response said so: paid / refunded / voided.</summary>
        Success = 1,

        /// <summary>A verified response said it failed (a new attempt needs a new request id).</summary>
        Failed = 2,

        /// <summary>Closed or cancelled: no money moved (or it was returned by the cancel).</summary>
        Cancelled = 3,

        /// <summary>The outcome could not be confirmed (a cancel that never confirmed): a person must check.</summary>
        NeedsReview = 4,
    }
}
