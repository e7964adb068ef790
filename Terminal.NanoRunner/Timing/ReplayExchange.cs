using Terminal.Core.Ports;

namespace Terminal.NanoRunner.Timing
{
    /// <summary>
    /// Asks the in-memory gateway once, then hands back that same signed answer for every later request without
    /// looking at it: what is timed is the terminal's own work (build, sign, verify, parse), not the gateway's.
    /// </summary>
    public sealed class ReplayExchange : IHttpExchange
    {
        private readonly IHttpExchange _gateway;
        private byte[] _body;
        private byte[] _time;
        private byte[] _signature;
        private byte[] _clientId;
        private int _statusCode;

        public ReplayExchange(IHttpExchange gateway)
        {
            _gateway = gateway;
        }

        /// <summary>Forget the recorded answer; the next request goes to the gateway again.</summary>
        public void Record()
        {
            _body = null;
        }

        public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
        {
            if (_body == null)
            {
                HttpExchangeStatus status = _gateway.Send(exchange, timeoutMs);
                if (status != HttpExchangeStatus.Completed)
                {
                    return status;
                }

                _statusCode = exchange.StatusCode;
                _body = Copy(exchange.ResponseBuffer, exchange.ResponseBodyOffset, exchange.ResponseBodyLength);
                _time = Copy(exchange.ResponseTime, 0, exchange.ResponseTimeLength);
                _signature = Copy(exchange.ResponseSignature, 0, exchange.ResponseSignatureLength);
                _clientId = Copy(exchange.ResponseClientId, 0, exchange.ResponseClientIdLength);
                return status;
            }

            exchange.StatusCode = _statusCode;
            System.Array.Copy(_body, 0, exchange.ResponseBuffer, exchange.ResponseBodyOffset, _body.Length);
            exchange.ResponseBodyLength = _body.Length;
            System.Array.Copy(_time, 0, exchange.ResponseTime, 0, _time.Length);
            exchange.ResponseTimeLength = _time.Length;
            System.Array.Copy(_signature, 0, exchange.ResponseSignature, 0, _signature.Length);
            exchange.ResponseSignatureLength = _signature.Length;
            System.Array.Copy(_clientId, 0, exchange.ResponseClientId, 0, _clientId.Length);
            exchange.ResponseClientIdLength = _clientId.Length;
            return HttpExchangeStatus.Completed;
        }

        private static byte[] Copy(byte[] source, int offset, int count)
        {
            byte[] copy = new byte[count];
            System.Array.Copy(source, offset, copy, 0, count);
            return copy;
        }
    }
}
