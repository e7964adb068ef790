using Terminal.Core.Json;
using Terminal.Core.Ports;
using Terminal.Core.Text;
using Terminal.NanoRunner.Ports;
using Terminal.Payments.Antom;
using Terminal.Payments.Engine;

namespace Terminal.NanoRunner.Gateway
{
    /// <summary>
    /// The merchant gateway and Antom behind it, in memory: checks the device's HS256 signature, keeps payments and
    /// refunds with Antom's idempotency rules, answers in Antom's shapes (docs/antom-protocol.md) and signs every
    /// answer with the device key as the real gateway does, a refusal of a bad signature (F INVALID_SIGNATURE)
    /// included. Knobs set how the next payment or refund behaves. Heartbeats (docs/fleet-link.md) are checked and
    /// answered with the heartbeat's own keys and counted.
    /// </summary>
    public sealed class InMemoryGateway : IHttpExchange
    {
        private const int MaxPayments = 16;
        private const int MaxRefunds = 8;

        private const string HeartbeatPath = "/terminal/v1/heartbeat";

        private readonly GatewaySignature _relaySignature;
        private readonly GatewaySignature _heartbeatSignature;
        private GatewaySignature _signature;
        private readonly string _clientId;
        private readonly IClock _clock;
        private readonly PowerRail _power;
        private readonly GatewayRequest _request = new GatewayRequest();
        private readonly GatewayAnswer _answer = new GatewayAnswer(2048);
        private readonly GatewayPayment[] _payments = new GatewayPayment[MaxPayments];
        private readonly GatewayRefund[] _refunds = new GatewayRefund[MaxRefunds];
        private int _paymentCount;
        private int _refundCount;

        public InMemoryGateway(byte[] deviceKey, int keyVersion, string clientId, IClock clock, PowerRail power)
        {
            _relaySignature = new GatewaySignature(deviceKey, keyVersion, GatewaySignature.AntomRelay);
            _heartbeatSignature = new GatewaySignature(deviceKey, keyVersion, "heartbeat");
            _clientId = clientId;
            _clock = clock;
            _power = power;
            CodeValue = "https://gqr.alipay.com/281017042613bK3x9QmT7vLw2NcR5hZ8pYdF";
            OrderLifetimeMs = 120000;
        }

        /// <summary>Inquiries after which the next new payment is paid (0: a payment code is paid by the pay itself).</summary>
        public int NextInquiriesUntilPaid { get; set; }

        /// <summary>Refund inquiries after which the next new refund completes (0: the refund itself succeeds).</summary>
        public int NextRefundInquiries { get; set; }

        /// <summary>The next pay is processed, then the terminal loses power before the answer arrives.</summary>
        public bool CutPowerAfterNextPay { get; set; }

        /// <summary>codeValue of new order codes (a URL the customer's wallet opens).</summary>
        public string CodeValue { get; set; }

        public long OrderLifetimeMs { get; set; }

        /// <summary>Payments the gateway holds.</summary>
        public int PaymentCount
        {
            get { return _paymentCount; }
        }

        /// <summary>A remote settings version the next heartbeat answers carry (pollIntervalMs 3000, displayName "Runner"); 0 for none.</summary>
        public long OfferSettingsVersion { get; set; }

        /// <summary>Heartbeats answered.</summary>
        public int Heartbeats { get; private set; }

        /// <summary>Body length of the last heartbeat, bytes.</summary>
        public int LastHeartbeatBytes { get; private set; }

        /// <summary>Requests refused for a bad signature.</summary>
        public int Rejected { get; private set; }

        public GatewayPayment FindPayment(string paymentRequestId)
        {
            for (int i = 0; i < _paymentCount; i++)
            {
                if (_payments[i].RequestId == paymentRequestId)
                {
                    return _payments[i];
                }
            }

            return null;
        }

        public GatewayRefund FindRefund(string refundRequestId)
        {
            for (int i = 0; i < _refundCount; i++)
            {
                if (_refunds[i].RefundRequestId == refundRequestId)
                {
                    return _refunds[i];
                }
            }

            return null;
        }

        public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
        {
            if (!_power.On)
            {
                return HttpExchangeStatus.ConnectFailed;
            }

            if (exchange.ClientId != _clientId)
            {
                Rejected++;
                exchange.StatusCode = 401; // an unknown device gets nothing signed
                return HttpExchangeStatus.Completed;
            }

            bool cut = false;
            _signature = exchange.Path == HeartbeatPath ? _heartbeatSignature : _relaySignature;
            _answer.Begin();
            if (!_signature.VerifyRequest(exchange))
            {
                Rejected++;
                _answer.Result("INVALID_SIGNATURE", "F", "the request signature does not match");
            }
            else if (!_request.Parse(exchange.RequestBuffer, exchange.RequestBodyOffset, exchange.RequestBodyLength))
            {
                _answer.Result("PARAM_ILLEGAL", "F", "the body is not a JSON object");
            }
            else if (exchange.Path == HeartbeatPath)
            {
                Heartbeat(exchange.RequestBodyLength);
            }
            else if (exchange.Path == AntomPaths.Pay)
            {
                Pay();
                cut = CutPowerAfterNextPay;
            }
            else if (exchange.Path == AntomPaths.InquiryPayment)
            {
                Inquire();
            }
            else if (exchange.Path == AntomPaths.Cancel)
            {
                Cancel();
            }
            else if (exchange.Path == AntomPaths.Refund)
            {
                Refund();
            }
            else if (exchange.Path == AntomPaths.InquiryRefund)
            {
                InquireRefund();
            }
            else
            {
                _answer.Result("NO_INTERFACE_DEF", "F", "no such API");
            }

            _answer.End();
            if (cut)
            {
                CutPowerAfterNextPay = false;
                _power.Cut();
                return HttpExchangeStatus.TimeoutAfterSend;
            }

            return Deliver(exchange);
        }

