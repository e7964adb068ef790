namespace Terminal.Firmware.Screens
{
    /// <summary>How a payment or refund ended, as far as the terminal knows.</summary>
    public enum ResultKind
    {
        Success = 0,
        Declined = 1,
        Cancelled = 2,

        /// <summary>No final status (timeout, cancel not confirmed): someone must check before handing over goods.</summary>
        NeedsReview = 3,
    }
}
