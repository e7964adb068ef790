using Terminal.Core.Json;
using Terminal.Core.Text;
using Terminal.Payments.Antom;

namespace Terminal.NanoRunner.Gateway
{
    /// <summary>Writes Antom's response bodies: result object, payment identity, amounts, ISO 8601 times, order-code form.</summary>
    public sealed class GatewayAnswer
    {
        private readonly JsonWriter _writer;
        private readonly byte[] _time = new byte[IsoTime.FormattedLength];
        private readonly byte[] _id = new byte[40];

        public GatewayAnswer(int capacity)
        {
            _writer = new JsonWriter(new byte[capacity]);
        }

        public JsonWriter Writer
        {
            get { return _writer; }
        }

        public void Begin()
        {
            _writer.Reset();
            _writer.StartObject();
        }

        public void End()
        {
            _writer.EndObject();
        }

        public void Result(string code, string status, string message)
        {
            _writer.StartObject("result");
            _writer.WriteString("resultCode", code);
            _writer.WriteString("resultStatus", status);
            _writer.WriteString("resultMessage", message);
            _writer.EndObject();
        }

        /// <summary>paymentId, paymentRequestId, paymentAmount and paymentCreateTime of a payment.</summary>
        public void Identity(GatewayPayment p)
        {
            _writer.WriteString("paymentId", p.PaymentId);
            _writer.WriteString("paymentRequestId", p.RequestId);
            Amount("paymentAmount", p.Amount, p.Currency);
            Time("paymentCreateTime", p.CreatedEpochMs);
        }

        public void Amount(string name, long value, string currency)
        {
            _writer.StartObject(name);
            _writer.WriteString("currency", currency);
            _writer.WriteNumberAsString("value", value);
            _writer.EndObject();
        }

        public void Time(string name, long epochMs)
        {
            int n = IsoTime.FormatUtc(epochMs, _time, 0);
            _writer.WriteString(name, _time, 0, n);
        }

        /// <summary>orderCodeForm with one QR code detail shown as text (the terminal renders it).</summary>
        public void OrderCodeForm(string codeValue, long expiresEpochMs)
        {
            _writer.StartObject("orderCodeForm");
            Time("expireTime", expiresEpochMs);
            _writer.StartArray("codeDetails");
            _writer.StartObject();
            _writer.WriteString("codeValue", codeValue);
            _writer.WriteString("codeValueType", "QRCODE");
            _writer.WriteString("displayType", "TEXT");
            _writer.EndObject();
            _writer.EndArray();
            _writer.EndObject();
        }

        /// <summary>An Antom-looking id: the prefix and the serial number in 8 digits.</summary>
        public string Id(string prefix, int serial)
        {
            int p = 0;
            for (int i = 0; i < prefix.Length; i++)
            {
                _id[p++] = (byte)prefix[i];
            }

            for (int digits = AsciiNumber.GetLength(serial); digits < 8; digits++)
            {
                _id[p++] = (byte)'0';
            }

            p += AsciiNumber.Write(serial, _id, p);
            return Utf8.Decode(_id, 0, p);
        }
    }
}
