namespace Terminal.Transactions
{
    /// <summary>What one look at the scanner concluded for a customer-presented sale waiting for its code.</summary>
    internal enum ScanStep
    {
        /// <summary>Nothing new; keep waiting.</summary>
        Wait = 0,

        /// <summary>Trigger the scanner again (a GM65 in command mode reads for a few seconds per trigger).</summary>
        Trigger = 1,

        /// <summary>A valid payment code was read.</summary>
        CodeRead = 2,

        /// <summary>
        /// Something was read that is not a payment code, or was read for an earlier request; the problem says what.
        /// Trigger again at once.
        /// </summary>
        CodeRefused = 3,

        /// <summary>A read that stopped short (binary, partial, overlong); the next pass triggers again.</summary>
        ReadIncomplete = 4,

        /// <summary>The cashier aborted before a code was read.</summary>
        Aborted = 5,

        /// <summary>No code came in time.</summary>
        TimedOut = 6,
    }
}
