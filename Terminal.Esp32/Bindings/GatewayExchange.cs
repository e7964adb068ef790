using System.Security.Cryptography.X509Certificates;
using Terminal.Core.Ports;
using Terminal.Io.Http;

namespace Terminal.Esp32.Bindings
{
    /// <summary>
    /// The device's <see cref="IHttpExchange"/>: the portable <see cref="GatewayHttpClient"/> over
    /// <see cref="TlsGatewayConnection"/>, refusing to send while the wall clock is unset.
    /// </summary>
    public sealed class GatewayExchange : IHttpExchange
    {
        private readonly GatewayHttpClient _client;

        /// <param name="address">The gateway (<see cref="GatewayAddress.Parse"/> of gatewayUrl).</param>
        /// <param name="caCertificate">The gateway's CA, or null for the CA bundle stored on the device.</param>
        public GatewayExchange(GatewayAddress address, X509Certificate caCertificate)
        {
            Connection = new TlsGatewayConnection(address, caCertificate);
            _client = new GatewayHttpClient(address, Connection, new DeviceClock());
        }

        public TlsGatewayConnection Connection { get; private set; }

        public GatewayHttpClient Client
        {
            get { return _client; }
        }

        /// <summary>Exchanges refused because the wall clock was not set yet (see <see cref="DeviceClock.WallClockValid"/>).</summary>
        public int RefusedForClock { get; private set; }

        public HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs)
        {
            // A budget of 0 or less is the client's to refuse (TimeoutBeforeSend), clock or not.
            if (timeoutMs > 0 && !DeviceClock.WallClockValid)
            {
                // The signature carries a 1970 Request-Time, which the gateway rejects: nothing is sent.
                exchange.ClearResponse();
                RefusedForClock++;
                return HttpExchangeStatus.ConnectFailed;
            }

            return _client.Send(exchange, timeoutMs);
        }
    }
}
