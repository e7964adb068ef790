namespace Terminal.Core.Ports
{
    /// <summary>
    /// One HTTP exchange with the gateway. The device uses the portable Terminal.Io.Http.GatewayHttpClient over
    /// its TLS connection binding, the PC binding wraps .NET's HttpClient, tests an in-memory fake. Bindings hold no
    /// payment logic. The contract below is checked against the PC binding and the device client by
    /// Terminal.Tests/Http/HttpExchangeContract.cs.
    /// </summary>
    public interface IHttpExchange
    {
        /// <summary>
        /// Sends <c>exchange.Method exchange.Path</c> with the headers Content-Type, Client-Id, Request-Time and
        /// Signature and the request body, and on <see cref="HttpExchangeStatus.Completed"/> leaves the status
        /// code, the Response-Time, Signature and Client-Id headers and the body in <paramref name="exchange"/>
        /// (other statuses leave the response cleared). Header names are matched case-insensitively.
        /// <list type="bullet">
        /// <item>The whole exchange (name lookup, connection, TLS handshake, sending, waiting, reading the body)
        /// ends by <paramref name="timeoutMs"/>; with 0 or less nothing is sent:
        /// <see cref="HttpExchangeStatus.TimeoutBeforeSend"/>.</item>
        /// <item>Until the first byte of the body has been handed to the connection, every failure is
        /// <see cref="HttpExchangeStatus.ConnectFailed"/> or <see cref="HttpExchangeStatus.TimeoutBeforeSend"/>
        /// (not delivered); after it, <see cref="HttpExchangeStatus.TimeoutAfterSend"/>,
        /// <see cref="HttpExchangeStatus.ResponseBroken"/> or <see cref="HttpExchangeStatus.ResponseTooLarge"/>
        /// (unknown: the server may have acted).</item>
        /// <item>A body that went out is never sent again within the call.</item>
        /// <item>Never throws for network faults: they are reported through the returned status.</item>
        /// </list>
        /// </summary>
        HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs);
    }
}
