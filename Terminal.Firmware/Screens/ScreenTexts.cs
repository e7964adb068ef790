namespace Terminal.Firmware.Screens
{
    /// <summary>The words both renderings show for a result, so the OLED and the TFT say the same thing.</summary>
    public static class ScreenTexts
    {
        /// <summary>PAID / DECLINED / CANCELLED / UNKNOWN, or for refunds REFUNDED / FAILED / CANCELLED / UNKNOWN.</summary>
        public static string Headline(ScreenKind kind, ResultKind result)
        {
            bool refund = kind == ScreenKind.RefundResult;
            switch (result)
            {
                case ResultKind.Success:
                    return refund ? "REFUNDED" : "PAID";
                case ResultKind.Declined:
                    return refund ? "FAILED" : "DECLINED";
                case ResultKind.Cancelled:
                    return "CANCELLED";
                default:
                    return "UNKNOWN";
            }
        }

        /// <summary>The line shown when the result came without a reason; null for a success.</summary>
        public static string FallbackReason(ScreenKind kind, ResultKind result)
        {
            bool refund = kind == ScreenKind.RefundResult;
            switch (result)
            {
                case ResultKind.Success:
                    return null;
                case ResultKind.Declined:
                    return refund ? "The refund was refused." : "The payment was declined.";
                case ResultKind.Cancelled:
                    return refund ? "The refund was cancelled." : "The payment was cancelled.";
                default:
                    return refund ? "Not confirmed yet. Check status later." : "Check status before handing over goods.";
            }
        }

        /// <summary>The title of a result screen.</summary>
        public static string ResultTitle(ScreenKind kind)
        {
            return kind == ScreenKind.RefundResult ? "Refund" : "Payment";
        }

        public const string ErrorFallbackReason = "Unknown error.";

        public const string ErrorFallbackAction = "Restart the terminal. If it persists, call support.";

        public const string QrUnavailableFallback = "QR too long - use customer scan";
    }
}
