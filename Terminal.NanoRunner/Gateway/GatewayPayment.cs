namespace Terminal.NanoRunner.Gateway
{
    /// <summary>A payment as Antom holds it, behind the in-memory gateway.</summary>
    public sealed class GatewayPayment
    {
        public const string Processing = "PROCESSING";
        public const string Success = "SUCCESS";
        public const string Cancelled = "CANCELLED";

        public string RequestId;
        public string PaymentId;
        public long Amount;
        public string Currency;
        public string Code;
        public bool OrderCode;
        public string Status;
        public long CreatedEpochMs;
        public long ExpiresEpochMs;

        /// <summary>Inquiries still answered PROCESSING before the customer has paid.</summary>
        public int InquiriesBeforePaid;

        public int Pays;
        public int Inquiries;
        public int Cancels;
        public long Refunded;
    }
}
