namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// A final transaction result as the RESULT event and the LAST reply carry it. The app fills one from
    /// its journal; the host link only formats it.
    /// </summary>
    public sealed class HostLinkResult
    {
        /// <summary>Sale, refund or void.</summary>
        public HostLinkKind Kind { get; set; }

        /// <summary>The merchant reference of the sale (as given in SALE).</summary>
        public string Reference { get; set; }

        /// <summary>The final status.</summary>
        public HostLinkOutcome Outcome { get; set; }

        /// <summary>Amount in minor units.</summary>
        public long AmountMinor { get; set; }

        /// <summary>ISO 4217 currency.</summary>
        public string Currency { get; set; }

        /// <summary>Antom's paymentId (or refundId); null when none was assigned.</summary>
        public string PaymentId { get; set; }

        /// <summary>A reason code, e.g. Antom's resultCode (<c>USER_BALANCE_NOT_ENOUGH</c>); null when none.</summary>
        public string ReasonCode { get; set; }

        /// <summary>A short sentence for people; null when none.</summary>
        public string Message { get; set; }

        /// <summary>The wire word of <see cref="Outcome"/>.</summary>
        public static string OutcomeWord(HostLinkOutcome outcome)
        {
            switch (outcome)
            {
                case HostLinkOutcome.Success: return "SUCCESS";
                case HostLinkOutcome.Fail: return "FAIL";
                case HostLinkOutcome.Cancelled: return "CANCELLED";
                default: return "NEEDS_REVIEW";
            }
        }

        /// <summary>The wire word of <see cref="Kind"/>.</summary>
        public static string KindWord(HostLinkKind kind)
        {
            switch (kind)
            {
                case HostLinkKind.Sale: return "SALE";
                case HostLinkKind.Refund: return "REFUND";
                default: return "VOID";
            }
        }
    }
}