        private void Heartbeat(int bodyLength)
        {
            if (_request.Beat == null || _request.Beat.Length != 16)
            {
                _answer.Result("PARAM_ILLEGAL", "F", "beat: 16 hexadecimal digits");
                return;
            }

            Heartbeats++;
            LastHeartbeatBytes = bodyLength;
            _answer.Result("SUCCESS", "S", "success");
            JsonWriter w = _answer.Writer;
            w.WriteString("beat", _request.Beat);
            if (OfferSettingsVersion > 0)
            {
                w.StartObject("settings");
                w.WriteNumber("version", OfferSettingsVersion);
                w.StartObject("values");
                w.WriteNumber("pollIntervalMs", 3000);
                w.WriteString("displayName", "Runner");
                w.EndObject();
                w.EndObject();
            }
        }

        private void Pay()
        {
            GatewayPayment p = FindPayment(_request.PaymentRequestId);
            bool orderCode = _request.Scenario == "OrderCode";
            if (p != null)
            {
                p.Pays++;
                bool same = p.Amount == _request.AmountValue && p.Currency == _request.AmountCurrency
                    && p.OrderCode == orderCode && p.Code == _request.PaymentMethodId;
                if (!same)
                {
                    _answer.Result("REPEAT_REQ_INCONSISTENT", "F", "the same paymentRequestId with other key fields");
                }
                else if (p.Status == GatewayPayment.Cancelled)
                {
                    _answer.Result("ORDER_IS_CANCELED", "F", "the payment of this paymentRequestId was cancelled");
                }
                else
                {
                    PayAnswer(p);
                }

                return;
            }

            if (_paymentCount == MaxPayments || _request.PaymentRequestId == null || _request.AmountValue <= 0)
            {
                _answer.Result("PARAM_ILLEGAL", "F", "paymentRequestId and a positive paymentAmount are required");
                return;
            }

            p = new GatewayPayment();
            p.RequestId = _request.PaymentRequestId;
            p.PaymentId = _answer.Id("202603141940108001", _paymentCount + 1);
            p.Amount = _request.AmountValue;
            p.Currency = _request.AmountCurrency;
            p.Code = _request.PaymentMethodId;
            p.OrderCode = orderCode;
            p.CreatedEpochMs = _clock.UtcNowMs();
            p.ExpiresEpochMs = p.CreatedEpochMs + OrderLifetimeMs;
            p.InquiriesBeforePaid = NextInquiriesUntilPaid;
            p.Status = !orderCode && p.InquiriesBeforePaid == 0 ? GatewayPayment.Success : GatewayPayment.Processing;
            p.Pays = 1;
            NextInquiriesUntilPaid = 0;
            _payments[_paymentCount++] = p;
            PayAnswer(p);
        }

        private void PayAnswer(GatewayPayment p)
        {
            if (p.OrderCode)
            {
                _answer.Result("SUCCESS", "S", "success.");
                _answer.Identity(p);
                _answer.OrderCodeForm(CodeValue, p.ExpiresEpochMs);
            }
            else if (p.Status == GatewayPayment.Success)
            {
                _answer.Result("SUCCESS", "S", "success.");
                _answer.Identity(p);
                _answer.Time("paymentTime", _clock.UtcNowMs());
            }
            else
            {
                _answer.Result("PAYMENT_IN_PROCESS", "U", "payment in process");
                _answer.Identity(p);
            }
        }

        private void Inquire()
        {
            GatewayPayment p = FindPayment(_request.PaymentRequestId);
            if (p == null)
            {
                _answer.Result("ORDER_NOT_EXIST", "F", "order not exist");
                return;
            }

            p.Inquiries++;
            if (p.Status == GatewayPayment.Processing && p.InquiriesBeforePaid > 0 && --p.InquiriesBeforePaid == 0)
            {
                p.Status = GatewayPayment.Success;
            }

            _answer.Result("SUCCESS", "S", "success.");
            _answer.Identity(p);
            _answer.Writer.WriteString("paymentStatus", p.Status);
            _answer.Writer.WriteString("paymentResultCode", p.Status == GatewayPayment.Success ? "SUCCESS" : "PAYMENT_IN_PROCESS");
            if (p.Status == GatewayPayment.Success)
            {
                _answer.Time("paymentTime", _clock.UtcNowMs());
            }
        }

