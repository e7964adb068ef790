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
            return Drawn(_model.ShowResult(kind, amountText, reason));
        }

        /// <summary>A refund under way; <see cref="Tick"/> animates the spinner.</summary>
        public bool ShowRefundProgress(string amountText)
        {
            return Drawn(_model.ShowRefundProgress(amountText));
        }

        /// <summary>The outcome of a refund: REFUNDED, FAILED, CANCELLED or UNKNOWN; waits for acknowledgement.</summary>
        public bool ShowRefundResult(ResultKind kind, string amountText, string reason)
        {
            return Drawn(_model.ShowRefundResult(kind, amountText, reason));
        }

        /// <summary>
        /// Something went wrong outside a payment result: a plain reason and what to do about it. Waits for
        /// acknowledgement; refused while another final screen is pending (it must not hide a result).
        /// </summary>
        public bool ShowError(string reason, string action)
        {
            return Drawn(_model.ShowError(reason, action));
        }

        private void DrawRefundProgress(ScreenModel m)
        {
            DrawTitle("Refund", null);
            RenderSpinner(m);
            DrawAmount(m.AmountText, 0, 35, Width, TextAlign.Center);
            DrawCentered("Refund in progress", 55, 1);
        }

        private void DrawError(ScreenModel m)
        {
            DrawTitle("Error", m.AcknowledgeHint);
            DrawWrapped(string.IsNullOrEmpty(m.Text) ? ScreenTexts.ErrorFallbackReason : m.Text, Margin, 11, Width - 2 * Margin, 3, TextAlign.Left);
            _fb.DrawHorizontalLine(0, 38, Width, true);
            DrawWrapped(string.IsNullOrEmpty(m.Action) ? ScreenTexts.ErrorFallbackAction : m.Action,
                Margin, 41, Width - 2 * Margin, 2, TextAlign.Left);
        }

        private void DrawOutcome(ScreenModel m)
        {
            string headline = ScreenTexts.Headline(m.Kind, m.Result);
            DrawTitle(ScreenTexts.ResultTitle(m.Kind), m.AcknowledgeHint);
            if (m.Result == ResultKind.Success)
            {
                _fb.FillRect(0, 10, Width, 19, true);
                TextPainter.DrawAligned(_fb, _small, headline, 0, 12, Width, TextAlign.Center, 2, true);
            }
            else
            {
                DrawCentered(headline, 12, 2);
            }

            int y = 29;
            if (!string.IsNullOrEmpty(m.AmountText))
            {
                DrawAmount(m.AmountText, 0, 30, Width, TextAlign.Center);
                y = 47;
            }

            string text = string.IsNullOrEmpty(m.Text) ? ScreenTexts.FallbackReason(m.Kind, m.Result) : m.Text;
            DrawWrapped(text, Margin, y, Width - 2 * Margin, (Height - y + 1) / LinePitch, TextAlign.Center);
        }
    }
}
