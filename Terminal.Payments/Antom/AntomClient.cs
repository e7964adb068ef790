using Terminal.Core.Json;
using Terminal.Core.Ports;
using Terminal.Core.Text;
using Terminal.Payments.Config;
using Terminal.Payments.Journal;

namespace Terminal.Payments.Antom
{
    /// <summary>
    /// Builds, signs, sends and checks the five Antom calls the terminal makes (docs/antom-protocol.md section 3), with the
    /// exact field names and string-valued amounts. Each body is serialized ONCE into the preallocated request
    /// buffer, and those exact bytes are signed and sent; a retry re-serializes the same record, which yields the
    /// same bytes (the body holds no clock reading but the journaled creation time).
    /// </summary>
    /// <remarks>
    /// A call returns <see cref="CallOutcome.Answered"/> only for HTTP 200 with a verified HS256 signature, a
    /// well-formed body and, when the body names a request id, OUR request id; everything else is
    /// <see cref="CallOutcome.Unknown"/> (or NotSent / Throttled) and is logged. Allocation-free per call on
    /// the success path; not thread-safe (the engine's worker thread owns it).
    /// </remarks>
    public sealed class AntomClient
    {
        private readonly PaymentsConfig _config;
        private readonly IHttpExchange _http;
        private readonly IClock _clock;
        private readonly ILog _log;
        private readonly HttpExchange _exchange;
        private readonly Hs256Signer _signer;
        private readonly JsonWriter _writer;
        private readonly ResponseParser _parser;
        private readonly AntomResponse _response;
        private readonly byte[] _isoTime = new byte[IsoTime.FormattedLength];

        public AntomClient(PaymentsConfig config, IHttpExchange http, IMac mac, IClock clock, ILog log)
        {
            _config = config;
            _http = http;
            _clock = clock;
            _log = log;
            _exchange = new HttpExchange(config.Network.RequestBufferBytes, config.Network.ResponseBufferBytes, Hs256Signer.ReservedBytes);
            _signer = new Hs256Signer(mac, config.Device.DeviceId, config.Device.KeyVersion);
            _writer = new JsonWriter(_exchange.RequestBuffer);
            _parser = new ResponseParser(config.Network.ResponseBufferBytes);
            _response = new AntomResponse(config.Engine.CodeValueBytes);
        }

        /// <summary>The parsed answer of the last call that returned <see cref="CallOutcome.Answered"/>.</summary>
        public AntomResponse Response
        {
            get { return _response; }
        }

        /// <summary>The exchange buffers (tests and diagnostics read the last request and response).</summary>
        public HttpExchange Exchange
        {
            get { return _exchange; }
        }

        /// <summary>pay: OrderCode for <see cref="TransactionKind.SaleOrderCode"/>, PaymentCode otherwise.</summary>
        public CallOutcome Pay(TransactionRecord sale)
        {
            bool orderCode = sale.Kind == TransactionKind.SaleOrderCode;
            JsonWriter w = Begin();
            w.WriteString("productCode", "IN_STORE_PAYMENT");
            WriteText(w, "paymentRequestId", sale.RequestId);
            WriteAmount(w, "paymentAmount", sale.AmountMinor, sale.Currency);
            w.StartObject("paymentMethod");
            w.WriteString("paymentMethodType", "CONNECT_WALLET");
            if (!orderCode)
            {
                WriteText(w, "paymentMethodId", sale.PaymentCode);
            }

            w.EndObject();
            w.StartObject("paymentFactor");
            w.WriteString("inStorePaymentScenario", orderCode ? "OrderCode" : "PaymentCode");
            w.EndObject();
            w.StartObject("order");
            WriteText(w, "referenceOrderId", sale.Reference.IsEmpty ? sale.RequestId : sale.Reference);
            w.WriteString("orderDescription", _config.Merchant.OrderDescription);
            WriteAmount(w, "orderAmount", sale.AmountMinor, sale.Currency);
            WriteMerchant(w);
            if (!orderCode)
            {
                w.StartObject("env");
                w.WriteString("storeTerminalId", _config.EffectiveTerminalId);
                int n = IsoTime.FormatUtc(sale.CreatedEpochMs, _isoTime, 0);
                w.WriteString("storeTerminalRequestTime", _isoTime, 0, n);
                w.EndObject();
            }

            w.EndObject();
            w.EndObject();
            CallOutcome outcome = Execute(AntomApi.Pay);
            return CheckPayment(outcome, sale);
        }

