namespace Terminal.Payments.Engine
{
    /// <summary>What a phase of a flow (submit, poll, create order) concluded; internal to the engine.</summary>
    internal enum Verdict
    {
        /// <summary>Submitted but the outcome is open: poll.</summary>
        Pending = 0,

        /// <summary>A verified answer said paid (or refunded).</summary>
        Paid = 1,

        /// <summary>A verified answer said failed; the code is in the engine's scratch code.</summary>
        Failed = 2,

        /// <summary>A verified answer said cancelled/closed.</summary>
        Closed = 3,

        /// <summary>The budget or the order code's lifetime ran out.</summary>
        TimedOut = 4,

        /// <summary>The cashier aborted.</summary>
        Aborted = 5,

        /// <summary>The inquiry itself failed with a final code.</summary>
        InquiryFailed = 6,

        /// <summary>No usable answer to the request (order not created, code missing).</summary>
        Unresolved = 7,

        /// <summary>The order code does not fit the display buffer.</summary>
        CannotDisplay = 8,

        /// <summary>The customer offered a payment code while the order was open.</summary>
        CodeOffered = 9,
    }

    /// <summary>How a cancel loop ended.</summary>
    internal enum CancelOutcome
    {
        /// <summary>Cancelled, or nothing existed to cancel.</summary>
        Cancelled = 0,

        /// <summary>A verified final refusal; the code is in the engine's scratch code.</summary>
        Refused = 1,

        /// <summary>No confirmation within the cancel schedule.</summary>
        Unconfirmed = 2,
    }
}
