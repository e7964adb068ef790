namespace Terminal.Payments.Antom
{
    /// <summary>
    /// paymentStatus of inquiryPayment and refundStatus of inquiryRefund (docs/antom-protocol.md 3.3, 3.6), compared
    /// case-insensitively (one Antom page prints "Success"). Anything else is <see cref="Unrecognized"/>, which the
    /// engine treats as unknown, never as success.
    /// </summary>
    public enum RemoteStatus
    {
        /// <summary>The field was absent or null.</summary>
        None = 0,
        Success = 1,
        Fail = 2,
        Processing = 3,
        Cancelled = 4,
        Pending = 5,
        Unrecognized = 6,
    }
}
