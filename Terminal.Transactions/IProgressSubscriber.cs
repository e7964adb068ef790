namespace Terminal.Transactions
{
    /// <summary>
    /// Told of a transaction's steps before its result: the screens and the front ends that report progress.
    /// <paramref name="reference"/> arguments name the register's reference the step belongs to, or null during
    /// boot recovery. Called in the order of subscription on the thread that makes the step (main loop: accepted,
    /// scan steps; worker: the engine's steps); must return quickly and never call back into the desk.
    /// </summary>
    public interface IProgressSubscriber
    {
        /// <summary>A front end's request was accepted (main loop, before its answer is sent).</summary>
        void OnAccepted(TransactionJob job);

        /// <summary>A customer-presented sale waits for the code, or an order code waits to be paid.</summary>
        void OnWaitingForCustomer(TransactionJob job, string reference);

        /// <summary>The scanner read something that is not a payment code (a web link, text, a partial read); scanning goes on.</summary>
        void OnCodeRefused(TransactionJob job, string problem);

        /// <summary>A valid payment code was read; the sale goes to the engine.</summary>
        void OnCodeRead(TransactionJob job);

        /// <summary>Talking to the payment service (creating an order, submitting a code, refunding, recovering...).</summary>
        void OnProcessing(TransactionJob job, string reference);

        /// <summary>
        /// Show the order code: <c>codeValue[offset .. offset+count)</c>, valid for about <paramref name="expiresInMs"/>.
        /// The bytes are valid only during the call.
        /// </summary>
        void OnShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs);

        /// <summary>Closing the order or cancelling the payment.</summary>
        void OnCancelling(TransactionJob job);
    }
}
