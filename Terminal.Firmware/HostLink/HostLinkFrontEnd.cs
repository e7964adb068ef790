using System.Threading;
using Terminal.Core.Text;
using Terminal.Drivers.Ports;
using Terminal.Payments.Journal;
using Terminal.Transactions;

namespace Terminal.Firmware.HostLink
{
    /// <summary>
    /// The host link as a front end of the transaction desk: SALE, ABORT, REFUND and VOID go to the desk, STATUS,
    /// DIAG and SELFTEST to the sources the terminal gives it, and the desk's progress and results go out as events
    /// (docs/host-link.md). A keypad menu or a vending controller is another front end of the same desk.
    /// </summary>
    public sealed class HostLinkFrontEnd : IHostLinkHandler, IResultSubscriber, IProgressSubscriber, IResolutionSubscriber
    {
        private readonly TransactionDesk _desk;
        private readonly HostLinkServer _server;
        private readonly StatusSource _status;
        private readonly DiagnosticsSource _diagnostics;
        private readonly SelfTestRunner _selfTest;

        // LAST's line, made once per result (guards the two fields below).
        private readonly object _lastGate = new object();
        private DeskResult _lastMapped;
        private HostLinkResult _lastLine;

        public HostLinkFrontEnd(ISerialPort port, TransactionDesk desk, StatusSource status, DiagnosticsSource diagnostics, SelfTestRunner selfTest)
        {
            if (desk == null)
            {
                throw new System.ArgumentNullException("desk");
            }

            if (status == null || diagnostics == null || selfTest == null)
            {
                throw new System.ArgumentNullException(status == null ? "status" : diagnostics == null ? "diagnostics" : "selfTest");
            }

            _desk = desk;
            _status = status;
            _diagnostics = diagnostics;
            _selfTest = selfTest;
            _server = new HostLinkServer(port, this);
        }

        /// <summary>The line protocol's end (its counters appear in DIAG; DEVICE events go through it).</summary>
        public HostLinkServer Server
        {
            get { return _server; }
        }

        /// <summary>Main loop: answers what the controller sent, waiting at most <paramref name="timeoutMs"/> for bytes.</summary>
        public int Poll(int timeoutMs)
        {
            return _server.Poll(timeoutMs);
        }

        // ---- requests (host-link thread) ----

        public bool IsBusy
        {
            get { return _desk.IsBusy; }
        }

        public HostLinkAnswer StartSale(long amountMinor, string currency, HostLinkSaleMode mode, string reference, out string detail)
        {
            TransactionKind kind = mode == HostLinkSaleMode.Cpm ? TransactionKind.SalePaymentCode : TransactionKind.SaleOrderCode;
            return AnswerOf(_desk.StartSale(amountMinor, currency, kind, reference, out detail));
        }

        public HostLinkAnswer Abort(out string detail)
        {
            return AnswerOf(_desk.Abort(out detail));
        }

        public HostLinkAnswer Refund(string reference, string paymentId, long amountMinor, out string detail)
        {
            return AnswerOf(_desk.Refund(reference, paymentId, amountMinor, out detail));
        }

        public HostLinkAnswer Void(string reference, string paymentId, out string detail)
        {
            return AnswerOf(_desk.Void(reference, paymentId, out detail));
        }

        public string Status()
        {
            return _status();
        }

        public HostLinkResult Last()
        {
            return LineOf(_desk.Last);
        }

        public string[] Diagnostics()
        {
            return _diagnostics();
        }

        public void SelfTest(HostLinkInfoWriter info, out int passed, out int failed)
        {
            _selfTest(info, out passed, out failed);
        }

        // ---- the desk's progress and results (events) ----

        public void OnAccepted(TransactionJob job)
        {
        }

        public void OnWaitingForCustomer(TransactionJob job, string reference)
        {
            _server.SendWaitingForCustomer(reference);
        }

        public void OnCodeRefused(TransactionJob job, string problem)
        {
            _server.SendDeviceStatus("SCANNER", "CODE_REFUSED", problem);
        }

        public void OnCodeRead(TransactionJob job)
        {
        }

        public void OnProcessing(TransactionJob job, string reference)
        {
            if (job.Kind == JobKind.Sale)
            {
                _server.SendProcessing(reference);
            }
        }

        public void OnShowQr(TransactionJob job, string reference, byte[] codeValue, int offset, int count, long amountMinor, string currency, int expiresInMs)
        {
            _server.SendShowQr(reference, Utf8.Decode(codeValue, offset, count));
        }

        public void OnCancelling(TransactionJob job)
        {
        }

        /// <summary>NEEDS_REVIEW first when the outcome could not be confirmed, then RESULT.</summary>
        public void OnResult(DeskResult result)
        {
            HostLinkResult line = LineOf(result);
            if (result.NeedsReview)
            {
                _server.SendNeedsReview(line.Reference, result.Payment.Reason);
            }

            _server.SendResult(line);
        }

        /// <summary>RESOLVED: the gateway found the final status of a transaction announced as NEEDS_REVIEW.</summary>
        public void OnResolved(DeskResult resolved)
        {
            _server.SendResolved(HostLinkResultMapping.From(resolved));
        }

        private HostLinkResult LineOf(DeskResult result)
        {
            if (result == null)
            {
                return null;
            }

            Monitor.Enter(_lastGate);
            try
            {
                if (result != _lastMapped)
                {
                    _lastLine = HostLinkResultMapping.From(result);
                    _lastMapped = result;
                }

                return _lastLine;
            }
            finally
            {
                Monitor.Exit(_lastGate);
            }
        }

        private static HostLinkAnswer AnswerOf(DeskAnswer answer)
        {
            switch (answer)
            {
                case DeskAnswer.Accepted:
                    return HostLinkAnswer.Accepted;
                case DeskAnswer.Busy:
                    return HostLinkAnswer.Busy;
                case DeskAnswer.NoSale:
                    return HostLinkAnswer.NoSale;
                case DeskAnswer.NotFound:
                    return HostLinkAnswer.NotFound;
                default:
                    return HostLinkAnswer.Refused;
            }
        }
    }
}
