using Terminal.Drivers.Qr;
using Terminal.Firmware.Screens;
using Terminal.NanoRunner.Gateway;
using Terminal.NanoRunner.Ports;
using Terminal.NanoRunner.Scenario;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;
using Terminal.Payments.Journal;

namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// The terminal's own work per payment step, against recorded gateway answers: a CPM pay (build and sign the
    /// request, verify and parse the answer, classify it), one poll iteration (the same for an inquiry answered
    /// PROCESSING), and the order-code QR encode (all eight masks scored, as the terminal does).
    /// </summary>
    public sealed class TerminalWorkloads
    {
        private readonly AntomClient _client;
        private readonly ReplayExchange _replay;
        private readonly InMemoryGateway _gateway;
        private readonly TransactionRecord _sale;
        private readonly TransactionRecord _pending;
        private readonly QrEncoder _encoder = new QrEncoder(10);
        private readonly byte[] _codeValue;
        private readonly QrErrorCorrection _ecc;
        private readonly int _version;

        public TerminalWorkloads()
        {
            ScenarioRig rig = new ScenarioRig();
            _gateway = rig.Gateway;
            _replay = new ReplayExchange(rig.Gateway);
            _client = new AntomClient(rig.Config.Payments, _replay, new PortableMac(rig.Config.Device.Key), rig.Clock, rig.Log);
            _sale = Sale("T0042000000000001A4F09C2E7", "R-1001", SaleSteps.FirstCustomerCode);
            _pending = Sale("T0042000000000002B85D1E3F0", "R-1002", SaleSteps.SecondCustomerCode);

            string url = rig.Gateway.CodeValue;
            _codeValue = new byte[url.Length];
            for (int i = 0; i < url.Length; i++)
            {
                _codeValue[i] = (byte)url[i];
            }

            QrFit fit = new QrFit(_encoder);
            fit.TryFit(_codeValue, 0, _codeValue.Length, QrLayout.AreaSize, QrLayout.AreaSize, QrLayout.QuietModules);
            _ecc = fit.ErrorCorrection;
            _version = fit.Version;
        }

        private static TransactionRecord Sale(string requestId, string reference, string code)
        {
            TransactionRecord sale = new TransactionRecord();
            sale.Kind = TransactionKind.SalePaymentCode;
            sale.AmountMinor = 1280;
            sale.Currency.SetAscii(ScenarioRig.Currency);
            sale.Reference.SetAscii(reference);
            sale.PaymentCode.SetAscii(code);
            sale.RequestId.SetAscii(requestId);
            sale.CreatedEpochMs = ManualClock.StartEpochMs;
            return sale;
        }

        public int CodeValueLength
        {
            get { return _codeValue.Length; }
        }

        /// <summary>The gateway's order code.</summary>
        public string CodeValue
        {
            get { return _gateway.CodeValue; }
        }

        public IWorkload CpmSale()
        {
            return new Pay(this);
        }

        public IWorkload PollIteration()
        {
            return new Poll(this);
        }

        public IWorkload QrEncode()
        {
            return new Encode(this);
        }

        private sealed class Pay : IWorkload
        {
            private readonly TerminalWorkloads _w;

            public Pay(TerminalWorkloads w)
            {
                _w = w;
                _w._replay.Record();
            }

            /// <summary>The sale is paid by this pay (S SUCCESS naming our paymentRequestId).</summary>
            public bool RunOnce()
            {
                AntomResponse r = _w._client.Response;
                return _w._client.Pay(_w._sale) == CallOutcome.Answered
                    && ResultTable.Classify(r.ResultStatus, r.ResultCodeIndex, AntomApi.Pay) == ResultAction.FinalSuccess
                    && r.PaymentRequestId.Equals(_w._sale.RequestId);
            }
        }

        private sealed class Poll : IWorkload
        {
            private readonly TerminalWorkloads _w;

            /// <summary>Creates a payment the customer has not confirmed yet, then records an inquiry about it.</summary>
            public Poll(TerminalWorkloads w)
            {
                _w = w;
                _w._gateway.NextInquiriesUntilPaid = 1000000;
                _w._replay.Record();
                _w._client.Pay(_w._pending);
                _w._replay.Record();
            }

            public bool RunOnce()
            {
                AntomResponse r = _w._client.Response;
                return _w._client.InquiryPayment(_w._pending) == CallOutcome.Answered
                    && ResultTable.Classify(r.ResultStatus, r.ResultCodeIndex, AntomApi.InquiryPayment) == ResultAction.FinalSuccess
                    && r.PaymentStatus == RemoteStatus.Processing;
            }
        }

        private sealed class Encode : IWorkload
        {
            private readonly TerminalWorkloads _w;

            public Encode(TerminalWorkloads w)
            {
                _w = w;
            }

            public bool RunOnce()
            {
                QrCode code;
                return _w._encoder.TryEncode(_w._codeValue, 0, _w._codeValue.Length, _w._ecc, _w._version, _w._version, -1, false, out code)
                    && code.Version == _w._version;
            }
        }
    }
}
