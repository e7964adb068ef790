namespace Terminal.Payments.Antom
{
    /// <summary>What the engine does with an Antom result (docs/antom-protocol.md section 4).</summary>
    public enum ResultAction
    {
        /// <summary>Not in the table, or a status/code pair that makes no sense: treat as unknown (inquire).</summary>
        Unknown = 0,

        /// <summary>The call did what it was asked (pay: paid, or order created; cancel: cancelled; ...).</summary>
        FinalSuccess = 1,

        /// <summary>Final failure for this request id, with a human reason for the screen.</summary>
        FinalFail = 2,

        /// <summary>Unknown outcome: repeat with the SAME request id, or inquire.</summary>
        RetrySameId = 3,

        /// <summary>In process: poll the inquiry API.</summary>
        Poll = 4,

        /// <summary>Final for this request id; a new attempt needs a new id (e.g. the customer refreshes the code).</summary>
        NeedsNewId = 5,

        /// <summary>Final; the terminal, gateway or contract configuration must be fixed.</summary>
        ConfigurationError = 6,

        /// <summary>Throttled: retry with the same id after backing off.</summary>
        BackOff = 7,
    }
}
