using System.Threading;
using Terminal.Drivers.Scanner;
using Terminal.Firmware.Cpm;
using Terminal.Firmware.Journal;
using Terminal.Firmware.Payments;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// Customer-presented sales before the engine: trigger the scanner until a code is read, refuse what is not a
    /// payment code (a web link, text) with a plain message and keep scanning, and end the sale as CANCELLED when
    /// the cashier aborts or no code comes in time. Main-loop thread only (the scanner driver is single-threaded).
    /// </summary>
    public sealed partial class TerminalApp
    {
        private const int ScanEndNone = 0;
        private const int ScanEndAborted = 1;
        private const int ScanEndTimedOut = 2;

        private const string RescanAction = "Ask the customer to open the payment code in the wallet app, then scan it.";

        // Under _gate.
        private long _scanDeadline;
        private long _nextTrigger;
        private int _scanEnd;
        private bool _announceScan;
        private string _scanAmountText;

        /// <summary>Under _gate: the scan screen, a fresh start for the framer, the first trigger on the next pass.</summary>
        private void BeginScan(string amountText)
        {
            long now = Mono();
            _scanDeadline = now + _settings.ScanTimeoutMs;
            _nextTrigger = now;
            _scanEnd = ScanEndNone;
            _announceScan = true;
            _scanAmountText = amountText;
            _scanner.ForgetLastCode();
            ShowScanCustomer(amountText);
        }

        private void PollScanner()
        {
            if (_scanner == null)
            {
                return;
            }

            // Read even when not waiting for a code, so that stale codes never pile up in the port.
            ScanOutcome outcome = _scanner.Poll(0);
            bool trigger = false;
            bool startJob = false;
            int end = ScanEndNone;
            string problem = null;
            Monitor.Enter(_gate);
            try
            {
                if (_phase != AppPhase.Scanning)
                {
                    return;
                }

                long now = Mono();
                if (_scanEnd != ScanEndNone)
                {
                    end = _scanEnd;
                }
                else if (outcome == ScanOutcome.Code)
                {
                    PaymentCodeVerdict verdict = _validator.Validate(_scanner.Code, 0, _scanner.CodeLength);
                    if (verdict == PaymentCodeVerdict.Ok)
                    {
                        _jobCode = _scanner.CodeToString();
                        _jobPending = true;
                        _jobReleased = true;
                        _phase = AppPhase.Running;
                        _stage = StageProcessing;
                        startJob = true;
                    }
                    else
                    {
                        problem = PaymentCodeValidator.Message(verdict);
                        _nextTrigger = now + _settings.ScanRetriggerMs;
                        trigger = true;
                    }
                }
                else if (outcome == ScanOutcome.Binary || outcome == ScanOutcome.Partial || outcome == ScanOutcome.Overlong)
                {
                    problem = "The code was not read completely";
                    _nextTrigger = now;
                }
                else if (now >= _scanDeadline)
                {
                    end = ScanEndTimedOut;
                }
                else if (now >= _nextTrigger)
                {
                    _nextTrigger = now + _settings.ScanRetriggerMs;
                    trigger = true;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (trigger)
            {
                _scanner.Trigger();
            }

            if (startJob)
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

                ShowProcessing("Payment code read");
                _jobSignal.Set();
            }
            else if (problem != null)
            {
                ShowScanProblem(problem);
                _hostLink.SendDeviceStatus("SCANNER", "CODE_REFUSED", problem);
            }
            else if (end != ScanEndNone)
            {
                EndScanWithoutCode(end);
            }
        }

        private void EndScanWithoutCode(int end)
        {
            PaymentResult r = new PaymentResult();
            Monitor.Enter(_gate);
            try
            {
                r.Reference = _jobReference;
                r.AmountMinor = _jobAmount;
                r.Currency = _jobCurrency;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            r.Kind = TransactionKind.SalePaymentCode;
            r.Status = FinalStatus.Cancelled;
            r.ResultCode = end == ScanEndAborted ? EngineCodes.Aborted : AppCodes.NoCode;
            r.Reason = end == ScanEndAborted ? EngineCodes.ReasonFor(EngineCodes.Aborted) : "No payment code scanned: nothing was charged";
            Report(r, false);
        }

        /// <summary>A refused code: the reason and what to do, in place of the scan screen (the scan goes on).</summary>
        private void ShowScanProblem(string problem)
        {
            Monitor.Enter(_screenGate);
            try
            {
                // Only our own previous scan problem can be pending here: the sale began by acknowledging.
                _painter.Acknowledge();
                if (_painter.ShowError(problem, RescanAction))
                {
                    ScreenVersion++;
                }
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }
        }
    }
}
