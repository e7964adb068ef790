namespace Terminal.Payments.Engine
{
    /// <summary>
    /// What the engine reports while it works; the transaction desk's worker receives it and passes it on to the
    /// screens and front ends. Called on the engine's worker thread, in order; implementations return quickly and never call back into the engine
    /// (except <see cref="PaymentEngine.RequestAbort"/>). The engine never draws or prints itself.
    /// </summary>
    public interface IPaymentEvents
    {
        /// <summary>Talking to the payment service (creating an order, submitting a code, refunding...).</summary>
        void OnProcessing();

        /// <summary>
        /// Show the order code as a QR: <c>codeValue[offset .. offset+count)</c> (UTF-8, usually a URL), for the
        /// amount, valid for about <paramref name="expiresInMs"/>. The bytes are valid only during the call.
        /// </summary>
        void OnShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs);

        /// <summary>The QR is shown; waiting for the customer to pay.</summary>
        void OnWaitingForCustomer();

        /// <summary>Closing the order / cancelling the payment (timeout, abort, void).</summary>
        void OnCancelling();

        /// <summary>A transaction ended: Success, Failed or Cancelled.</summary>
        void OnResult(PaymentResult result);

        /// <summary>A transaction ended without a confirmed outcome: a person must check it.</summary>
        void OnNeedsReview(PaymentResult result);
    }
}
