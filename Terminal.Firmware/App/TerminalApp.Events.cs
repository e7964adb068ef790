using System.Threading;
using Terminal.Firmware.Journal;
using Terminal.Firmware.Payments;
using Terminal.Firmware.Text;

namespace Terminal.Firmware.App
{
    /// <summary>What the payment engine reports, turned into screens and host-link events (worker thread).</summary>
    public sealed partial class TerminalApp
    {
        private const string StageProcessing = "PROCESSING";
        private const string StageWaiting = "WAITING_FOR_CUSTOMER";
        private const string StageCancelling = "CANCELLING";
        private const string StageScanning = "SCANNING";

        /// <summary>Under _gate: the reference events name (the job's, or none during boot recovery).</summary>
        private string EventReference()
        {
            return _phase == AppPhase.Running ? _jobReference : null;
        }

        /// <summary>
        /// Repeats the cashier's abort into the engine: an ABORT that arrived before the engine started the sale
        /// (which clears old abort requests) must still stop it.
        /// </summary>
        private void RepeatAbortIfAsked()
        {
            bool abort;
            Monitor.Enter(_gate);
            try
            {
                abort = _jobAbort && _phase == AppPhase.Running && _jobKind == JobKind.Sale;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (abort)
            {
                _engine.RequestAbort();
            }
        }

        private void OnEngineProcessing()
        {
            RepeatAbortIfAsked();
            string reference;
            Monitor.Enter(_gate);
            try
            {
                _stage = StageProcessing;
                reference = EventReference();
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            switch (_runKind)
            {
                case JobKind.Recover:
                    ShowProcessing("Checking a payment left open by a restart");
                    break;
                case JobKind.Refund:
                    ShowRefundProgress(ResultMapping.AmountText(_runAmount, _runCurrency));
                    break;
                case JobKind.Void:
                    ShowProcessing("Voiding the payment");
                    break;
                default:
                    ShowProcessing(_runMode == TransactionKind.SalePaymentCode ? "Payment code read: contacting the payment service" : "Creating the order");
                    _hostLink.SendProcessing(reference);
                    break;
            }
        }

        private void OnEngineShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            RepeatAbortIfAsked();
            string reference;
            Monitor.Enter(_gate);
            try
            {
                reference = EventReference();
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            ShowOrderCode(codeValue, offset, count, ResultMapping.AmountText(amountMinor, currency), expiresInMs);
            _hostLink.SendShowQr(reference, Utf8.Decode(codeValue, offset, count));
        }

        private void OnEngineWaiting()
        {
            RepeatAbortIfAsked();
            string reference;
            Monitor.Enter(_gate);
            try
            {
                _stage = StageWaiting;
                reference = EventReference();
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _hostLink.SendWaitingForCustomer(reference);
        }

        private void OnEngineCancelling()
        {
            Monitor.Enter(_gate);
            try
            {
                _stage = StageCancelling;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            ShowProcessing("Cancelling the payment");
        }

        /// <summary>The engine's events; a separate object so that TerminalApp does not expose them.</summary>
        private sealed class EngineEvents : IPaymentEvents
        {
            private readonly TerminalApp _app;

            public EngineEvents(TerminalApp app)
            {
                _app = app;
            }

            public void OnProcessing()
            {
                _app.OnEngineProcessing();
            }

            public void OnShowQr(byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
            {
                _app.OnEngineShowQr(codeValue, offset, count, amountMinor, currency, expiresInMs);
            }

            public void OnWaitingForCustomer()
            {
                _app.OnEngineWaiting();
            }

            public void OnCancelling()
            {
                _app.OnEngineCancelling();
            }

            public void OnResult(PaymentResult result)
            {
                _app.Report(result, false);
            }

            public void OnNeedsReview(PaymentResult result)
            {
                _app.Report(result, true);
            }
        }
    }
}