        private void Cancel()
        {
            GatewayPayment p = FindPayment(_request.PaymentRequestId);
            if (p == null)
            {
                _answer.Result("ORDER_NOT_EXIST", "F", "order not exist");
                return;
            }

            p.Cancels++;
            p.Status = GatewayPayment.Cancelled;
            _answer.Result("SUCCESS", "S", "success.");
            _answer.Writer.WriteString("paymentId", p.PaymentId);
            _answer.Writer.WriteString("paymentRequestId", p.RequestId);
            _answer.Time("cancelTime", _clock.UtcNowMs());
        }

        private void Refund()
        {
            GatewayRefund r = FindRefund(_request.RefundRequestId);
            if (r != null)
            {
                r.Submits++;
                RefundAnswer(r);
                return;
            }

            GatewayPayment p = FindByPaymentId(_request.PaymentId);
            if (p == null)
            {
                _answer.Result("ORDER_NOT_EXIST", "F", "order not exist");
                return;
            }

            if (p.Status != GatewayPayment.Success)
            {
                _answer.Result("ORDER_STATUS_INVALID", "F", "the payment is not paid");
                return;
            }

            if (_refundCount == MaxRefunds || _request.AmountValue <= 0 || _request.AmountValue > p.Amount - p.Refunded)
            {
                _answer.Result("REFUND_AMOUNT_EXCEED", "F", "the refund amount exceeds what is left of the payment");
                return;
            }

            r = new GatewayRefund();
            r.RefundRequestId = _request.RefundRequestId;
            r.RefundId = _answer.Id("202603141940108013", _refundCount + 1);
            r.PaymentId = p.PaymentId;
            r.Amount = _request.AmountValue;
            r.Currency = _request.AmountCurrency;
            r.InquiriesBeforeDone = NextRefundInquiries;
            r.Status = r.InquiriesBeforeDone == 0 ? GatewayPayment.Success : GatewayPayment.Processing;
            r.Submits = 1;
            NextRefundInquiries = 0;
            if (r.Status == GatewayPayment.Success)
            {
                p.Refunded += r.Amount;
            }

            _refunds[_refundCount++] = r;
            RefundAnswer(r);
        }

        private void RefundAnswer(GatewayRefund r)
        {
            bool done = r.Status == GatewayPayment.Success;
            _answer.Result(done ? "SUCCESS" : "REFUND_IN_PROCESS", done ? "S" : "U", done ? "success." : "refund in process");
            _answer.Writer.WriteString("refundRequestId", r.RefundRequestId);
            _answer.Writer.WriteString("refundId", r.RefundId);
            _answer.Writer.WriteString("paymentId", r.PaymentId);
            _answer.Amount("refundAmount", r.Amount, r.Currency);
            if (done)
            {
                _answer.Time("refundTime", _clock.UtcNowMs());
            }
        }

        private void InquireRefund()
        {
            GatewayRefund r = FindRefund(_request.RefundRequestId);
            if (r == null)
            {
                _answer.Result("ORDER_NOT_EXIST", "F", "refund not exist");
                return;
            }

            r.Inquiries++;
            if (r.Status == GatewayPayment.Processing && --r.InquiriesBeforeDone <= 0)
            {
                r.Status = GatewayPayment.Success;
                FindByPaymentId(r.PaymentId).Refunded += r.Amount;
            }

            _answer.Result("SUCCESS", "S", "success.");
            _answer.Writer.WriteString("refundId", r.RefundId);
            _answer.Writer.WriteString("refundRequestId", r.RefundRequestId);
            _answer.Amount("refundAmount", r.Amount, r.Currency);
            _answer.Writer.WriteString("refundStatus", r.Status);
            if (r.Status == GatewayPayment.Success)
            {
                _answer.Time("refundTime", _clock.UtcNowMs());
            }
        }

        private GatewayPayment FindByPaymentId(string paymentId)
        {
            for (int i = 0; i < _paymentCount; i++)
            {
                if (_payments[i].PaymentId == paymentId)
                {
                    return _payments[i];
                }
            }

            return null;
        }

        private HttpExchangeStatus Deliver(HttpExchange exchange)
        {
            JsonWriter w = _answer.Writer;
            System.Array.Copy(w.Buffer, 0, exchange.ResponseBuffer, exchange.ResponseBodyOffset, w.Length);
            exchange.ResponseBodyLength = w.Length;
            exchange.ResponseTimeLength = AsciiNumber.Write(_clock.UtcNowMs(), exchange.ResponseTime, 0);
            exchange.ResponseSignatureLength = _signature.SignResponse(exchange.Path, _clientId, exchange.ResponseTime, exchange.ResponseTimeLength,
                exchange.ResponseBuffer, exchange.ResponseBodyOffset, w.Length, exchange.ResponseSignature);
            for (int i = 0; i < _clientId.Length; i++)
            {
                exchange.ResponseClientId[i] = (byte)_clientId[i];
            }

            exchange.ResponseClientIdLength = _clientId.Length;
            exchange.StatusCode = 200;
            return HttpExchangeStatus.Completed;
        }
    }
}
