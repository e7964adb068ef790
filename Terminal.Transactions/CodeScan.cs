using Terminal.Drivers.Scanner;
using Terminal.Payments.Cpm;

namespace Terminal.Transactions
{
    /// <summary>
    /// A customer-presented sale before the engine: trigger the scanner until a code is read, refuse what is not
    /// a payment code (a web link, text) or was read for an earlier request with a plain message and keep scanning,
    /// and end when the cashier aborts or no code comes in time. Holds only the timing and the verdicts; the desk owns
    /// the phase and calls it on the main-loop thread under its lock (the scanner driver is single-threaded).
    /// </summary>
    internal sealed class CodeScan
    {
        private const string Incomplete = "The code was not read completely";

        /// <summary>For a code read for an earlier request (shown after that prompt ended): the customer here may be its owner.</summary>
        public const string ReadTooLate = "Code read too late for this sale: show it again";

        private readonly Gm65Scanner _scanner;
        private readonly PaymentCodeValidator _validator = new PaymentCodeValidator();
        private readonly long _timeoutMs;
        private readonly int _retriggerMs;
        private long _deadline;
        private long _nextTrigger;
        private bool _aborted;
        private bool _lateAtBegin;

        public CodeScan(Gm65Scanner scanner, int timeoutMs, int retriggerMs)
        {
            _scanner = scanner;
            _timeoutMs = timeoutMs;
            _retriggerMs = retriggerMs;
        }

        /// <summary>After <see cref="ScanStep.CodeRefused"/> or <see cref="ScanStep.ReadIncomplete"/>: what was wrong, for the screen and the host link.</summary>
        public string Problem { get; private set; }

        /// <summary>A new sale: the first trigger at once; what the module read for an earlier request is dropped.</summary>
        public void Begin(long now)
        {
            Begin(now, _timeoutMs);
        }

        /// <summary>A new sale that waits at most <paramref name="timeoutMs"/> for a code.</summary>
        public void Begin(long now, long timeoutMs)
        {
            _deadline = now + timeoutMs;
            _nextTrigger = now;
            _aborted = false;
            Problem = null;
            int stale = _scanner.StaleLines;
            _scanner.BeginScan();
            _lateAtBegin = _scanner.StaleLines != stale;
        }

        /// <summary>The cashier aborts; the next <see cref="Step"/> ends the scan.</summary>
        public void Abort()
        {
            _aborted = true;
        }

        /// <summary>Decides what the scanner's latest outcome means at <paramref name="now"/>.</summary>
        public ScanStep Step(ScanOutcome outcome, long now)
        {
            if (_aborted)
            {
                return ScanStep.Aborted;
            }

            bool late = outcome == ScanOutcome.Stale || (_lateAtBegin && outcome != ScanOutcome.Code);
            _lateAtBegin = false;
            if (late)
            {
                // Dropped, never paid with (it may be an earlier customer's), but not silently: whoever showed it
                // is asked to show it again, and the scanner is triggered at once for it.
                Problem = ReadTooLate;
                _nextTrigger = now + _retriggerMs;
                return ScanStep.CodeRefused;
            }

            if (outcome == ScanOutcome.Code)
            {
                PaymentCodeVerdict verdict = _validator.Validate(_scanner.Code, 0, _scanner.CodeLength);
                if (verdict == PaymentCodeVerdict.Ok)
                {
                    return ScanStep.CodeRead;
                }

                Problem = PaymentCodeValidator.Message(verdict);
                _nextTrigger = now + _retriggerMs;
                return ScanStep.CodeRefused;
            }

            if (outcome == ScanOutcome.Binary || outcome == ScanOutcome.Partial || outcome == ScanOutcome.Overlong)
            {
                Problem = Incomplete;
                _nextTrigger = now;
                return ScanStep.ReadIncomplete;
            }

            if (now >= _deadline)
            {
                return ScanStep.TimedOut;
            }

            if (now >= _nextTrigger)
            {
                _nextTrigger = now + _retriggerMs;
                return ScanStep.Trigger;
            }

            return ScanStep.Wait;
        }
    }
}
