namespace Terminal.Transactions
{
    /// <summary>
    /// Told of every final result the desk reports: the screens, the host link, and whatever else reacts to a
    /// result (a printer, a buzzer, a heartbeat). Called on the thread that reports it (the worker, or the main
    /// loop for a sale that ended at the scanner), in the order of subscription, after the desk is free for the
    /// next request. Must return quickly and never block the payment; an exception is logged and the other
    /// subscribers still hear the result.
    /// </summary>
    public interface IResultSubscriber
    {
        void OnResult(DeskResult result);
    }
}
