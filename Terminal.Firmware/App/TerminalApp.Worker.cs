using System;
using System.Threading;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Journal;
using Terminal.Firmware.Payments;
using Terminal.Firmware.Ports;

namespace Terminal.Firmware.App
{
    /// <summary>
    /// The job slot and the worker thread: one engine operation at a time. A job is queued by a host-link request
    /// or a scanned code (main loop), released to the worker after the request's reply has been sent (so OK comes
    /// before the events it causes), and ends with exactly one reported result.
    /// </summary>
    public sealed partial class TerminalApp
    {
        private enum JobKind
        {
            None = 0,
            Recover = 1,
            Sale = 2,
            Refund = 3,
            Void = 4,
        }

        // ---- the job slot (under _gate) ----
        private JobKind _jobKind;
        private int _jobSeq;
        private bool _jobPending;
        private bool _jobReleased;
        private bool _jobAbort;
        private bool _workerBusy;
        private TransactionKind _jobMode;
        private long _jobAmount;
        private string _jobCurrency;
        private string _jobReference;
        private string _jobCode;
        private string _stage;

        // The last result reported (to report a result the engine returned without an event exactly once) and its
        // host-link form (LAST).
        private PaymentResult _lastReported;
        private HostLinkResult _lastResult;

        // ---- the job being run (worker thread only) ----
        private JobKind _runKind;
        private int _runSeq;
        private TransactionKind _runMode;
        private long _runAmount;
        private string _runCurrency;
        private string _runReference;
        private string _runCode;

        /// <summary>Under _gate: fills the slot for a new job; the caller sets the fields it needs after.</summary>
        private void QueueJob(JobKind kind)
        {
            _jobSeq++;
            _jobKind = kind;
            _jobPending = true;
            _jobReleased = false;
            _jobAbort = false;
            _stage = null;
        }

