namespace Terminal.Transactions
{
    /// <summary>
    /// Told when a transaction the terminal ended as NeedsReview got its final status from the gateway
    /// (docs/fleet-link.md, "Resolutions"): the host link announces it, the screens show it once. Called on the
    /// worker thread, in the order of subscription; must return quickly.
    /// </summary>
    public interface IResolutionSubscriber
    {
        /// <summary><paramref name="resolved"/> is the transaction as the journal now holds it (its kind, reference, final status).</summary>
        void OnResolved(DeskResult resolved);
    }
}
