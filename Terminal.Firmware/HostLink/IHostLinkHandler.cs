namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// What the host link needs from the rest of the terminal; <see cref="HostLinkFrontEnd"/> implements it over
    /// the transaction desk (and a terminal that could not start, over its failure). Every method is called on
    /// the host-link thread and must return quickly: start the work (queue it on the desk) and report progress
    /// through the host link's Send* methods. <paramref name="detail"/> outputs are optional words for the ERR
    /// text (null for none).
    /// </summary>
    public interface IHostLinkHandler
    {
        /// <summary>
        /// Starts a sale. The host link has already refused a second SALE while one it started is open; the
        /// app still answers <see cref="HostLinkAnswer.Busy"/> when it is busy for another reason (a refund,
        /// recovery after a reboot, a sale from the keypad).
        /// </summary>
        HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail);

        /// <summary>Aborts the sale in progress; its RESULT (CANCELLED, or SUCCESS if it was already paid) follows.</summary>
        HostLinkAnswer Abort(out string detail);

        /// <summary>Refunds a payment named by exactly one of <paramref name="reference"/> or <paramref name="paymentId"/>.</summary>
        HostLinkAnswer Refund(string reference, string paymentId, long amountMinor, out string detail);

        /// <summary>Voids (cancels) a payment named by exactly one of <paramref name="reference"/> or <paramref name="paymentId"/>.</summary>
        HostLinkAnswer Void(string reference, string paymentId, out string detail);

        /// <summary>
        /// One line on what the terminal is doing: a state word first (<c>IDLE</c>, <c>SALE</c>, <c>REFUND</c>,
        /// <c>RECOVERING</c>, <c>ERROR</c>...), then details, e.g. <c>SALE A-1001 WAITING_FOR_CUSTOMER</c>.
        /// </summary>
        string Status();

        /// <summary>The final result of the last transaction (kept in the journal across reboots), or null if none.</summary>
        HostLinkResult Last();

        /// <summary>Diagnostic lines (versions, network, scanner status, journal...), each sent as an INFO line.</summary>
        string[] Diagnostics();

        /// <summary>
        /// Runs the self-test (only asked when idle), each check's line through <paramref name="info"/>, and
        /// counts the checks that passed and failed.
        /// </summary>
        void SelfTest(HostLinkInfoWriter info, out int passed, out int failed);

        /// <summary>True while any transaction runs; SELFTEST is refused then.</summary>
        bool IsBusy { get; }
    }
}
