using System;
using System.Threading;
using Terminal.Firmware.Diagnostics;
using Terminal.Firmware.HostLink;
using Terminal.Firmware.Journal;
using Terminal.Firmware.Payments;

namespace Terminal.Firmware.App
{
    /// <summary>Host-link requests (main-loop thread): start, stop and look up transactions.</summary>
    public sealed partial class TerminalApp
    {
        private HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail)
        {
            detail = null;
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    detail = BusyDetail();
                    return HostLinkAnswer.Busy;
                }

                if (currency != _config.Currency)
                {
                    detail = "this terminal sells in " + _config.Currency;
                    return HostLinkAnswer.Refused;
                }

                if (mode == HostLinkSaleMode.Cpm && _scanner == null)
                {
                    detail = "no scanner fitted: use MPM";
                    return HostLinkAnswer.Refused;
                }

                QueueJob(JobKind.Sale);
                _jobMode = mode == HostLinkSaleMode.Cpm ? TransactionKind.SalePaymentCode : TransactionKind.SaleOrderCode;
                _jobAmount = amountMinor;
                _jobCurrency = currency;
                _jobReference = reference;
                _jobCode = null;
                string amountText = ResultMapping.AmountText(amountMinor, currency);

                // The register moving on to the next sale means the previous result was seen.
                AcknowledgeScreen();
                if (mode == HostLinkSaleMode.Mpm)
                {
                    _phase = AppPhase.Running;
                    _stage = StageProcessing;
                    ShowProcessing("Creating the order");
                    return HostLinkAnswer.Accepted;
                }

