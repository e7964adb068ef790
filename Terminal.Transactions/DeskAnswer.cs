namespace Terminal.Transactions
{
    /// <summary>The desk's answer to a front end's request that starts or stops a transaction.</summary>
    public enum DeskAnswer
    {
        /// <summary>Taken on; progress and the result follow to the subscribers.</summary>
        Accepted = 0,

        /// <summary>Another transaction is running (or the terminal is starting or recovering).</summary>
        Busy,

        /// <summary>Abort with no sale to abort.</summary>
        NoSale,

        /// <summary>Refund or void of a sale the journal does not hold.</summary>
        NotFound,

        /// <summary>Cannot be done now or here; the detail says why.</summary>
        Refused,
    }
}
