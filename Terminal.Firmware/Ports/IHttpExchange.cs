namespace Terminal.Firmware.Ports
{
    /// <summary>
    /// One HTTP exchange with the gateway. The ESP32 binding wraps nanoFramework's HttpClient, the PC binding
    /// .NET's HttpClient, tests an in-memory fake. Bindings hold no payment logic.
    /// </summary>
    public interface IHttpExchange
    {
        /// <summary>
        /// Sends <c>exchange.Method exchange.Path</c> with the headers Content-Type, Client-Id, Request-Time and
        /// Signature and the request body, waits at most <paramref name="timeoutMs"/> for the whole exchange, and
        /// on <see cref="HttpExchangeStatus.Completed"/> leaves the status code, the Response-Time, Signature and
        /// Client-Id headers and the body in <paramref name="exchange"/>. Never throws for network faults: they
        /// are reported through the returned status. Header names are matched case-insensitively.
        /// </summary>
        HttpExchangeStatus Send(HttpExchange exchange, int timeoutMs);
    }
}