                // Customer-presented: the code is read first; the engine gets the job only with a valid code.
                _jobPending = false;
                _phase = AppPhase.Scanning;
                _stage = StageScanning;
                BeginScan(amountText);
                return HostLinkAnswer.Accepted;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>ABORT and the cancel key. The sale's RESULT follows (CANCELLED, or SUCCESS if already paid).</summary>
        private HostLinkAnswer AbortCurrent(out string detail)
        {
            detail = null;
            Monitor.Enter(_gate);
            try
            {
                if (_phase == AppPhase.Scanning)
                {
                    _scanEnd = ScanEndAborted;
                    return HostLinkAnswer.Accepted;
                }

                if (_phase == AppPhase.Running && _jobKind == JobKind.Sale)
                {
                    _jobAbort = true;
                    _engine.RequestAbort();
                    return HostLinkAnswer.Accepted;
                }

                if (_phase == AppPhase.Running)
                {
                    detail = "a refund or void cannot be stopped; its result follows";
                    return HostLinkAnswer.Refused;
                }

                if (_phase == AppPhase.Recovering)
                {
                    detail = "finishing transactions left open by a restart";
                    return HostLinkAnswer.Refused;
                }

                return HostLinkAnswer.NoSale;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private HostLinkAnswer StartRefundOrVoid(JobKind kind, string reference, string paymentId, long amountMinor, out string detail)
        {
            detail = null;
            Monitor.Enter(_gate);
            try
            {
                if (IsBusyUnderGate())
                {
                    detail = BusyDetail();
                    return HostLinkAnswer.Busy;
                }

                // Safe here: the engine is done with its last operation (its result was reported) and only this thread queues jobs.
                string saleReference = paymentId != null ? FindReferenceByPaymentId(paymentId) : (_engine.FindByReference(reference) != null ? reference : null);
                if (saleReference == null)
                {
                    detail = "no sale with this " + (paymentId != null ? "payment id" : "reference") + " in the terminal's journal";
                    return HostLinkAnswer.NotFound;
                }

                QueueJob(kind);
                _jobMode = kind == JobKind.Refund ? TransactionKind.Refund : TransactionKind.Void;
                _jobAmount = amountMinor;
                _jobCurrency = _config.Currency;
                _jobReference = saleReference;
                _jobCode = null;
                _phase = AppPhase.Running;
                _stage = StageProcessing;
                AcknowledgeScreen();
                if (kind == JobKind.Refund)
                {
                    ShowRefundProgress(ResultMapping.AmountText(amountMinor, _config.Currency));
                }
                else
                {
                    ShowProcessing("Voiding the payment");
                }

                return HostLinkAnswer.Accepted;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        /// <summary>Under _gate, worker idle: the register reference of the journaled sale with this paymentId.</summary>
        private string FindReferenceByPaymentId(string paymentId)
        {
            for (int i = _engine.Journal.Count - 1; i >= 0; i--)
            {
                TransactionRecord r = _engine.Journal.Get(i);
                if (r.IsSale && r.PaymentId.EqualsAscii(paymentId))
                {
                    return r.Reference.IsEmpty ? null : r.Reference.ToString();
                }
            }

            return null;
        }

        /// <summary>
        /// Under _gate. The worker may still be returning from the engine call whose result was just reported; the
        /// engine touches nothing after reporting, so the next request is taken and waits in the slot.
        /// </summary>
        private bool IsBusyUnderGate()
        {
            return _phase != AppPhase.Idle || _jobPending;
        }

        private string BusyDetail()
        {
            switch (_phase)
            {
                case AppPhase.Recovering:
                    return "finishing transactions left open by a restart";
                case AppPhase.Booting:
                    return "starting up";
                case AppPhase.Scanning:
                    return "waiting for the customer's payment code";
                case AppPhase.Running:
                    return JobWord(_jobKind) + " " + _jobReference + " in progress";
                default:
                    return "finishing the previous transaction";
            }
        }

        private HostLinkResult LastResult()
        {
            Monitor.Enter(_gate);
            try
            {
                return _lastResult;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private string[] DiagnosticLines()
        {
            string scanner = _scanner == null ? "scanner absent" : "scanner " + _scanner.StatusMessage;
            string display;
            Monitor.Enter(_screenGate);
            try
            {
                display = "display " + (_display.Status == Drivers.Display.DisplayStatus.Ok ? "ok" : _display.Status == Drivers.Display.DisplayStatus.WriteFailed ? "write failed" : "not initialised")
                    + " retries=" + _display.Retries + " failures=" + _display.Failures
                    + (_display.LastError == null ? string.Empty : " last error: " + _display.LastError);
            }
            finally
            {
                Monitor.Exit(_screenGate);
            }

            string[] lines = new string[]
            {
                "firmware " + Version + " device " + _config.DeviceId + " currency " + _config.Currency,
                "gateway " + _config.GatewayUrl,
                "state " + StatusText(),
                scanner,
                display,
                "faults main=" + _loopFaults + " worker=" + _workerFaults,
            };
            DiagnosticsSource platform = PlatformDiagnostics;
            string[] extra = platform == null ? null : platform();
            if (extra == null || extra.Length == 0)
            {
                return lines;
            }

            string[] all = new string[lines.Length + extra.Length];
            Array.Copy(lines, all, lines.Length);
            Array.Copy(extra, 0, all, lines.Length, extra.Length);
            return all;
        }

        /// <summary>The host link's view of the app; a separate object so that TerminalApp does not expose it.</summary>
        private sealed class HostLinkHandler : IHostLinkHandler
        {
            private readonly TerminalApp _app;

            public HostLinkHandler(TerminalApp app)
            {
                _app = app;
            }

            public bool IsBusy
            {
                get
                {
                    Monitor.Enter(_app._gate);
                    try
                    {
                        return _app.IsBusyUnderGate();
                    }
                    finally
                    {
                        Monitor.Exit(_app._gate);
                    }
                }
            }

            public HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail)
            {
                return _app.StartSale(amountMinor, currency, mode, reference, out detail);
            }

            public HostLinkAnswer Abort(out string detail)
            {
                return _app.AbortCurrent(out detail);
            }

            public HostLinkAnswer Refund(string reference, string paymentId, long amountMinor, out string detail)
            {
                return _app.StartRefundOrVoid(JobKind.Refund, reference, paymentId, amountMinor, out detail);
            }

            public HostLinkAnswer Void(string reference, string paymentId, out string detail)
            {
                return _app.StartRefundOrVoid(JobKind.Void, reference, paymentId, 0, out detail);
            }

            public string Status()
            {
                return _app.StatusText();
            }

            public HostLinkResult Last()
            {
                return _app.LastResult();
            }

            public string[] Diagnostics()
            {
                return _app.DiagnosticLines();
            }

            public void SelfTest(HostLinkInfoWriter info, out int passed, out int failed)
            {
                SelfTestReport report = Terminal.Firmware.Diagnostics.SelfTest.RunAll(delegate(string line) { info(line); });
                passed = report.Passed;
                failed = report.Failed;
            }
        }
    }
}
