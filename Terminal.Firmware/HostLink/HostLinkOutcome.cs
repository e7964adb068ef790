namespace Terminal.Firmware.HostLink
{
    /// <summary>The final status in a RESULT or LAST. There is no "unknown": a transaction is final only when one of these holds.</summary>
    public enum HostLinkOutcome
    {
        /// <summary>SUCCESS: paid, refunded or voided.</summary>
        Success = 0,

        /// <summary>FAIL: refused by the wallet or Antom; no money moved.</summary>
        Fail,

        /// <summary>CANCELLED: aborted or timed out and cancelled with Antom; no money moved.</summary>
        Cancelled,

        /// <summary>NEEDS_REVIEW: the outcome could not be confirmed (e.g. a cancel never confirmed); check it in the merchant portal.</summary>
        NeedsReview,
    }
}
