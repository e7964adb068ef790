using System.Threading;
using Terminal.Drivers.Qr;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Journal;
using Terminal.Firmware.Payments;
using Terminal.Firmware.Ports;
using Terminal.Firmware.Screens;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// Screens: drawn into the framebuffer by whichever thread has news (under _screenGate), sent to the OLED by
    /// the main loop, which also animates the countdown and the spinner and returns to the idle screen once a
    /// final screen has been acknowledged.
    /// </summary>
    public sealed partial class TerminalApp
    {
        // Main loop and QR screen state, under _screenGate.
        private long _qrDeadline;
        private int _qrSecondsShown;
        private long _nextSpinnerStep;
        private bool _idleNetworkShown;
        private string _processingText;

        private void ShowProcessing(string text)
        {
            Monitor.Enter(_screenGate);
            try
            {
                // The same words again (the engine confirming what the request already showed): keep the spinner going.
                if (_painter.Current == ScreenKind.Processing && text == _processingText)
                {
                    return;
                }

                if (_painter.ShowProcessing(text))
                {
                    _processingText = text;
                    ScreenVersion++;
                    _nextSpinnerStep = Mono() + _settings.SpinnerStepMs;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        private void ShowRefundProgress(string amountText)
        {
            Monitor.Enter(_screenGate);
            try
            {
                if (_painter.ShowRefundProgress(amountText))
                {
                    ScreenVersion++;
                    _nextSpinnerStep = Mono() + _settings.SpinnerStepMs;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        private void ShowScanCustomer(string amountText)
        {
            Monitor.Enter(_screenGate);
            try
            {
                if (_painter.ShowScanCustomer(amountText))
                {
                    ScreenVersion++;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>
        /// The order code at the largest scale that fits, or the readable fallback when it cannot be shown (the
        /// register still gets the code in SHOW_QR and may display it).
        /// </summary>
        private void ShowOrderCode(byte[] codeValue, int offset, int count, string amountText, int expiresInMs)
        {
            Monitor.Enter(_screenGate);
            try
            {
                _qrDeadline = Mono() + expiresInMs;
                _qrSecondsShown = SecondsLeft(_qrDeadline);
                QrCode code = null;
                if (_qrFit.TryFit(codeValue, offset, count, QrLayout.AreaSize, QrLayout.AreaSize, QrLayout.QuietModules))
                {
                    _qrEncoder.TryEncode(codeValue, offset, count, _qrFit.ErrorCorrection, _qrFit.Version, _qrFit.Version, -1, false, out code);
                }

                bool shown = code != null
                    ? _painter.ShowQr(code, amountText, _qrSecondsShown)
                    : _painter.ShowQrUnavailable(amountText, "QR code too long for this screen: show it on the register, or cancel");
                if (code == null)
                {
                    Log(LogLevel.Warning, "app: order code of " + count + " bytes does not fit the screen");
                }

                if (shown)
                {
                    ScreenVersion++;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>The final screen of a result; it stays until acknowledged (a newer result replaces it).</summary>
        private void ShowResultScreen(PaymentResult result, HostLinkResult line)
        {
            string amountText = ResultMapping.AmountText(line.AmountMinor, line.Currency);
            bool shown;
            Monitor.Enter(_screenGate);
            try
            {
                if (result.Number == 0 && result.Status == FinalStatus.Failed)
                {
                    // Refused before anything was sent: an error with what to do, not a declined payment.
                    shown = _painter.ShowError(result.Reason, "Nothing was charged. Check the request, then try again.");
                }
                else if (result.Kind == TransactionKind.Refund)
                {
                    shown = _painter.ShowRefundResult(ResultMapping.ScreenKindOf(result.Status), amountText, result.Reason);
                }
                else if (result.Kind == TransactionKind.Void && result.Status == FinalStatus.Failed)
                {
                    shown = _painter.ShowError("Void failed: " + result.Reason,
                        result.SuggestRefund ? "Refund the payment instead." : "Check the payment in the merchant portal.");
                }
                else if (result.Kind == TransactionKind.Void && result.Status == FinalStatus.Success)
                {
                    shown = _painter.ShowResult(ResultKind.Cancelled, amountText, "Voided: the payment was cancelled and returned");
                }
                else
                {
                    shown = _painter.ShowResult(ResultMapping.ScreenKindOf(result.Status), amountText, result.Reason);
                }

                if (shown)
                {
                    ScreenVersion++;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>A new transaction begins: the final screen before it has been seen.</summary>
        private void AcknowledgeScreen()
        {
            Monitor.Enter(_screenGate);
            try
            {
                _painter.Acknowledge();
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        private void AcknowledgeByKey()
        {
            bool scanning;
            string amountText;
            Monitor.Enter(_gate);
            try
            {
                scanning = _phase == AppPhase.Scanning;
                amountText = _scanAmountText;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            bool acknowledged;
            Monitor.Enter(_screenGate);
            try
            {
                acknowledged = _painter.Acknowledge();
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }

            if (acknowledged && scanning)
            {
                ShowScanCustomer(amountText);
            }
        }

        /// <summary>Main loop: idle screen after acknowledgement, countdown, spinner. Allocates nothing when unchanged.</summary>
        private void RefreshScreen()
        {
            bool idle;
            Monitor.Enter(_gate);
            try
            {
                idle = _phase == AppPhase.Idle && !_jobPending;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            Monitor.Enter(_screenGate);
            try
            {
                ScreenKind current = _painter.Current;
                bool network = NetworkUp;
                if (idle && !_painter.RequiresAcknowledge && (current != ScreenKind.Idle || network != _idleNetworkShown))
                {
                    if (_painter.ShowIdle(_config.DisplayName == null ? _config.DeviceId : _config.DisplayName, network, _clock.UtcNowMs() > ClockValidAfterMs))
                    {
                        _idleNetworkShown = network;
                        ScreenVersion++;
                    }
                }
                else if (current == ScreenKind.Qr)
                {
                    int seconds = SecondsLeft(_qrDeadline);
                    if (seconds != _qrSecondsShown)
                    {
                        _qrSecondsShown = seconds;
                        _painter.UpdateCountdown(seconds);
                    }
                }
                else if (current == ScreenKind.Processing || current == ScreenKind.RefundProgress)
                {
                    long now = Mono();
                    if (now >= _nextSpinnerStep)
                    {
                        _nextSpinnerStep = now + _settings.SpinnerStepMs;
                        _painter.Tick();
                    }
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>Sends what changed in the framebuffer; the driver retries and reports, never throws for the bus.</summary>
        private void PushDisplay()
        {
            Monitor.Enter(_screenGate);
            try
            {
                if (_framebuffer.IsDirty)
                {
                    _display.Update(_framebuffer);
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        private int SecondsLeft(long deadline)
        {
            long left = deadline - Mono();
            if (left <= 0)
            {
                return 0;
            }

            long seconds = (left + 999) / 1000;
            return seconds > Countdown.MaxSeconds ? Countdown.MaxSeconds : (int)seconds;
        }
    }
}
