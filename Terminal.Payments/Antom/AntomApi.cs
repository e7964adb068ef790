namespace Terminal.Payments.Antom
{
    /// <summary>The Antom APIs the terminal calls (docs/antom-protocol.md section 1, all POST).</summary>
    public enum AntomApi
    {
        Pay = 0,
        InquiryPayment = 1,
        Cancel = 2,
        Refund = 3,
        InquiryRefund = 4,
    }

    /// <summary>Request paths of <see cref="AntomApi"/>; the gateway speaks the same paths (docs/architecture.md section 3).</summary>
    public static class AntomPaths
    {
        public const string Pay = "/ams/api/v1/payments/pay";
        public const string InquiryPayment = "/ams/api/v1/payments/inquiryPayment";
        public const string Cancel = "/ams/api/v1/payments/cancel";
        public const string Refund = "/ams/api/v1/payments/refund";
        public const string InquiryRefund = "/ams/api/v1/payments/inquiryRefund";

        /// <summary>Longest path above, for buffer sizing.</summary>
        public const int MaxLength = 36;

        public static string For(AntomApi api)
        {
            switch (api)
            {
                case AntomApi.Pay:
                    return Pay;
                case AntomApi.InquiryPayment:
                    return InquiryPayment;
                case AntomApi.Cancel:
                    return Cancel;
                case AntomApi.Refund:
                    return Refund;
                default:
                    return InquiryRefund;
            }
        }
    }
}
