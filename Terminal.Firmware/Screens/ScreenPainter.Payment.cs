using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>Screens on the way to a payment: idle, amount, QR, customer scan, processing.</summary>
    public sealed partial class ScreenPainter
    {
        /// <summary>Idle: the shop's display name, READY only when network and clock are both usable.</summary>
        public bool ShowIdle(string displayName, bool networkUp, bool timeValid)
        {
            return Drawn(_model.ShowIdle(displayName, networkUp, timeValid));
        }

        /// <summary>Amount being typed, right-aligned like a calculator.</summary>
        public bool ShowAmountEntry(string amountText, string currency)
        {
            return Drawn(_model.ShowAmountEntry(amountText, currency));
        }

        /// <summary>The amount the customer is asked to pay, before any code is shown.</summary>
        public bool ShowAmountConfirm(string amountText, string currency)
        {
            return Drawn(_model.ShowAmountConfirm(amountText, currency));
        }

        /// <summary>
        /// The order QR code (merchant-presented mode) at the left edge, full height, at the largest
        /// integer scale with a lit quiet zone; amount and countdown on the right. A code that does not
        /// fit (or none) shows <see cref="ShowQrUnavailable"/> instead: never a garbled code.
        /// </summary>
        public bool ShowQr(IModuleMatrix code, string amountText, int secondsLeft)
        {
            if (QrLayout.ScaleFor(code == null ? 0 : code.Size) < 1)
            {
                return ShowQrUnavailable(amountText, null);
            }

            return Drawn(_model.ShowQr(code, amountText, secondsLeft));
        }

        /// <summary>Repaints only the countdown ("m:ss") on the QR screen; false on any other screen.</summary>
        public bool UpdateCountdown(int secondsLeft)
        {
            if (!_model.UpdateCountdown(secondsLeft))
            {
                return false;
            }

            RenderCountdown(_model);
            return true;
        }

        /// <summary>The readable fallback when no QR code can be shown.</summary>
        public bool ShowQrUnavailable(string amountText, string reason)
        {
            return Drawn(_model.ShowQrUnavailable(amountText, reason));
        }

        /// <summary>Customer-presented mode: the cashier scans the payment code on the customer's phone.</summary>
        public bool ShowScanCustomer(string amountText)
        {
            return Drawn(_model.ShowScanCustomer(amountText));
        }

        /// <summary>A request is under way; <see cref="Tick"/> animates the spinner.</summary>
        public bool ShowProcessing(string text)
        {
            return Drawn(_model.ShowProcessing(text));
        }

        /// <summary>Advances the spinner on the processing and refund screens (its 16x16 box only).</summary>
        public bool Tick()
        {
            if (!_model.Tick())
            {
                return false;
            }

            RenderSpinner(_model);
            return true;
        }

        /// <summary>Repaints only the countdown box of the QR screen <paramref name="model"/> shows.</summary>
        public void RenderCountdown(ScreenModel model)
        {
            if (model.Kind != ScreenKind.Qr || _countdownWidth == 0)
            {
                return;
            }

            int count = Countdown.Format(model.SecondsLeft, _countdownChars);
            TextPainter.DrawInBox(_fb, _small, _countdownChars, count, _countdownX, _countdownY, _countdownWidth, TextAlign.Left, 1, false);
        }

        /// <summary>Repaints only the spinner's 16x16 box at the model's step.</summary>
        public void RenderSpinner(ScreenModel model)
        {
            Spinner.Draw(_fb, SpinnerX, SpinnerY, model.SpinnerStep);
        }

        private void DrawIdle(ScreenModel m)
        {
            bool networkUp = m.NetworkUp;
            bool timeValid = m.TimeValid;
            DrawTitle(m.Title, null);
            DrawCentered(networkUp && timeValid ? "READY" : "NOT READY", 15, 2);
            DrawLabelValue("Network", networkUp ? "OK" : "DOWN", 38);
            DrawLabelValue("Clock", timeValid ? "OK" : "NOT SET", 47);
            if (!networkUp)
            {
                DrawCentered("No payments possible", 56, 1);
            }
            else if (!timeValid)
            {
                DrawCentered("Waiting for time", 56, 1);
            }
        }

        private void DrawAmountEntry(ScreenModel m)
        {
            DrawTitle(m.Title, m.Currency);
            DrawAmount(m.AmountText, Margin, 20, Width - 2 * Margin, TextAlign.Right);
            _fb.DrawHorizontalLine(Margin, 39, Width - 2 * Margin, true);
            DrawCentered("OK to confirm", 55, 1);
        }

        private void DrawAmountConfirm(ScreenModel m)
        {
            DrawTitle("Confirm amount", null);
            DrawAmount(m.AmountText, 0, 14, Width, TextAlign.Center);
            DrawCentered(m.Currency, 33, 1);
            DrawCentered("OK to pay", 46, 1);
            DrawCentered("C to cancel", 55, 1);
        }

        private void DrawQr(ScreenModel m)
        {
            IModuleMatrix code = m.Code;
            int size = code == null ? 0 : code.Size;
            int scale = QrLayout.ScaleFor(size);
            if (scale < 1)
            {
                // Never a garbled code: the screen layer fits the code to this area before showing it.
                _countdownWidth = 0;
                DrawQrUnavailable(m.AmountText, null);
                return;
            }

            int side = (size + 2 * QrLayout.QuietModules) * scale;
            _fb.DrawModules(code, 0, (Height - side) / 2, scale, QrLayout.QuietModules);

            int x = side + 3;
            int width = Width - x;
            DrawWrapped("Scan to pay", x, 0, width, 2, TextAlign.Left);
            DrawAmount(m.AmountText, x, 20, width, TextAlign.Left);
            TextPainter.DrawAligned(_fb, _small, "Valid for", x, 46, width, TextAlign.Left, 1, false);

            // The countdown owns page 7 alone, so a tick rewrites a few bytes of one page.
            _countdownX = x;
            _countdownY = 56;
            _countdownWidth = width;
            RenderCountdown(m);
        }

        private void DrawQrUnavailable(string amountText, string reason)
        {
            DrawTitle("QR not available", null);
            DrawAmount(amountText, 0, 12, Width, TextAlign.Center);
            DrawWrapped(string.IsNullOrEmpty(reason) ? ScreenTexts.QrUnavailableFallback : reason, Margin, 33, Width - 2 * Margin, 3, TextAlign.Center);
        }

        private void DrawScanCustomer(ScreenModel m)
        {
            DrawTitle("Customer code", null);
            DrawAmount(m.AmountText, 0, 12, Width, TextAlign.Center);
            DrawWrapped("Scan the customer's payment code", Margin, 33, Width - 2 * Margin, 3, TextAlign.Center);
        }

        private void DrawProcessing(ScreenModel m)
        {
            DrawTitle("Please wait", null);
            RenderSpinner(m);
            DrawWrapped(m.Text, Margin, 37, Width - 2 * Margin, 3, TextAlign.Center);
        }
    }
}
