namespace Terminal.Payments.Journal
{
    /// <summary>Why the engine decided to cancel (close) a payment; journaled with CancelPending.</summary>
    public enum CancelReason
    {
        None = 0,

        /// <summary>Polling budget spent or order code expired without a final status.</summary>
        Timeout = 1,

        /// <summary>The cashier aborted.</summary>
        Aborted = 2,

        /// <summary>The order could not be created or confirmed (pay never answered).</summary>
        Unresolved = 3,

        /// <summary>The inquiry itself failed with a final code.</summary>
        InquiryFailed = 4,

        /// <summary>Found unfinished after a restart and not resolved by inquiring.</summary>
        Recovery = 5,

        /// <summary>The order code could not be shown (too long for the display buffer).</summary>
        CannotDisplay = 6,

        /// <summary>The customer offered a payment code instead: the order is closed before the code is charged.</summary>
        ClosedForCode = 7,
    }
}
