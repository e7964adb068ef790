namespace Terminal.Firmware.Screens
{
    /// <summary>
    /// What the terminal shows: the kind of screen and its values (amount, order code, countdown, texts, result),
    /// and the rules every screen keeps, whatever displays it. The OLED (<see cref="ScreenPainter"/>) and the colour
    /// TFT (<see cref="TftScreenPainter"/>) are two renderings of this one model
    /// (<see cref="IScreenRendering"/>): a Show method changes the model, then each rendering draws it.
    /// <para>
    /// Final screens (payment and refund results, errors) set <see cref="RequiresAcknowledge"/> and stay until
    /// <see cref="Acknowledge"/>: while one is pending every other Show method returns false and changes nothing,
    /// except a newer payment or refund result, which replaces it. Nothing times out here.
    /// </para>
    /// <para>
    /// A new screen is a <see cref="ScreenKind"/>, a Show method that sets the values it needs, and a case in each
    /// rendering. Strings are kept as given (null, long or non-ASCII ones too); nothing here allocates.
    /// </para>
    /// </summary>
    public sealed class ScreenModel
    {
        public ScreenModel()
        {
            AcknowledgeHint = "OK";
            Kind = ScreenKind.Blank;
        }

        public ScreenKind Kind { get; private set; }

        /// <summary>Counts every new screen (not countdown or spinner steps).</summary>
        public int Version { get; private set; }

        /// <summary>True while a result or error screen waits for the cashier.</summary>
        public bool RequiresAcknowledge { get; private set; }

        /// <summary>Shown with screens that wait for acknowledgement ("OK"); null for none.</summary>
        public string AcknowledgeHint { get; set; }

        /// <summary>Idle: the shop's display name; diagnostics: the title.</summary>
        public string Title { get; private set; }

        /// <summary>The amount's figures ("12.50"), or null.</summary>
        public string AmountText { get; private set; }

        public string Currency { get; private set; }

        /// <summary>Processing: what happens; results and errors: the reason; QR unavailable: why.</summary>
        public string Text { get; private set; }

        /// <summary>Error: what to do about it.</summary>
        public string Action { get; private set; }

        public ResultKind Result { get; private set; }

        public bool NetworkUp { get; private set; }

        public bool TimeValid { get; private set; }

        /// <summary>The order code's modules (QR screen).</summary>
        public Terminal.Drivers.Display.IModuleMatrix Code { get; private set; }

        public int SecondsLeft { get; private set; }

        /// <summary>Processing and refund screens: the spinner's step, 0..7.</summary>
        public int SpinnerStep { get; private set; }

        /// <summary>Diagnostics: the lines, and the page asked for (each rendering pages them for its size).</summary>
        public string[] Lines { get; private set; }

        public int Page { get; private set; }

        /// <summary>The cashier saw the final screen. It stays until the next Show call; false when nothing was waiting.</summary>
        public bool Acknowledge()
        {
            if (!RequiresAcknowledge)
            {
                return false;
            }

            RequiresAcknowledge = false;
            return true;
        }

        /// <summary>An empty screen; refused while a final screen is pending.</summary>
        public bool ShowBlank()
        {
            return Begin(ScreenKind.Blank, false);
        }

        /// <summary>Idle: the shop's display name, READY only when network and clock are both usable.</summary>
        public bool ShowIdle(string displayName, bool networkUp, bool timeValid)
        {
            if (!Begin(ScreenKind.Idle, false))
            {
                return false;
            }

            Title = displayName;
            NetworkUp = networkUp;
            TimeValid = timeValid;
            return true;
        }

        /// <summary>An amount being typed.</summary>
        public bool ShowAmountEntry(string amountText, string currency)
        {
            return ShowAmountEntry("Enter amount", amountText, currency);
        }

        /// <summary>An amount being typed under <paramref name="title"/> (the keypad's sale or refund amount).</summary>
        public bool ShowAmountEntry(string title, string amountText, string currency)
        {
            if (!ShowAmount(ScreenKind.AmountEntry, amountText, currency))
            {
                return false;
            }

            Title = title;
            return true;
        }

        /// <summary>The amount the customer is asked to pay, before any code is shown.</summary>
        public bool ShowAmountConfirm(string amountText, string currency)
        {
            return ShowAmount(ScreenKind.AmountConfirm, amountText, currency);
        }

        /// <summary>The order code with the amount and the seconds it stays valid.</summary>
        public bool ShowQr(Terminal.Drivers.Display.IModuleMatrix code, string amountText, int secondsLeft)
        {
            if (!Begin(ScreenKind.Qr, false))
            {
                return false;
            }

            Code = code;
            AmountText = amountText;
            SecondsLeft = secondsLeft;
            return true;
        }

        /// <summary>The countdown of the QR screen; false on any other screen.</summary>
        public bool UpdateCountdown(int secondsLeft)
        {
            if (Kind != ScreenKind.Qr)
            {
                return false;
            }

            SecondsLeft = secondsLeft;
            return true;
        }

        /// <summary>The readable fallback when no order code can be shown.</summary>
        public bool ShowQrUnavailable(string amountText, string reason)
        {
            if (!Begin(ScreenKind.QrUnavailable, false))
            {
                return false;
            }

            AmountText = amountText;
            Text = reason;
            return true;
        }

        /// <summary>Customer-presented mode: the cashier scans the payment code on the customer's phone.</summary>
        public bool ShowScanCustomer(string amountText)
        {
            if (!Begin(ScreenKind.ScanCustomer, false))
            {
                return false;
            }

            AmountText = amountText;
            return true;
        }

        /// <summary>A request is under way; <see cref="Tick"/> moves the spinner.</summary>
        public bool ShowProcessing(string text)
        {
            if (!Begin(ScreenKind.Processing, false))
            {
                return false;
            }

            Text = text;
            SpinnerStep = 0;
            return true;
        }

        /// <summary>Advances the spinner of the processing and refund screens; false on any other screen.</summary>
        public bool Tick()
        {
            if (Kind != ScreenKind.Processing && Kind != ScreenKind.RefundProgress)
            {
                return false;
            }

            SpinnerStep = (SpinnerStep + 1) & 7;
            return true;
        }

        /// <summary>A payment's outcome; replaces any pending final screen and waits for acknowledgement.</summary>
        public bool ShowResult(ResultKind kind, string amountText, string reason)
        {
            return ShowOutcome(ScreenKind.Result, kind, amountText, reason);
        }

        /// <summary>A refund under way; <see cref="Tick"/> moves the spinner.</summary>
        public bool ShowRefundProgress(string amountText)
        {
            if (!Begin(ScreenKind.RefundProgress, false))
            {
                return false;
            }

            AmountText = amountText;
            SpinnerStep = 0;
            return true;
        }

        /// <summary>A refund's outcome; replaces any pending final screen and waits for acknowledgement.</summary>
        public bool ShowRefundResult(ResultKind kind, string amountText, string reason)
        {
            return ShowOutcome(ScreenKind.RefundResult, kind, amountText, reason);
        }

        /// <summary>
        /// Something went wrong outside a payment result: the reason and what to do. Waits for acknowledgement;
        /// refused while another final screen is pending (it must not hide a result).
        /// </summary>
        public bool ShowError(string reason, string action)
        {
            if (!Begin(ScreenKind.Error, false))
            {
                return false;
            }

            RequiresAcknowledge = true;
            Text = reason;
            Action = action;
            return true;
        }

        /// <summary>Self-test lines from the first page.</summary>
        public bool ShowDiagnostics(string title, string[] lines)
        {
            if (RequiresAcknowledge)
            {
                return false;
            }

            Title = title;
            Lines = lines;
            return ShowDiagnosticsPage(0);
        }

        /// <summary>Page <paramref name="page"/> of the diagnostics lines (a rendering wraps it around its page count).</summary>
        public bool ShowDiagnosticsPage(int page)
        {
            if (!Begin(ScreenKind.Diagnostics, false))
            {
                return false;
            }

            Page = page;
            return true;
        }

        private bool ShowAmount(ScreenKind kind, string amountText, string currency)
        {
            if (!Begin(kind, false))
            {
                return false;
            }

            AmountText = amountText;
            Currency = currency;
            return true;
        }

        private bool ShowOutcome(ScreenKind kind, ResultKind result, string amountText, string reason)
        {
            Begin(kind, true);
            RequiresAcknowledge = true;
            Result = result;
            AmountText = amountText;
            Text = reason;
            return true;
        }

        /// <summary>Starts a screen: refused while a final screen is pending, unless this one replaces it.</summary>
        private bool Begin(ScreenKind kind, bool replacesPending)
        {
            if (RequiresAcknowledge && !replacesPending)
            {
                return false;
            }

            RequiresAcknowledge = false;
            Kind = kind;
            Version++;
            return true;
        }
    }
}
