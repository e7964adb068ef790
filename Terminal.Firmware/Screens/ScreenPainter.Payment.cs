using Terminal.Drivers.Display;

namespace Terminal.Firmware.Screens
{
    /// <summary>Screens on the way to a payment: idle, amount, QR, customer scan, processing.</summary>
    public sealed partial class ScreenPainter
    {
        /// <summary>Idle: the shop's display name, READY only when network and clock are both usable.</summary>
        public bool ShowIdle(string displayName, bool networkUp, bool timeValid)
        {
            if (!Begin(ScreenKind.Idle, false))
            {
                return false;
            }

            DrawTitle(displayName, null);
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

            return true;
        }

        /// <summary>Amount being typed, right-aligned like a calculator.</summary>
        public bool ShowAmountEntry(string amountText, string currency)
        {
            return ShowAmountEntry("Enter amount", amountText, currency);
        }

        /// <summary>An amount being typed under <paramref name="title"/> (the keypad's sale or refund amount).</summary>
        public bool ShowAmountEntry(string title, string amountText, string currency)
        {
            if (!Begin(ScreenKind.AmountEntry, false))
            {
                return false;
            }

            DrawTitle(title, currency);
            DrawAmount(amountText, Margin, 20, Width - 2 * Margin, TextAlign.Right);
            _fb.DrawHorizontalLine(Margin, 39, Width - 2 * Margin, true);
            DrawCentered("OK to confirm", 55, 1);
            return true;
        }

        /// <summary>The amount the customer is asked to pay, before any code is shown.</summary>
        public bool ShowAmountConfirm(string amountText, string currency)
        {
            if (!Begin(ScreenKind.AmountConfirm, false))
            {
                return false;
            }

            DrawTitle("Confirm amount", null);
            DrawAmount(amountText, 0, 14, Width, TextAlign.Center);
            DrawCentered(currency, 33, 1);
            DrawCentered("OK to pay", 46, 1);
            DrawCentered("C to cancel", 55, 1);
            return true;
        }

        /// <summary>
        /// The order QR code (merchant-presented mode) at the left edge, full height, at the largest
        /// integer scale with a lit quiet zone; amount and countdown on the right. A code that does not
        /// fit (or none) shows <see cref="ShowQrUnavailable"/> instead: never a garbled code.
        /// </summary>
        public bool ShowQr(IModuleMatrix code, string amountText, int secondsLeft)
        {
            int size = code == null ? 0 : code.Size;
            int scale = QrLayout.ScaleFor(size);
            if (scale < 1)
            {
                return ShowQrUnavailable(amountText, null);
            }

            if (!Begin(ScreenKind.Qr, false))
            {
                return false;
            }

            int side = (size + 2 * QrLayout.QuietModules) * scale;
            _fb.DrawModules(code, 0, (Height - side) / 2, scale, QrLayout.QuietModules);

            int x = side + 3;
            int width = Width - x;
            DrawWrapped("Scan to pay", x, 0, width, 2, TextAlign.Left);
            DrawAmount(amountText, x, 20, width, TextAlign.Left);
            TextPainter.DrawAligned(_fb, _small, "Valid for", x, 46, width, TextAlign.Left, 1, false);

            // The countdown owns page 7 alone, so a tick rewrites a few bytes of one page.
            _countdownX = x;
            _countdownY = 56;
            _countdownWidth = width;
            UpdateCountdown(secondsLeft);
            return true;
        }

        /// <summary>Repaints only the countdown ("m:ss") on the QR screen; false on any other screen.</summary>
        public bool UpdateCountdown(int secondsLeft)
        {
            if (Current != ScreenKind.Qr)
            {
                return false;
            }

            int count = Countdown.Format(secondsLeft, _countdownChars);
            TextPainter.DrawInBox(_fb, _small, _countdownChars, count, _countdownX, _countdownY, _countdownWidth, TextAlign.Left, 1, false);
            return true;
        }

        /// <summary>The readable fallback when no QR code can be shown.</summary>
        public bool ShowQrUnavailable(string amountText, string reason)
        {
            if (!Begin(ScreenKind.QrUnavailable, false))
            {
                return false;
            }

            DrawTitle("QR not available", null);
            DrawAmount(amountText, 0, 12, Width, TextAlign.Center);
            DrawWrapped(string.IsNullOrEmpty(reason) ? "QR too long - use customer scan" : reason, Margin, 33, Width - 2 * Margin, 3, TextAlign.Center);
            return true;
        }

        /// <summary>Customer-presented mode: the cashier scans the payment code on the customer's phone.</summary>
        public bool ShowScanCustomer(string amountText)
        {
            if (!Begin(ScreenKind.ScanCustomer, false))
            {
                return false;
            }

            DrawTitle("Customer code", null);
            DrawAmount(amountText, 0, 12, Width, TextAlign.Center);
            DrawWrapped("Scan the customer's payment code", Margin, 33, Width - 2 * Margin, 3, TextAlign.Center);
            return true;
        }

        /// <summary>A request is under way; <see cref="Tick"/> animates the spinner.</summary>
        public bool ShowProcessing(string text)
        {
            if (!Begin(ScreenKind.Processing, false))
            {
                return false;
            }

            DrawTitle("Please wait", null);
            _spinnerStep = 0;
            Spinner.Draw(_fb, SpinnerX, SpinnerY, _spinnerStep);
            DrawWrapped(text, Margin, 37, Width - 2 * Margin, 3, TextAlign.Center);
            return true;
        }

        /// <summary>Advances the spinner on the processing and refund screens (its 16x16 box only).</summary>
        public bool Tick()
        {
            if (Current != ScreenKind.Processing && Current != ScreenKind.RefundProgress)
            {
                return false;
            }

            _spinnerStep = (_spinnerStep + 1) & (Spinner.Steps - 1);
            Spinner.Draw(_fb, SpinnerX, SpinnerY, _spinnerStep);
            return true;
        }
    }
}
