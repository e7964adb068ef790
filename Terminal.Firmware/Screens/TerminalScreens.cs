using System.Threading;
using Terminal.Core.Money;
using Terminal.Core.Ports;
using Terminal.Countertop.View;
using Terminal.Drivers.Display;
using Terminal.Drivers.Qr;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// What the terminal shows: the desk's progress and results put into the <see cref="ScreenModel"/> and drawn by
    /// the display's <see cref="IScreenRendering"/> (the OLED or a colour TFT) by whichever thread has news, sent to the
    /// display by the main loop, which also animates the countdown and the spinner and returns to the idle screen
    /// once a final screen has been acknowledged. One lock guards the model, the rendering and its display driver;
    /// it is never held while calling out. <see cref="Refresh"/> and <see cref="Push"/> allocate nothing.
    /// </summary>
    public sealed class TerminalScreens : IResultSubscriber, IProgressSubscriber, ICountertopView
    {
        // QR version 10 (57 modules) is the largest that fits the OLED's 64 rows with a 2-module quiet zone at 1 pixel
        // per module; on a 240-pixel TFT it still gets 3 pixels per module.
        private const int MaxQrVersion = 10;

        // Start of 2024 (Unix ms): a wall clock before it has not been set.
        private const long ClockValidAfterMs = 1704067200000L;

        private const string RescanAction = "Ask the customer to open the payment code in the wallet app, then scan it.";

        private readonly IScreenRendering _rendering;
        private readonly ScreenModel _model = new ScreenModel();
        private readonly IClock _clock;
        private readonly ILog _log;
        private string _idleName;
        private readonly int _spinnerStepMs;
        private readonly QrEncoder _qrEncoder = new QrEncoder(MaxQrVersion);
        private readonly QrFit _qrFit;

        // Guards everything below, the model, the rendering and its display driver.
        private readonly object _screenGate = new object();
        private long _qrDeadline;
        private int _qrSecondsShown;
        private long _nextSpinnerStep;
        private bool _idleNetworkShown;
        private bool _idleNameChanged;
        private string _processingText;
        private string _scanAmountText;

        /// <summary>The screens on an OLED driven by <paramref name="display"/>.</summary>
        /// <param name="idleName">The name on the idle screen (display name, else the device id).</param>
        public TerminalScreens(IDisplayDriver display, IClock clock, ILog log, string idleName, int spinnerStepMs)
            : this(new OledRendering(display), clock, log, idleName, spinnerStepMs)
        {
        }

        /// <summary>The screens on the display <paramref name="rendering"/> draws for (the OLED or a colour TFT).</summary>
        public TerminalScreens(IScreenRendering rendering, IClock clock, ILog log, string idleName, int spinnerStepMs)
        {
            if (rendering == null)
            {
                throw new System.ArgumentNullException("rendering");
            }

            _rendering = rendering;
            _clock = clock;
            _log = log;
            _idleName = idleName;
            _spinnerStepMs = spinnerStepMs;
            _qrFit = new QrFit(_qrEncoder);
        }

        /// <summary>The screen shown now.</summary>
        public ScreenKind Current
        {
            get { return _model.Kind; }
        }

        /// <summary>Counts every new screen drawn (not countdown or spinner steps): a viewer redraws when it changes.</summary>
        public int Version
        {
            get { return _model.Version; }
        }

        /// <summary>True while a result or error screen waits for the cashier.</summary>
        public bool ResultShown
        {
            get
            {
                Monitor.Enter(_screenGate);
                try
                {
                    return _model.RequiresAcknowledge;
                }
                finally
                {
                    Monitor.Exit(_screenGate);
                }
            }
        }

        /// <summary>The OLED's framebuffer (a viewer may read it); null on a colour TFT.</summary>
        public Framebuffer Framebuffer
        {
            get
            {
                OledRendering oled = _rendering as OledRendering;
                return oled == null ? null : oled.Framebuffer;
            }
        }

        /// <summary>How the screens reach the display (its status and counters appear in DIAG).</summary>
        public IScreenRendering Rendering
        {
            get { return _rendering; }
        }

        /// <summary>True while drawn changes have not reached the display.</summary>
        public bool DisplayPending
        {
            get
            {
                Monitor.Enter(_screenGate);
                try
                {
                    return _rendering.IsDirty;
                }
                finally
                {
                    Monitor.Exit(_screenGate);
                }
            }
        }

        /// <summary>One DIAG line on the display: its state, retries and failures, the last error.</summary>
        public string DiagnosticLine()
        {
            Monitor.Enter(_screenGate);
            try
            {
                return "display " + (_rendering.Status == DisplayStatus.Ok ? "ok" : _rendering.Status == DisplayStatus.WriteFailed ? "write failed" : "not initialised")
                    + " retries=" + _rendering.Retries + " failures=" + _rendering.Failures
                    + (_rendering.LastError == null ? string.Empty : " last error: " + _rendering.LastError);
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>A processing screen with a spinner; the same words again keep the spinner going.</summary>
        public void ShowProcessing(string text)
        {
            Monitor.Enter(_screenGate);
            try
            {
                // The same words again (the engine confirming what the request already showed): keep the spinner going.
                if (_model.Kind == ScreenKind.Processing && text == _processingText)
                {
                    return;
                }

                if (Shown(_model.ShowProcessing(text)))
                {
                    _processingText = text;
                    _nextSpinnerStep = Mono() + _spinnerStepMs;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>The OK key: acknowledges the final screen; while the desk scans, the scan screen comes back.</summary>
        public void AcknowledgeByKey(bool scanning)
        {
            bool acknowledged;
            string amountText;
            Monitor.Enter(_screenGate);
            try
            {
                acknowledged = _model.Acknowledge();
                amountText = _scanAmountText;
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

        /// <summary>A new name for the idle screen (a remote setting); drawn at the next refresh when idle. Any thread.</summary>
        public void SetIdleName(string name)
        {
            Monitor.Enter(_screenGate);
            try
            {
                if (name != _idleName)
                {
                    _idleName = name;
                    _idleNameChanged = true;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>
        /// Main loop: the idle screen once nothing runs and the last final screen was acknowledged, the countdown,
        /// the spinner. Allocates nothing when unchanged.
        /// </summary>
        public void Refresh(bool idle, bool networkUp)
        {
            Monitor.Enter(_screenGate);
            try
            {
                ScreenKind current = _model.Kind;
                if (idle && !_model.RequiresAcknowledge && (current != ScreenKind.Idle || networkUp != _idleNetworkShown || _idleNameChanged))
                {
                    if (Shown(_model.ShowIdle(_idleName, networkUp, _clock.UtcNowMs() > ClockValidAfterMs)))
                    {
                        _idleNetworkShown = networkUp;
                        _idleNameChanged = false;
                    }
                }
                else if (current == ScreenKind.Qr)
                {
                    int seconds = SecondsLeft(_qrDeadline);
                    if (seconds != _qrSecondsShown)
                    {
                        _qrSecondsShown = seconds;
                        _model.UpdateCountdown(seconds);
                        _rendering.RenderCountdown(_model);
                    }
                }
                else if (current == ScreenKind.Processing || current == ScreenKind.RefundProgress)
                {
                    long now = Mono();
                    if (now >= _nextSpinnerStep)
                    {
                        _nextSpinnerStep = now + _spinnerStepMs;
                        _model.Tick();
                        _rendering.RenderSpinner(_model);
                    }
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>Sends what changed in the framebuffer; the driver retries and reports, never throws for the bus.</summary>
        public void Push()
        {
            Monitor.Enter(_screenGate);
            try
            {
                if (_rendering.IsDirty)
                {
                    _rendering.Push();
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        // ---- the desk's progress ----

        public void OnAccepted(TransactionJob job)
        {
            // A new transaction begins: the final screen before it has been seen.
            Acknowledge();
            if (job.Kind == JobKind.Refund)
            {
                ShowRefundProgress(AmountText(job.AmountMinor, job.Currency));
            }
            else if (job.Kind == JobKind.Void)
            {
                ShowProcessing("Voiding the payment");
            }
            else if (job.Mode == TransactionKind.SalePaymentCode)
            {
                string amountText = AmountText(job.AmountMinor, job.Currency);
                Monitor.Enter(_screenGate);
                try
                {
                    _scanAmountText = amountText;
                }
                finally
                {
                    Monitor.Exit(_screenGate);
                }

                ShowScanCustomer(amountText);
            }
            else
            {
                ShowProcessing("Creating the order");
            }
        }

        public void OnWaitingForCustomer(TransactionJob job, string reference)
        {
        }

        /// <summary>A refused code: the reason and what to do, in place of the scan screen (the scan goes on).</summary>
        public void OnCodeRefused(TransactionJob job, string problem)
        {
            Monitor.Enter(_screenGate);
            try
            {
                // Only our own previous scan problem can be pending here: the sale began by acknowledging.
                _model.Acknowledge();
                Shown(_model.ShowError(problem, RescanAction));
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        public void OnCodeRead(TransactionJob job)
        {
            Acknowledge();
            ShowProcessing("Payment code read");
        }

        public void OnProcessing(TransactionJob job, string reference)
        {
            switch (job.Kind)
            {
                case JobKind.Recover:
                    ShowProcessing("Checking a payment left open by a restart");
                    break;
                case JobKind.Refund:
                    ShowRefundProgress(AmountText(job.AmountMinor, job.Currency));
                    break;
                case JobKind.Void:
                    ShowProcessing("Voiding the payment");
                    break;
                default:
                    ShowProcessing(job.Mode == TransactionKind.SalePaymentCode ? "Payment code read: contacting the payment service" : "Creating the order");
                    break;
            }
        }

        /// <summary>
        /// The order code at the largest scale that fits, or the readable fallback when it cannot be shown (the
        /// register still gets the code in SHOW_QR and may display it).
        /// </summary>
        public void OnShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            string amountText = AmountText(amountMinor, currency);
            Monitor.Enter(_screenGate);
            try
            {
                _qrDeadline = Mono() + expiresInMs;
                _qrSecondsShown = SecondsLeft(_qrDeadline);
                QrCode code = null;
                int area = _rendering.QrAreaSize;
                if (_qrFit.TryFit(codeValue, offset, count, area, area, _rendering.QrQuietModules))
                {
                    _qrEncoder.TryEncode(codeValue, offset, count, _qrFit.ErrorCorrection, _qrFit.Version, _qrFit.Version, -1, false, out code);
                }

                Shown(code != null
                    ? _model.ShowQr(code, amountText, _qrSecondsShown)
                    : _model.ShowQrUnavailable(amountText, "QR code too long for this screen: show it on the register, or cancel"));
                if (code == null)
                {
                    Log(LogLevel.Warning, "app: order code of " + count + " bytes does not fit the screen");
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        public void OnCancelling(TransactionJob job)
        {
            ShowProcessing("Cancelling the payment");
        }

        // ---- the countertop front end's screens (keypad amount entry, PIN, menu) ----

        public void ShowAmount(string title, string amountText, string currency)
        {
            Monitor.Enter(_screenGate);
            try
            {
                Shown(_model.ShowAmountEntry(title, amountText, currency));
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        public void ShowLines(string title, string[] lines)
        {
            Monitor.Enter(_screenGate);
            try
            {
                Shown(_model.ShowDiagnostics(title, lines));
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        public void NextPage()
        {
            Monitor.Enter(_screenGate);
            try
            {
                if (_model.Kind == ScreenKind.Diagnostics)
                {
                    Shown(_model.ShowDiagnosticsPage(_model.Page + 1));
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        public void ShowResult(DeskResult result)
        {
            OnResult(result);
        }

        public void Acknowledge(bool scanning)
        {
            AcknowledgeByKey(scanning);
        }

        // ---- the desk's results ----

        /// <summary>The final screen of a result; it stays until acknowledged (a newer result replaces it).</summary>
        public void OnResult(DeskResult published)
        {
            PaymentResult result = published.Payment;
            string amountText = AmountText(published.AmountMinor, published.Currency);
            Monitor.Enter(_screenGate);
            try
            {
                if (result.Number == 0 && result.Status == FinalStatus.Failed)
                {
                    // Refused before anything was sent: an error with what to do, not a declined payment.
                    Shown(_model.ShowError(result.Reason, "Nothing was charged. Check the request, then try again."));
                }
                else if (result.Kind == TransactionKind.Refund)
                {
                    Shown(_model.ShowRefundResult(ResultKindOf(result.Status), amountText, result.Reason));
                }
                else if (result.Kind == TransactionKind.Void && result.Status == FinalStatus.Failed)
                {
                    Shown(_model.ShowError("Void failed: " + result.Reason,
                        result.SuggestRefund ? "Refund the payment instead." : "Check the payment in the merchant portal."));
                }
                else if (result.Kind == TransactionKind.Void && result.Status == FinalStatus.Success)
                {
                    Shown(_model.ShowResult(ResultKind.Cancelled, amountText, "Voided: the payment was cancelled and returned"));
                }
                else
                {
                    Shown(_model.ShowResult(ResultKindOf(result.Status), amountText, result.Reason));
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        /// <summary>The headline a result screen shows; no status is never shown as success.</summary>
        public static ResultKind ResultKindOf(FinalStatus status)
        {
            switch (status)
            {
                case FinalStatus.Success:
                    return ResultKind.Success;
                case FinalStatus.Failed:
                    return ResultKind.Declined;
                case FinalStatus.Cancelled:
                    return ResultKind.Cancelled;
                default:
                    return ResultKind.NeedsReview;
            }
        }

        /// <summary>"12.50" for (1250, "USD"): the figures the screens show beside the currency; never throws.</summary>
        public static string AmountText(long minor, string currency)
        {
            if (minor <= 0)
            {
                return null;
            }

            if (currency == null || Currency.Exponent(currency) < 0)
            {
                return minor.ToString();
            }

            string text = Amount.Format(minor, currency);
            int space = text.IndexOf(' ');
            return space > 0 ? text.Substring(0, space) : text;
        }

        private void Acknowledge()
        {
            Monitor.Enter(_screenGate);
            try
            {
                _model.Acknowledge();
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
                if (Shown(_model.ShowRefundProgress(amountText)))
                {
                    _nextSpinnerStep = Mono() + _spinnerStepMs;
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
                Shown(_model.ShowScanCustomer(amountText));
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }

        // Under the lock: draws a screen the model took.
        private bool Shown(bool shown)
        {
            if (shown)
            {
                _rendering.Render(_model);
            }

            return shown;
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

        private long Mono()
        {
            return _clock.MonotonicMs();
        }

        private void Log(LogLevel level, string message)
        {
            if (_log != null)
            {
                _log.Write(level, message);
            }
        }
    }
}
