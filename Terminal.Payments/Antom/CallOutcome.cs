namespace Terminal.Payments.Antom
{
    /// <summary>How one Antom call ended, before the result code is looked at.</summary>
    public enum CallOutcome
    {
        /// <summary>HTTP 200 with a verified signature and a well-formed body: see <see cref="AntomClient.Response"/>.</summary>
        Answered = 0,

        /// <summary>The request certainly did not reach the server (no connection, timeout before sending).</summary>
        NotSent = 1,

        /// <summary>
        /// The server may have acted but we have no trustworthy answer: timeout after sending, broken or oversized
        /// response, HTTP 5xx or other non-200, missing or wrong signature, malformed body, an answer about another
        /// request. Never a success.
        /// </summary>
        Unknown = 2,

        /// <summary>HTTP 429: back off, then repeat with the same id.</summary>
        Throttled = 3,
    }
}