        /// <summary>inquiryPayment by paymentRequestId.</summary>
        public CallOutcome InquiryPayment(TransactionRecord sale)
        {
            JsonWriter w = Begin();
            WriteText(w, "paymentRequestId", sale.RequestId);
            w.EndObject();
            return CheckPayment(Execute(AntomApi.InquiryPayment), sale);
        }

        /// <summary>cancel by paymentRequestId (the sale's, for voids too).</summary>
        public CallOutcome Cancel(TextField paymentRequestId)
        {
            JsonWriter w = Begin();
            WriteText(w, "paymentRequestId", paymentRequestId);
            w.EndObject();
            CallOutcome outcome = Execute(AntomApi.Cancel);
            if (outcome == CallOutcome.Answered && !_response.PaymentRequestId.IsEmpty && !_response.PaymentRequestId.Equals(paymentRequestId))
            {
                Log(LogLevel.Warning, "antom: cancel answer names another paymentRequestId");
                return CallOutcome.Unknown;
            }

            return outcome;
        }

        /// <summary>refund of the sale's paymentId by refundRequestId.</summary>
        public CallOutcome Refund(TransactionRecord refund)
        {
            JsonWriter w = Begin();
            WriteText(w, "refundRequestId", refund.RequestId);
            WriteText(w, "paymentId", refund.PaymentId);
            WriteAmount(w, "refundAmount", refund.AmountMinor, refund.Currency);
            w.EndObject();
            return CheckRefund(Execute(AntomApi.Refund), refund);
        }

        /// <summary>inquiryRefund by refundRequestId.</summary>
        public CallOutcome InquiryRefund(TransactionRecord refund)
        {
            JsonWriter w = Begin();
            WriteText(w, "refundRequestId", refund.RequestId);
            w.EndObject();
            return CheckRefund(Execute(AntomApi.InquiryRefund), refund);
        }

        private JsonWriter Begin()
        {
            _writer.Reset();
            _writer.StartObject();
            return _writer;
        }

        /// <summary>Moves the body behind the reserved bytes, signs, sends, verifies and parses.</summary>
        private CallOutcome Execute(AntomApi api)
        {
            int length = _writer.Length;
            if (length > _exchange.RequestBodyCapacity)
            {
                throw new JsonBufferTooSmallException(length, _exchange.RequestBodyCapacity);
            }

            MoveRight(_exchange.RequestBuffer, length, _exchange.RequestBodyOffset);
            _exchange.RequestBodyLength = length;
            _signer.Sign(_exchange, AntomPaths.For(api), _clock.UtcNowMs());
            _exchange.ClearResponse();
            _response.Clear();

            HttpExchangeStatus status;
            try
            {
                status = _http.Send(_exchange, _config.Network.HttpTimeoutMs);
            }
            catch (System.Exception e)
            {
                Log(LogLevel.Error, "antom: transport threw " + e.Message);
                return CallOutcome.Unknown;
            }

            if (status == HttpExchangeStatus.ConnectFailed || status == HttpExchangeStatus.TimeoutBeforeSend)
            {
                Log(LogLevel.Warning, "antom: request not sent");
                return CallOutcome.NotSent;
            }

            if (status != HttpExchangeStatus.Completed)
            {
                Log(LogLevel.Warning, status == HttpExchangeStatus.ResponseTooLarge
                    ? "antom: response larger than the response buffer"
                    : "antom: no complete response");
                return CallOutcome.Unknown;
            }

            int code = _exchange.StatusCode;
            if (code == 429)
            {
                Log(LogLevel.Warning, "antom: HTTP 429, backing off");
                return CallOutcome.Throttled;
            }

            if (code != 200)
            {
                Log(LogLevel.Warning, "antom: HTTP status " + code);
                return CallOutcome.Unknown;
            }

            if (!_signer.Verify(_exchange))
            {
                Log(LogLevel.Warning, "antom: response signature missing or wrong; untrusted");
                return CallOutcome.Unknown;
            }

            if (!_parser.Parse(_exchange.ResponseBuffer, _exchange.ResponseBodyOffset, _exchange.ResponseBodyLength, _response))
            {
                Log(LogLevel.Warning, "antom: malformed response body");
                return CallOutcome.Unknown;
            }

            long responseTime;
            if (AsciiNumber.TryParse(_exchange.ResponseTime, 0, _exchange.ResponseTimeLength, out responseTime))
            {
                _response.HasResponseTime = true;
                _response.ResponseEpochMs = responseTime;
            }

            return CallOutcome.Answered;
        }

