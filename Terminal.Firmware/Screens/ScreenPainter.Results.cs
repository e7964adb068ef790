using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>Final screens: payment and refund results, errors. All wait for acknowledgement.</summary>
    public sealed partial class ScreenPainter
    {
        /// <summary>
        /// The outcome of a payment: PAID (on a lit band, visible from a distance), DECLINED, CANCELLED or
        /// UNKNOWN, with the amount and the reason. Replaces any pending final screen and stays until
        /// <see cref="Acknowledge"/>.
        /// </summary>
        public bool ShowResult(ResultKind kind, string amountText, string reason)
        {
            string headline;
            string fallbackReason;
            switch (kind)
            {
                case ResultKind.Success:
                    headline = "PAID";
                    fallbackReason = null;
                    break;
                case ResultKind.Declined:
                    headline = "DECLINED";
                    fallbackReason = "The payment was declined.";
                    break;
                case ResultKind.Cancelled:
                    headline = "CANCELLED";
                    fallbackReason = "The payment was cancelled.";
                    break;
                default:
                    headline = "UNKNOWN";
                    fallbackReason = "Check status before handing over goods.";
                    break;
            }

            return DrawOutcome(ScreenKind.Result, "Payment", headline, kind == ResultKind.Success, amountText, reason, fallbackReason);
        }

        /// <summary>A refund under way; <see cref="Tick"/> animates the spinner.</summary>
        public bool ShowRefundProgress(string amountText)
        {
            if (!Begin(ScreenKind.RefundProgress, false))
            {
                return false;
            }

            DrawTitle("Refund", null);
            _spinnerStep = 0;
            Spinner.Draw(_fb, SpinnerX, SpinnerY, _spinnerStep);
            DrawAmount(amountText, 0, 35, Width, TextAlign.Center);
            DrawCentered("Refund in progress", 55, 1);
            return true;
        }

        /// <summary>The outcome of a refund: REFUNDED, FAILED, CANCELLED or UNKNOWN; waits for acknowledgement.</summary>
        public bool ShowRefundResult(ResultKind kind, string amountText, string reason)
        {
            string headline;
            string fallbackReason;
            switch (kind)
            {
                case ResultKind.Success:
                    headline = "REFUNDED";
                    fallbackReason = null;
                    break;
                case ResultKind.Declined:
                    headline = "FAILED";
                    fallbackReason = "The refund was refused.";
                    break;
                case ResultKind.Cancelled:
                    headline = "CANCELLED";
                    fallbackReason = "The refund was cancelled.";
                    break;
                default:
                    headline = "UNKNOWN";
                    fallbackReason = "Not confirmed yet. Check status later.";
                    break;
            }

            return DrawOutcome(ScreenKind.RefundResult, "Refund", headline, kind == ResultKind.Success, amountText, reason, fallbackReason);
        }

        /// <summary>
        /// Something went wrong outside a payment result: a plain reason and what to do about it. Waits for
        /// acknowledgement; refused while another final screen is pending (it must not hide a result).
        /// </summary>
        public bool ShowError(string reason, string action)
        {
            if (!Begin(ScreenKind.Error, false))
            {
                return false;
            }

            RequiresAcknowledge = true;
            DrawTitle("Error", AcknowledgeHint);
            DrawWrapped(string.IsNullOrEmpty(reason) ? "Unknown error." : reason, Margin, 11, Width - 2 * Margin, 3, TextAlign.Left);
            _fb.DrawHorizontalLine(0, 38, Width, true);
            DrawWrapped(string.IsNullOrEmpty(action) ? "Restart the terminal. If it persists, call support." : action,
                Margin, 41, Width - 2 * Margin, 2, TextAlign.Left);
            return true;
        }

        private bool DrawOutcome(ScreenKind kind, string title, string headline, bool highlight, string amountText, string reason, string fallbackReason)
        {
            if (!Begin(kind, true))
            {
                return false;
            }

            RequiresAcknowledge = true;
            DrawTitle(title, AcknowledgeHint);
            if (highlight)
            {
                _fb.FillRect(0, 10, Width, 19, true);
                TextPainter.DrawAligned(_fb, _small, headline, 0, 12, Width, TextAlign.Center, 2, true);
            }
            else
            {
                DrawCentered(headline, 12, 2);
            }

            int y = 29;
            if (!string.IsNullOrEmpty(amountText))
            {
                DrawAmount(amountText, 0, 30, Width, TextAlign.Center);
                y = 47;
            }

            string text = string.IsNullOrEmpty(reason) ? fallbackReason : reason;
            DrawWrapped(text, Margin, y, Width - 2 * Margin, (Height - y + 1) / LinePitch, TextAlign.Center);
            return true;
        }
    }
}
