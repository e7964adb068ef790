using Terminal.Core.Json;

namespace Terminal.NanoRunner.Gateway
{
    /// <summary>The fields of an Antom request body the in-memory gateway acts on (docs/antom-protocol.md).</summary>
    public sealed class GatewayRequest
    {
        private readonly JsonReader _reader = new JsonReader(8, 256);

        public string PaymentRequestId { get; private set; }

        public string RefundRequestId { get; private set; }

        public string PaymentId { get; private set; }

        /// <summary>paymentAmount or refundAmount, minor units.</summary>
        public long AmountValue { get; private set; }

        public string AmountCurrency { get; private set; }

        /// <summary>paymentFactor.inStorePaymentScenario: PaymentCode or OrderCode.</summary>
        public string Scenario { get; private set; }

        /// <summary>paymentMethod.paymentMethodId: the customer's scanned code.</summary>
        public string PaymentMethodId { get; private set; }

        /// <summary>A heartbeat's id ("beat"), which its answer repeats.</summary>
        public string Beat { get; private set; }

        /// <summary>False when the body is not the JSON object the gateway expects.</summary>
        public bool Parse(byte[] body, int offset, int count)
        {
            PaymentRequestId = null;
            RefundRequestId = null;
            PaymentId = null;
            AmountValue = 0;
            AmountCurrency = null;
            Scenario = null;
            PaymentMethodId = null;
            Beat = null;
            try
            {
                _reader.Reset(body, offset, count);
                if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                ReadObject(0);
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private void ReadObject(int depth)
        {
            while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
            {
                if (depth == 0 && _reader.ValueEquals("beat"))
                {
                    Beat = NextString();
                }
                else if (_reader.ValueEquals("paymentRequestId"))
                {
                    PaymentRequestId = NextString();
                }
                else if (_reader.ValueEquals("refundRequestId"))
                {
                    RefundRequestId = NextString();
                }
                else if (_reader.ValueEquals("paymentId"))
                {
                    PaymentId = NextString();
                }
                else if (_reader.ValueEquals("paymentMethodId"))
                {
                    PaymentMethodId = NextString();
                }
                else if (_reader.ValueEquals("inStorePaymentScenario"))
                {
                    Scenario = NextString();
                }
                else if (depth == 0 && (_reader.ValueEquals("paymentAmount") || _reader.ValueEquals("refundAmount")))
                {
                    ReadAmount();
                }
                else if (depth == 0 && (_reader.ValueEquals("paymentMethod") || _reader.ValueEquals("paymentFactor")))
                {
                    _reader.Read();
                    ReadObject(depth + 1);
                }
                else
                {
                    _reader.Skip();
                }
            }
        }

        private void ReadAmount()
        {
            _reader.Read();
            while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
            {
                if (_reader.ValueEquals("currency"))
                {
                    AmountCurrency = NextString();
                }
                else if (_reader.ValueEquals("value"))
                {
                    _reader.Read();
                    long value;
                    AmountValue = _reader.TryGetInt64FromString(out value) ? value : -1;
                }
                else
                {
                    _reader.Skip();
                }
            }
        }

        private string NextString()
        {
            _reader.Read();
            return _reader.TokenType == JsonTokenType.String ? _reader.GetString() : null;
        }
    }
}