        /// <summary>Main loop, after the host-link replies of this pass: lets the worker take the queued job.</summary>
        private void ReleaseQueuedJob()
        {
            bool signal = false;
            bool announceScan = false;
            string reference = null;
            Monitor.Enter(_gate);
            try
            {
                if (_jobPending && !_jobReleased)
                {
                    _jobReleased = true;
                    signal = true;
                }

                if (_announceScan)
                {
                    _announceScan = false;
                    announceScan = _phase == AppPhase.Scanning;
                    reference = _jobReference;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (signal)
            {
                _jobSignal.Set();
            }

            if (announceScan)
            {
                _hostLink.SendWaitingForCustomer(reference);
            }
        }

        private void WorkerMain()
        {
            while (!Stopping)
            {
                try
                {
                    if (!TakeJob())
                    {
                        _jobSignal.WaitOne(_settings.WorkerIdleWaitMs, false);
                        continue;
                    }

                    RunTakenJob();
                }
                catch (Exception e)
                {
                    _workerFaults++;
                    Log(LogLevel.Error, "app: worker fault " + e.GetType().Name + ": " + e.Message);
                    EndJobAfterFault();
                }
            }
        }

        private bool TakeJob()
        {
            Monitor.Enter(_gate);
            try
            {
                if (!_jobPending || !_jobReleased)
                {
                    return false;
                }

                _jobPending = false;
                _workerBusy = true;
                _runKind = _jobKind;
                _runSeq = _jobSeq;
                _runMode = _jobMode;
                _runAmount = _jobAmount;
                _runCurrency = _jobCurrency;
                _runReference = _jobReference;
                _runCode = _jobCode;
                return true;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private void RunTakenJob()
        {
            PaymentResult result = null;
            switch (_runKind)
            {
                case JobKind.Recover:
                    int finished = _engine.RecoverAll();
                    Log(LogLevel.Info, "app: boot recovery finished " + finished + " transaction(s)");
                    break;

                case JobKind.Sale:
                    _saleRequest.Mode = _runMode;
                    _saleRequest.AmountMinor = _runAmount;
                    _saleRequest.Currency = _runCurrency;
                    _saleRequest.Reference = _runReference;
                    _saleRequest.PaymentCode = _runCode;
                    result = _engine.RunSale(_saleRequest);
                    break;

                case JobKind.Refund:
                    result = _engine.Refund(_runReference, _runAmount);
                    break;

                case JobKind.Void:
                    result = _engine.Void(_runReference);
                    break;
            }

            EndJob(result);
        }

        /// <summary>Reports a result the engine returned without an event, then frees the slot.</summary>
        private void EndJob(PaymentResult result)
        {
            bool report;
            Monitor.Enter(_gate);
            try
            {
                report = result != null && result != _lastReported && !Stopping;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (report)
            {
                Report(result, result.Status == FinalStatus.NeedsReview);
            }

            FreeSlot();
        }

        /// <summary>
        /// An exception escaped the engine (it catches its own): the outcome of a running sale, refund or void is
        /// unknown, so it is reported for review, never as success or failure.
        /// </summary>
        private void EndJobAfterFault()
        {
            bool report;
            Monitor.Enter(_gate);
            try
            {
                report = _workerBusy && _runSeq == _jobSeq && _phase == AppPhase.Running && !Stopping;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (report)
            {
                PaymentResult r = new PaymentResult();
                r.Kind = _runKind == JobKind.Refund ? TransactionKind.Refund : _runKind == JobKind.Void ? TransactionKind.Void : _runMode;
                r.Status = FinalStatus.NeedsReview;
                r.ResultCode = EngineCodes.InternalError;
                r.Reason = EngineCodes.ReasonFor(EngineCodes.InternalError);
                r.Reference = _runReference;
                r.AmountMinor = _runAmount;
                r.Currency = _runCurrency;
                Report(r, true);
            }

            FreeSlot();
        }

        private void FreeSlot()
        {
            Monitor.Enter(_gate);
            try
            {
                _workerBusy = false;
                if (_runSeq == _jobSeq && (_phase == AppPhase.Running || _phase == AppPhase.Recovering))
                {
                    _phase = AppPhase.Idle;
                    _stage = null;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>
        /// Reports a final result: LAST, the screen, the observer, then the host link (NEEDS_REVIEW first when set). A result of the current job frees the terminal for the next request BEFORE the RESULT line is
        /// sent, so a register that answers RESULT with a new SALE is never told BUSY.
        /// </summary>
        private void Report(PaymentResult result, bool needsReview)
        {
            HostLinkResult line;
            Monitor.Enter(_gate);
            try
            {
                bool mine = BelongsToJob(result);
                line = ResultMapping.ToHostLink(result, mine ? _jobReference : null, mine ? _jobAmount : 0, mine ? _jobCurrency : _config.Currency);
                _lastReported = result;
                _lastResult = line;
                if (mine)
                {
                    _phase = AppPhase.Idle;
                    _stage = null;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            ShowResultScreen(result, line);
            PaymentResultHandler observer = ResultObserver;
            if (observer != null)
            {
                observer(result);
            }

            if (needsReview)
            {
                _hostLink.SendNeedsReview(line.Reference, result.Reason);
            }

            _hostLink.SendResult(line);
        }

        /// <summary>Under _gate: whether the result ends the sale, refund or void the terminal is busy with.</summary>
        private bool BelongsToJob(PaymentResult result)
        {
            if (_phase != AppPhase.Running && _phase != AppPhase.Scanning)
            {
                return false;
            }

            if (result.Number == 0)
            {
                return true;
            }

            JobKind kind = result.Kind == TransactionKind.Refund ? JobKind.Refund : result.Kind == TransactionKind.Void ? JobKind.Void : JobKind.Sale;
            return kind == _jobKind && result.Reference == _jobReference;
        }

        private static string JobWord(JobKind kind)
        {
            switch (kind)
            {
                case JobKind.Refund:
                    return "REFUND";
                case JobKind.Void:
                    return "VOID";
                case JobKind.Recover:
                    return "RECOVERING";
                default:
                    return "SALE";
            }
        }
    }
}
