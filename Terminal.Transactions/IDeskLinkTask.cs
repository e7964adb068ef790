namespace Terminal.Transactions
{
    /// <summary>
    /// Work the desk's worker does between transactions for the device link (heartbeat, remote settings, update
    /// downloads): the worker owns the gateway exchange, so this work takes its turn with the transactions and never
    /// runs during a sale's exchanges (docs/decisions/004, docs/fleet-link.md). It does not take the desk's job slot:
    /// the register is never told BUSY because of it; a request accepted while it runs waits until it returns.
    /// </summary>
    public interface IDeskLinkTask
    {
        /// <summary>Worker thread, the desk idle with nothing queued: whether there is work now. Cheap; allocates nothing.</summary>
        bool IsDue();

        /// <summary>
        /// Worker thread: does the work, bounded in time (its exchanges have deadlines). Exceptions are caught, logged
        /// and counted by the desk.
        /// </summary>
        void Run(DeskLink link);
    }
}