        /// <summary>An answer about a payment must be about OUR payment, for OUR amount.</summary>
        private CallOutcome CheckPayment(CallOutcome outcome, TransactionRecord sale)
        {
            if (outcome != CallOutcome.Answered)
            {
                return outcome;
            }

            if (!_response.PaymentRequestId.IsEmpty && !_response.PaymentRequestId.Equals(sale.RequestId))
            {
                Log(LogLevel.Warning, "antom: answer names another paymentRequestId; untrusted");
                return CallOutcome.Unknown;
            }

            if (_response.HasAmount && (_response.AmountValue != sale.AmountMinor || !_response.AmountCurrency.Equals(sale.Currency)))
            {
                Log(LogLevel.Warning, "antom: answer names another amount; untrusted");
                return CallOutcome.Unknown;
            }

            return outcome;
        }

        private CallOutcome CheckRefund(CallOutcome outcome, TransactionRecord refund)
        {
            if (outcome != CallOutcome.Answered)
            {
                return outcome;
            }

            if (!_response.RefundRequestId.IsEmpty && !_response.RefundRequestId.Equals(refund.RequestId))
            {
                Log(LogLevel.Warning, "antom: answer names another refundRequestId; untrusted");
                return CallOutcome.Unknown;
            }

            if (_response.HasAmount && (_response.AmountValue != refund.AmountMinor || !_response.AmountCurrency.Equals(refund.Currency)))
            {
                Log(LogLevel.Warning, "antom: answer names another refund amount; untrusted");
                return CallOutcome.Unknown;
            }

            return outcome;
        }

        private void WriteMerchant(JsonWriter w)
        {
            if (IsEmpty(_config.Merchant.MerchantId))
            {
                return; // the gateway fills in the merchant it registered the device for
            }

            w.StartObject("merchant");
            w.WriteString("referenceMerchantId", _config.Merchant.MerchantId);
            WriteOptional(w, "merchantName", _config.Merchant.MerchantName);
            WriteOptional(w, "merchantMCC", _config.Merchant.MerchantMcc);
            if (!IsEmpty(_config.Merchant.StoreId))
            {
                w.StartObject("store");
                w.WriteString("referenceStoreId", _config.Merchant.StoreId);
                WriteOptional(w, "storeName", _config.Merchant.StoreName);
                WriteOptional(w, "storeMCC", _config.Merchant.StoreMcc);
                w.WriteString("storeTerminalId", _config.EffectiveTerminalId);
                w.EndObject();
            }

            w.EndObject();
        }

        private static void WriteAmount(JsonWriter w, string name, long value, TextField currency)
        {
            w.StartObject(name);
            WriteText(w, "currency", currency);
            w.WriteNumberAsString("value", value);
            w.EndObject();
        }

        private static void WriteText(JsonWriter w, string name, TextField value)
        {
            w.WriteString(name, value.Bytes, 0, value.Length);
        }

        private static void WriteOptional(JsonWriter w, string name, string value)
        {
            if (!IsEmpty(value))
            {
                w.WriteString(name, value);
            }
        }

        private static bool IsEmpty(string value)
        {
            return value == null || value.Length == 0;
        }

        /// <summary>Moves buffer[0 .. length) to buffer[by .. by+length), last byte first (the ranges overlap).</summary>
        private static void MoveRight(byte[] buffer, int length, int by)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                buffer[i + by] = buffer[i];
            }
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
