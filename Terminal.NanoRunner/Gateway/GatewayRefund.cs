namespace Terminal.NanoRunner.Gateway
{
    /// <summary>A refund as Antom holds it, behind the in-memory gateway.</summary>
    public sealed class GatewayRefund
    {
        public string RefundRequestId;
        public string RefundId;
        public string PaymentId;
        public long Amount;
        public string Currency;
        public string Status;

        /// <summary>Refund inquiries still answered PROCESSING before the refund completes.</summary>
        public int InquiriesBeforeDone;

        public int Submits;
        public int Inquiries;
    }
}
